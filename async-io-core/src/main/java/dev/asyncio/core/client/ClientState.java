package dev.asyncio.core.client;

/**
 * Where a client is in its life ({@link AsyncIoClient#state()}); readable from any thread, it never opens a
 * connection itself (health checks read it).
 */
public enum ClientState {
    /** Made, not yet {@link AsyncIoClient#start() started}. */
    NEW,
    /**
     * Started, no connection needed yet: a {@link ClientMode#POOL pool} or {@link ClientMode#PER_USE per-use} client
     * before its first use or after its idle connections were evicted.
     */
    IDLE,
    /** The first connection is being made. */
    CONNECTING,
    /**
     * The shared connection is up; for a pool or per use: the last connect succeeded (a pool may hold idle
     * connections).
     */
    CONNECTED,
    /**
     * A connect failed or the connection dropped, and the next attempt is scheduled
     * ({@link ClientStatistics#nextAttemptInMillis()}) or under way. Requests that need a new connection fail at
     * once with {@link ClientException.Kind#NOT_CONNECTED}.
     */
    RECONNECTING,
    /**
     * {@link ReconnectPolicy#maxAttempts()} attempts in a row failed: no more attempts until
     * {@link AsyncIoClient#reconnect()}; requests fail at once.
     */
    FAILED,
    /** {@link AsyncIoClient#disconnect()} closed the connections: no attempts until {@link AsyncIoClient#reconnect()}. */
    DISCONNECTED,
    /** {@link AsyncIoClient#close()}d, for good. */
    CLOSED
}
