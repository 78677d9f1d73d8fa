package dev.asyncio.core;

/**
 * Thrown by {@link AsyncIoState#writeBuffer} when the state already has {@link StateOptions#maxQueuedOutput()} bytes
 * waiting to be written: the peer does not read fast enough, and queueing more would let it fill the heap. Wait for
 * {@link AsyncIoState#isWritable()} (or the writability callback) before writing again.
 */
public final class OutputLimitExceededException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was refused, naming the state and the limit
     */
    public OutputLimitExceededException(String message) {
        super(message);
    }
}
