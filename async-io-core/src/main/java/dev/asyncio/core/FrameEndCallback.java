package dev.asyncio.core;

/**
 * Told once when a {@link FrameReader} stops reading for good: {@code callback(state, status, failure)}.
 *
 * <p>Runs on the collection's loop thread. An exception it throws goes to the collection's
 * {@link CallbackErrorPolicy}.
 */
@FunctionalInterface
public interface FrameEndCallback {
    /**
     * Called on the loop thread, after every whole frame that arrived was delivered.
     *
     * @param state the state
     * @param status {@link IoStatus#EOF} for a clean end of stream between frames; {@link IoStatus#TIMEOUT};
     *               {@link IoStatus#ERROR} for an I/O failure, a limit (such as
     *               {@link InputLimitExceededException}) or a bad frame ({@link FrameException}: too long, corrupt,
     *               or an EOF inside a frame with the partial size)
     * @param failure the cause for {@link IoStatus#ERROR}, else {@code null}
     */
    void ended(AsyncIoState state, IoStatus status, Throwable failure);
}
