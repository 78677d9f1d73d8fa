package dev.asyncio.core.client;

import org.jspecify.annotations.Nullable;

import java.nio.ByteBuffer;

/**
 * An acquire, or a request, waiting for a connection of a pool. Loop thread only.
 */
final class Waiter {
    /** For an acquire: who gets the connection. */
    final @Nullable AcquireCallback acquire;
    /** For a request: the request and its payload, sent once a connection is assigned. */
    final @Nullable Pending request;
    final @Nullable ByteBuffer payload;
    final long startNanos;
    /** When waiting ends with a failure ({@link System#nanoTime()}); {@link Long#MAX_VALUE} = never. */
    final long deadlineNanos;
    /** Whether the deadline is the request's own (a request timeout) rather than the acquire timeout. */
    final boolean requestDeadline;
    boolean done;

    Waiter(@Nullable AcquireCallback acquire, @Nullable Pending request, @Nullable ByteBuffer payload,
           long startNanos, long deadlineNanos, boolean requestDeadline) {
        this.acquire = acquire;
        this.request = request;
        this.payload = payload;
        this.startNanos = startNanos;
        this.deadlineNanos = deadlineNanos;
        this.requestDeadline = requestDeadline;
    }
}
