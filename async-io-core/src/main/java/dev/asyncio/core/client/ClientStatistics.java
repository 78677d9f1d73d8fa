package dev.asyncio.core.client;

import org.jspecify.annotations.Nullable;

/**
 * A snapshot of an {@link AsyncIoClient}'s counters and gauges ({@link AsyncIoClient#statistics()}): cheap, read
 * from any thread, never opening a connection — what a health check and a metrics binder read. Counters count
 * since the client was made; each value is read on its own (the snapshot is not atomic across fields).
 *
 * @param state the client's state
 * @param currentAddress the address of the last connection made ({@code host:port} or {@code unix:/path}), or of
 *                       the attempt under way; {@code null} before the first attempt
 * @param connectAttempts connect attempts started
 * @param connects attempts that succeeded
 * @param connectFailures attempts that failed
 * @param consecutiveFailures failed attempts since the last success (what {@link ReconnectPolicy#maxAttempts()} counts)
 * @param disconnects connections that were up and are gone (dropped, evicted, closed)
 * @param lastError the last connect failure or drop, as {@code ExceptionClass: message}; {@code null} if none
 * @param lastErrorEpochMillis when {@code lastError} happened (wall clock), 0 if none
 * @param nextAttemptInMillis milliseconds until the scheduled reconnect attempt, -1 if none is scheduled
 * @param openConnections connections open (busy or idle)
 * @param activeConnections connections handed out or with requests in flight
 * @param idleConnections open connections in the pool with nothing to do
 * @param pendingAcquires acquires and requests waiting for a connection
 * @param acquireTimeouts acquires that timed out
 * @param acquireRejections acquires refused because {@link PoolOptions#maxPendingAcquires()} were waiting
 * @param evictions pooled connections closed for idleness, lifetime or a failed liveness check
 * @param requests requests started (through the client or a connection)
 * @param replies requests answered
 * @param requestFailures requests that failed, timeouts included
 * @param requestTimeouts requests that timed out
 * @param pendingRequests requests sent or queued and not yet answered
 * @param lateReplies replies that came after their request had timed out
 * @param unsolicitedFrames frames that came when no request was in flight
 */
public record ClientStatistics(
        ClientState state,
        @Nullable String currentAddress,
        long connectAttempts,
        long connects,
        long connectFailures,
        int consecutiveFailures,
        long disconnects,
        @Nullable String lastError,
        long lastErrorEpochMillis,
        long nextAttemptInMillis,
        int openConnections,
        int activeConnections,
        int idleConnections,
        int pendingAcquires,
        long acquireTimeouts,
        long acquireRejections,
        long evictions,
        long requests,
        long replies,
        long requestFailures,
        long requestTimeouts,
        long pendingRequests,
        long lateReplies,
        long unsolicitedFrames) {
}
