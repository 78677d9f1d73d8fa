package dev.asyncio.core.client;

import org.jspecify.annotations.Nullable;

import java.nio.ByteBuffer;

/**
 * How a client uses its connections: {@link SharedMode} or {@link PoolMode} (which also serves per use). Every method
 * runs on the loop thread.
 */
interface Mode {
    /** The client started. */
    void start();

    /** Sends a request (the client is started and not closed). */
    void request(ByteBuffer payload, Pending p);

    /** Hands out a connection (the client is started and not closed). */
    void acquire(Waiter w);

    /** A request on {@code c} got its reply or timed out. */
    void requestDone(Connection c);

    /** A connection handed out by an acquire is given back. */
    void release(Connection c);

    /** A connection that was up has closed (its requests have failed). */
    void connectionClosed(Connection c, @Nullable Throwable cause);

    /** The operator's disconnect: close everything, make no attempts. */
    void disconnect();

    /** The operator's reconnect: the backoff is reset; connect again now. */
    void reconnect();

    /** The client closes: fail what waits, close everything. */
    void close();
}
