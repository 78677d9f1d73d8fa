package dev.asyncio.core;

/**
 * The read or write status of an {@link AsyncIoState}: LispWorks' {@code async-io-state-read-status} and
 * {@code async-io-state-write-status}, where {@code nil} is {@link #OK}.
 *
 * <p>A completion callback gets the byte count of what was done; it learns <em>why</em> the operation ended
 * from the status of its direction ({@link AsyncIoState#readStatus()} / {@link AsyncIoState#writeStatus()}),
 * and the cause of an {@link #ERROR} from {@link AsyncIoState#readFailure()} / {@link AsyncIoState#writeFailure()}.
 */
public enum IoStatus {
    /** The socket is fine (LispWorks {@code nil}). */
    OK,
    /** The peer closed its side (or the input was shut down); for a TLS handshake, the peer closed cleanly. */
    EOF,
    /** The operation's timeout expired before it completed. */
    TIMEOUT,
    /** An I/O error ended the operation; the cause is kept on the state. */
    ERROR
}
