package dev.asyncio.core.client;

/**
 * One request waiting for its reply on a connection (or, in a pool, for a connection first). Loop thread only.
 */
final class Pending {
    final ReplyCallback callback;
    final long startNanos;
    /** When it times out ({@link System#nanoTime()}); {@link Long#MAX_VALUE} = never. */
    final long deadlineNanos;
    /** Its callback has run (with the reply or a failure): it must never run again. */
    boolean done;
    /** It timed out but keeps its place in the connection's FIFO, so its late reply is recognised as its own. */
    boolean timedOut;

    Pending(ReplyCallback callback, long startNanos, long deadlineNanos) {
        this.callback = callback;
        this.startNanos = startNanos;
        this.deadlineNanos = deadlineNanos;
    }
}
