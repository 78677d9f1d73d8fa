package dev.asyncio.core.client;

import org.jspecify.annotations.Nullable;

import java.time.Duration;

/**
 * Hears what happens to an {@link AsyncIoClient}: for meters, logs and health (the starter's Micrometer binder is
 * one). Every method has an empty default; add listeners with {@link ClientOptions.Builder#listener} or
 * {@link AsyncIoClient#addListener}.
 *
 * <p><b>Threads.</b> Every method runs on the client's loop thread (or, once the loop has ended, on the thread that
 * closes the client), so it must be short and never block. An exception a listener throws is logged and counted
 * by the collection's {@link dev.asyncio.core.CallbackErrorPolicy} (re-thrown in a task of its own on the loop);
 * it never changes what the client does.
 */
public interface ClientListener {

    /**
     * The client moved from one state to another.
     *
     * @param client the client
     * @param from the state before
     * @param to the state now
     */
    default void stateChanged(AsyncIoClient client, ClientState from, ClientState to) {
    }

    /**
     * A connection was made (and its TLS handshake done).
     *
     * @param client the client
     * @param address where to
     * @param took from the start of the attempt
     */
    default void connected(AsyncIoClient client, ClientAddress address, Duration took) {
    }

    /**
     * A connect attempt failed (refused, timed out, TLS failed).
     *
     * @param client the client
     * @param address where to
     * @param failure why
     * @param took from the start of the attempt
     */
    default void connectFailed(AsyncIoClient client, ClientAddress address, Throwable failure, Duration took) {
    }

    /**
     * A connection that was up is gone: dropped by the peer or the network, closed after a request timeout,
     * evicted, or closed by the client.
     *
     * @param client the client
     * @param address where it went
     * @param cause the failure or end-of-stream that ended it; {@code null} when the client closed it on purpose
     *              (eviction, release of a per-use connection, {@link AsyncIoClient#disconnect()}, close)
     */
    default void disconnected(AsyncIoClient client, ClientAddress address, @Nullable Throwable cause) {
    }

    /**
     * The next connect attempt is scheduled after a failure or a drop.
     *
     * @param client the client
     * @param failures the failed attempts in a row so far (0 right after a drop: the first attempt is immediate)
     * @param delay until the attempt
     */
    default void reconnectScheduled(AsyncIoClient client, int failures, Duration delay) {
    }

    /**
     * An acquire (or a request's wait for a pooled connection) got its connection.
     *
     * @param client the client
     * @param waited how long it waited
     */
    default void acquired(AsyncIoClient client, Duration waited) {
    }

    /**
     * An acquire (or a request's wait for a connection) failed: {@link ClientException.Kind#ACQUIRE_TIMEOUT},
     * {@link ClientException.Kind#POOL_EXHAUSTED}, {@link ClientException.Kind#NOT_CONNECTED} or
     * {@link ClientException.Kind#CLOSED}.
     *
     * @param client the client
     * @param failure why
     */
    default void acquireFailed(AsyncIoClient client, ClientException failure) {
    }

    /**
     * A request ended: its reply came, or it failed.
     *
     * @param client the client
     * @param took from {@link AsyncIoClient#request} to the reply or failure
     * @param failure {@code null} for a reply, else why it failed
     */
    default void requestCompleted(AsyncIoClient client, Duration took, @Nullable ClientException failure) {
    }

    /**
     * A frame came that belongs to no waiting request (see {@link UnsolicitedFrameHandler}).
     *
     * @param client the client
     * @param late {@code true} for the reply of a request that timed out, {@code false} for a frame with no request
     */
    default void unsolicitedFrame(AsyncIoClient client, boolean late) {
    }

    /**
     * A pool closes one of its connections on purpose (it is then {@linkplain #disconnected disconnected} with no
     * cause, or with the failed check's); counted in {@link ClientStatistics#evictions()}.
     *
     * @param client the client
     * @param address the connection's address
     * @param reason idle, too old, or failed the liveness check on acquire
     */
    default void evicted(AsyncIoClient client, ClientAddress address, EvictionReason reason) {
    }
}
