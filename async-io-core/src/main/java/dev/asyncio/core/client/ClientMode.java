package dev.asyncio.core.client;

/**
 * How a client uses connections ({@link ClientOptions#mode()}).
 */
public enum ClientMode {
    /**
     * One connection, opened by {@link AsyncIoClient#start()} and kept: every request is pipelined on it, replies
     * are matched in order, and a drop is followed by a reconnect with backoff. Like a Redis or AMQP client's one
     * connection; Spring Integration's shared client connection factory ({@code singleUse=false}).
     */
    SHARED,
    /**
     * Up to {@link PoolOptions#maxConnections()} connections, opened on demand, idle ones reused and evicted by
     * {@link PoolOptions#idleTimeout()} and {@link PoolOptions#maxLifetime()}; a request or an
     * {@link AsyncIoClient#acquire acquire} waits (bounded) when all are busy. Spring Integration's
     * {@code CachingClientConnectionFactory}, Netty's {@code FixedChannelPool}.
     */
    POOL,
    /**
     * A new connection for every request or acquire, closed after its reply or its release (Spring Integration's
     * {@code singleUse=true}).
     */
    PER_USE
}
