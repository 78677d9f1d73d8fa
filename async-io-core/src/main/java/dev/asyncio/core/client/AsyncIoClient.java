package dev.asyncio.core.client;

import dev.asyncio.core.WaitStateCollection;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A client that owns its connections to one service: it connects (failing over across
 * {@link ClientOptions#addresses()}), reconnects with backoff after a failure or a drop, keeps one shared
 * connection, a pool, or a connection per use ({@link ClientOptions#mode()}), and matches replies to requests in
 * order ({@link #request(ByteBuffer, ReplyCallback)}). Built on the core's public API only
 * ({@link WaitStateCollection#connectTcp}, {@link WaitStateCollection#connectUnix}, {@link dev.asyncio.core.FrameReader},
 * {@link dev.asyncio.core.FrameWriter}, loop timers). Not in LispWorks, which leaves this to the user; the peers are
 * Spring Integration IP's client connection factories and {@code TcpOutboundGateway}, Netty's {@code ChannelPool}
 * and Reactor Netty's {@code ConnectionProvider}.
 *
 * <pre>{@code
 * AsyncIoClient redis = AsyncIoClient.create("redis", loop, ClientOptions.builder()
 *         .address("127.0.0.1:6379").framing(Framing.crlf()).build()).start();
 * redis.request("PING".getBytes(US_ASCII), (reply, failure) -> ...);   // on the loop thread
 * }</pre>
 *
 * <p><b>Threads.</b> Every method may be called from any thread; the work happens on the collection's loop thread,
 * and every callback and listener runs there. {@link #state()} and {@link #statistics()} read volatile fields and
 * never open a connection, so health checks may call them freely.
 *
 * <p><b>Never hangs.</b> A request or acquire either gets its answer or fails with a {@link ClientException}: at
 * once (on the loop, right after the call) when there is no connection and none is being made
 * ({@link ClientException.Kind#NOT_CONNECTED} while backing off between attempts, failed or disconnected), when the
 * connect it waited for fails (see {@link #request(ByteBuffer, ReplyCallback)}), when the connection drops
 * while it is in flight ({@link ClientException.Kind#CONNECTION_LOST}), or at its deadline
 * ({@link ClientException.Kind#REQUEST_TIMEOUT}, {@link ClientException.Kind#ACQUIRE_TIMEOUT}). No reply is ever
 * given to another request than its own: a reply that comes after its request timed out goes to
 * {@link ClientOptions#unsolicitedFrameHandler()} (see {@link RequestTimeoutAction}). Replies on one connection come
 * in order; a failure decided at once may reach its callback before the replies of earlier requests.
 *
 * <p><b>Misuse.</b> {@link IllegalStateException} for a request or acquire before {@link #start()}, a request without
 * {@link ClientOptions#framing()}; {@link IllegalArgumentException} for a payload the framing cannot carry. After
 * {@link #close()} requests and acquires fail with {@link ClientException.Kind#CLOSED} (not thrown: shutdown races
 * are normal).
 *
 * <p><b>Bounded.</b> Requests pending per connection ({@link ClientOptions#maxPendingRequests()}), acquires waiting
 * ({@link PoolOptions#maxPendingAcquires()}) and connections ({@link PoolOptions#maxConnections()}) are limited and
 * counted; request bytes are queued output of the connection's state, charged to the collection's memory budget.
 */
public final class AsyncIoClient implements AutoCloseable {
    private final ClientCore core;

    private AsyncIoClient(String name, WaitStateCollection collection, ClientOptions options) {
        this.core = new ClientCore(this, name, collection, options);
    }

    /**
     * Makes a client; nothing connects until {@link #start()}.
     *
     * @param name the client's name: in its states' names, messages, and the starter's bean name and metric tag
     * @param collection the loop its connections and callbacks run on
     * @param options where and how to connect
     * @return the client, {@link ClientState#NEW}
     * @throws IllegalArgumentException for a blank name
     */
    public static AsyncIoClient create(String name, WaitStateCollection collection, ClientOptions options) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a client needs a name, got a blank one");
        }
        return new AsyncIoClient(name, Objects.requireNonNull(collection, "collection"),
                Objects.requireNonNull(options, "options"));
    }

    /** @return the client's name */
    public String name() {
        return core.name();
    }

    /** @return the loop it runs on */
    public WaitStateCollection collection() {
        return core.collection();
    }

    /** @return its options */
    public ClientOptions options() {
        return core.options();
    }

    /**
     * Starts the client: a {@link ClientMode#SHARED shared} client connects now ({@link ClientState#CONNECTING}), a
     * pool or per-use client becomes {@link ClientState#IDLE} and connects on first use. Does not wait for the
     * connection; a second call does nothing.
     *
     * @return this
     * @throws IllegalStateException if the client or its collection is closed
     */
    public AsyncIoClient start() {
        core.start();
        return this;
    }

    /**
     * Closes the client for good: stops reconnecting, fails requests and acquires in flight or waiting with
     * {@link ClientException.Kind#CLOSED}, and closes every connection (leased ones too). Returns at once; the state
     * is {@link ClientState#CLOSED} when it returns. Closing twice does nothing.
     */
    @Override
    public void close() {
        core.close();
    }

    /** @return where the client is; never opens a connection */
    public ClientState state() {
        return core.state();
    }

    /** @return a snapshot of its counters and gauges; never opens a connection */
    public ClientStatistics statistics() {
        return core.statistics();
    }

    /**
     * Adds a listener (after those of {@link ClientOptions#listeners()}); it hears events from now on.
     *
     * @param listener the listener; its methods run on the loop thread
     */
    public void addListener(ClientListener listener) {
        core.addListener(Objects.requireNonNull(listener, "listener"));
    }

    /** @param listener a listener to remove; nothing happens if it was not added */
    public void removeListener(ClientListener listener) {
        core.removeListener(listener);
    }

    /**
     * For operators (the starter's actuator endpoint): closes every connection and stops reconnecting
     * ({@link ClientState#DISCONNECTED}); requests in flight fail with {@link ClientException.Kind#CONNECTION_LOST},
     * new ones with {@link ClientException.Kind#NOT_CONNECTED}, until {@link #reconnect()}.
     *
     * @throws IllegalStateException if the client is closed or not started
     */
    public void disconnect() {
        core.disconnect();
    }

    /**
     * For operators: connects again now, with the backoff reset — after {@link #disconnect()}, after
     * {@link ClientState#FAILED}, or to move a shared connection back to the first address (the current connection
     * is closed, its requests in flight fail with {@link ClientException.Kind#CONNECTION_LOST}). A pool closes its
     * idle connections and leaves busy ones to finish.
     *
     * @throws IllegalStateException if the client is closed or not started
     */
    public void reconnect() {
        core.reconnect();
    }

    /**
     * Sends one request and hands its reply (the matching frame, in FIFO order) or its failure to {@code callback}
     * on the loop thread: on the shared connection, on a pooled connection (waiting for one, bounded, when all are
     * busy), or on a new connection that is closed after the reply (per use).
     *
     * <p><b>While connecting.</b> A request made while the client has no connection but a connect attempt is under
     * way — the first connect after {@link #start()}, a reconnect's attempt (after a drop, the next address of a
     * round, or a retry whose backoff has elapsed), a pool's or per-use connect — waits for that attempt instead of
     * failing: once it succeeds the waiting requests are sent in the order they were made; when it fails and the
     * client backs off or gives up, every waiting request fails with {@link ClientException.Kind#NOT_CONNECTED}
     * whose cause is the connect's failure (when the next address is tried at once, they wait for that attempt
     * too). It waits at most its request timeout ({@link ClientOptions#requestTimeout()}, then
     * {@link ClientException.Kind#REQUEST_TIMEOUT}; a pool also bounds it by {@link PoolOptions#acquireTimeout()}),
     * and at most {@link ClientOptions#maxPendingRequests()} requests wait for a shared client's connect
     * ({@link PoolOptions#maxPendingAcquires()} for a pool); beyond that a request fails at once
     * ({@link ClientException.Kind#TOO_MANY_PENDING_REQUESTS}, {@link ClientException.Kind#POOL_EXHAUSTED}). Waiting
     * requests count in {@link ClientStatistics#pendingRequests()} (a shared client) or
     * {@link ClientStatistics#pendingAcquires()} (a pool), and reach the listeners as any other. While the client
     * backs off between attempts ({@link ClientStatistics#nextAttemptInMillis()} &ge; 0: the service is known to be
     * down), is {@link ClientState#FAILED} or disconnected, a request fails at once, never waits.
     *
     * @param payload the request's payload, from its position to its limit, framed by {@link ClientOptions#framing()};
     *                the client owns it until written (don't change it meanwhile)
     * @param callback gets the reply or the failure, exactly once, on the loop thread
     * @throws IllegalStateException if the client has no framing or was not started
     * @throws IllegalArgumentException if the framing cannot carry the payload
     */
    public void request(ByteBuffer payload, ReplyCallback callback) {
        core.request(Objects.requireNonNull(payload, "payload"), Objects.requireNonNull(callback, "callback"));
    }

    /**
     * As {@link #request(ByteBuffer, ReplyCallback)} with all of {@code payload}.
     *
     * @param payload the bytes; the client owns them until written
     * @param callback gets the reply or the failure, exactly once, on the loop thread
     */
    public void request(byte[] payload, ReplyCallback callback) {
        request(ByteBuffer.wrap(payload), callback);
    }

    /**
     * As {@link #request(ByteBuffer, ReplyCallback)}, for callers off the loop: the future completes on the loop
     * thread with a copy of the reply, or exceptionally with the {@link ClientException}.
     *
     * @param payload the bytes; the client owns them until written
     * @return the reply's payload
     */
    public CompletableFuture<byte[]> request(byte[] payload) {
        CompletableFuture<byte[]> f = new CompletableFuture<>();
        request(ByteBuffer.wrap(payload), (reply, failure) -> {
            if (failure != null) {
                f.completeExceptionally(failure);
            } else {
                byte[] copy = new byte[reply.remaining()];
                reply.get(copy);
                f.complete(copy);
            }
        });
        return f;
    }

    /**
     * Hands a connection to {@code callback} on the loop thread: exclusively from the pool (waiting, bounded, when
     * all are busy), the shared connection itself, or a new one (per use). Release it with
     * {@link ClientConnection#release()}.
     *
     * @param callback gets the connection or why there is none, exactly once, on the loop thread
     * @throws IllegalStateException if the client was not started
     */
    public void acquire(AcquireCallback callback) {
        core.acquire(Objects.requireNonNull(callback, "callback"));
    }

    /**
     * As {@link #acquire(AcquireCallback)}, for callers off the loop; the future completes on the loop thread. A
     * connection that arrives after the future was cancelled is released.
     *
     * @return the connection
     */
    public CompletableFuture<ClientConnection> acquire() {
        CompletableFuture<ClientConnection> f = new CompletableFuture<>();
        acquire((connection, failure) -> {
            if (failure != null) {
                f.completeExceptionally(failure);
            } else if (!f.complete(connection)) {
                connection.release();
            }
        });
        return f;
    }

    @Override
    public String toString() {
        return "AsyncIoClient[" + name() + " " + state() + " " + options().addresses() + " " + options().mode() + "]";
    }
}
