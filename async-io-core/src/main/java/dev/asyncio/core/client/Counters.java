package dev.asyncio.core.client;

/**
 * The counters behind {@link ClientStatistics}. Written only on the client's loop thread (one writer, so a plain
 * increment of a volatile field is exact), read from any thread.
 */
final class Counters {
    volatile String currentAddress;
    volatile long connectAttempts;
    volatile long connects;
    volatile long connectFailures;
    volatile int consecutiveFailures;
    volatile long disconnects;
    volatile String lastError;
    volatile long lastErrorEpochMillis;
    /** {@link System#nanoTime()} of the scheduled attempt; {@link Long#MIN_VALUE} when none is scheduled. */
    volatile long nextAttemptAtNanos = Long.MIN_VALUE;
    volatile int openConnections;
    volatile int activeConnections;
    volatile int idleConnections;
    volatile int pendingAcquires;
    volatile long acquireTimeouts;
    volatile long acquireRejections;
    volatile long evictions;
    volatile long requests;
    volatile long replies;
    volatile long requestFailures;
    volatile long requestTimeouts;
    volatile long pendingRequests;
    volatile long lateReplies;
    volatile long unsolicitedFrames;

    void error(Throwable failure) {
        lastError = failure.getClass().getName() + ": " + failure.getMessage();
        lastErrorEpochMillis = System.currentTimeMillis();
    }

    ClientStatistics snapshot(ClientState state) {
        long next = nextAttemptAtNanos;
        long nextIn = next == Long.MIN_VALUE ? -1 : Math.max(0, (next - System.nanoTime()) / 1_000_000);
        return new ClientStatistics(state, currentAddress, connectAttempts, connects, connectFailures,
                consecutiveFailures, disconnects, lastError, lastErrorEpochMillis, nextIn, openConnections,
                activeConnections, idleConnections, pendingAcquires, acquireTimeouts, acquireRejections, evictions,
                requests, replies, requestFailures, requestTimeouts, pendingRequests, lateReplies, unsolicitedFrames);
    }
}
