package dev.asyncio.sample.kv;

import java.time.Duration;

/**
 * The time a kv request may take to arrive, from its first byte to its last ({@code sample.kv.request-deadline}),
 * however many bytes trickle in: a slowloris client that sends one byte every few seconds is closed at the deadline.
 * Idle time between requests does not count (Redis keeps idle clients), nor does time the server itself stopped
 * reading because the client's replies wait (flow control).
 *
 * <p>The core's read idle timeout restarts with every byte, so it cannot do this. The core has a total deadline
 * ({@code StateOptions.readDeadline}, {@code OperationOptions.Builder.deadline}), but it counts a message until a
 * callback leaves nothing undiscarded, while kv discards the arguments it has parsed of a request that is still
 * unfinished (the parser keeps them), and it would keep counting while kv itself stops reading because the client's
 * replies wait. So kv keeps its own clock, from the read-with-checking callback, and {@link ClientWatchdog} asks it
 * periodically.
 *
 * <p>Loop thread only.
 */
final class RequestDeadline {

    private static final long NONE = Long.MIN_VALUE;

    private final long deadlineNanos;
    private long startedAt = NONE;

    /** @param deadline how long one request may take to arrive; positive */
    RequestDeadline(Duration deadline) {
        this.deadlineNanos = deadline.toNanos();
    }

    /**
     * Records what a read left: called after each batch of input was parsed.
     *
     * @param completedRequests whether at least one request completed in this batch
     * @param unfinished        whether an unfinished request is left (bytes kept or arguments parsed)
     * @param nowNanos          {@link System#nanoTime()}
     */
    void afterRead(boolean completedRequests, boolean unfinished, long nowNanos) {
        if (!unfinished) {
            startedAt = NONE;
        } else if (completedRequests || startedAt == NONE) {
            // The unfinished request began in this batch (after the last complete one): its clock starts now.
            startedAt = nowNanos;
        }
    }

    /** Stops the clock: the server stopped reading for its own reasons (replies waiting to be read). */
    void suspend() {
        startedAt = NONE;
    }

    /**
     * @param nowNanos {@link System#nanoTime()}
     * @return whether an unfinished request has been arriving for longer than the deadline
     */
    boolean expired(long nowNanos) {
        return startedAt != NONE && nowNanos - startedAt > deadlineNanos;
    }
}
