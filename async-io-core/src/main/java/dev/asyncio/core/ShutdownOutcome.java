package dev.asyncio.core;

/**
 * What {@link AsyncIoState#shutdown(Direction, boolean, ShutdownCallback)} did: LispWorks returns {@code t}, an
 * error code, or {@code nil} when the shutdown was deferred.
 */
public enum ShutdownOutcome {
    /** The socket was shut down in that direction before the call returned (LispWorks {@code t}). */
    DONE,
    /** The system refused the shutdown; the callback got the exception (LispWorks: an error code). */
    FAILED,
    /** An operation in that direction was aborted; the shutdown happens on the loop thread and the callback reports it (LispWorks {@code nil}). */
    PENDING
}
