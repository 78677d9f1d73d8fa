package dev.asyncio.spring;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import dev.asyncio.core.client.AcquireCallback;
import dev.asyncio.core.client.AsyncIoClient;
import dev.asyncio.core.client.ClientConnection;
import dev.asyncio.core.client.ClientListener;
import dev.asyncio.core.client.ClientMode;
import dev.asyncio.core.client.ClientState;
import dev.asyncio.core.client.ClientStatistics;
import dev.asyncio.core.client.ReplyCallback;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * One outbound client of the application ({@code async-io.clients.<name>}), as a bean injectable by name: the core's
 * {@link AsyncIoClient}, made and started when the application context starts (after the handles are bound, so that
 * an address {@code handle:NAME} resolves to the handle's bound port) and closed when it stops (after the handles'
 * connections are drained, before the loops end). As {@link ManagedAcceptingHandle} wraps a handle.
 *
 * <p>A client that cannot reach its service does not fail start-up: a shared client connects in the background and
 * reconnects with back-off, a pool or per-use client connects on first use. What it is doing shows in
 * {@link #state()}, {@link #statistics()}, the {@code asyncioClients} health contributor and the {@code asyncio}
 * actuator endpoint.
 *
 * <p>Thread-safe. The request and acquire methods delegate to {@link #client()}: their callbacks run on the client's
 * loop thread; before the context has started them they throw {@link IllegalStateException}.
 */
public final class ManagedAsyncIoClient {

    // Commons Logging, as Spring itself: it stays connected to the log configuration through the whole shutdown.
    private static final Log LOGGER = LogFactory.getLog(ManagedAsyncIoClient.class);

    /**
     * The user info of the connections of the starter's clients (set through their {@code StateOptions}), so that the
     * handles' graceful drain leaves them to the clients' own phase. Shared, immutable.
     */
    public static final Object CONNECTION_MARKER = new Object() {
        @Override
        public String toString() {
            return "async-io client connection";
        }
    };

    private final String name;

    private final String collectionName;

    private final ClientMode mode;

    private final List<String> configuredAddresses;

    private final Supplier<AsyncIoClient> factory;

    private final List<ClientListener> listeners = new CopyOnWriteArrayList<>();

    private final Object lock = new Object();

    /** Guarded by {@link #lock}; {@code null} until started. */
    private @Nullable AsyncIoClient client;

    /** Why making the client failed (a {@code handle:NAME} address of a handle that is not bound), or null. */
    private volatile @Nullable RuntimeException startFailure;

    private volatile boolean stopped;

    /**
     * @param name the client's name
     * @param collectionName the collection its connections run on
     * @param mode its connection mode
     * @param configuredAddresses its addresses as configured ({@code handle:kv} stays so)
     * @param factory makes the core client when the context starts (resolving {@code handle:NAME} addresses then);
     *        called at most once per successful start
     */
    public ManagedAsyncIoClient(String name, String collectionName, ClientMode mode, List<String> configuredAddresses,
            Supplier<AsyncIoClient> factory) {
        this.name = name;
        this.collectionName = collectionName;
        this.mode = mode;
        this.configuredAddresses = List.copyOf(configuredAddresses);
        this.factory = factory;
    }

    /**
     * @param state a state
     * @return whether it is a connection of one of the starter's clients ({@link #CONNECTION_MARKER})
     */
    public static boolean isClientConnection(dev.asyncio.core.AsyncIoState state) {
        return state.userInfo() == CONNECTION_MARKER;
    }

    /** @return the client's name: its bean name (unless taken), metrics tag and actuator path segment */
    public String name() {
        return this.name;
    }

    /** @return the name of the collection its connections run on */
    public String collectionName() {
        return this.collectionName;
    }

    /** @return its connection mode */
    public ClientMode mode() {
        return this.mode;
    }

    /** @return its addresses as configured, e.g. {@code 10.0.0.5:6379} or {@code handle:kv} */
    public List<String> configuredAddresses() {
        return this.configuredAddresses;
    }

    /**
     * Makes and starts the core client (the context's start phase calls it). Never throws for an unreachable service;
     * an address that cannot be resolved (a {@code handle:NAME} whose handle is not bound) is logged and kept as
     * {@link #failure()} — the state is then {@link ClientState#FAILED} until {@link #reconnect()} succeeds.
     */
    public void start() {
        synchronized (this.lock) {
            if (this.client != null || this.stopped) {
                return;
            }
            AsyncIoClient made;
            try {
                made = this.factory.get();
            }
            catch (RuntimeException ex) {
                this.startFailure = ex;
                LOGGER.warn("async-io client '" + this.name + "' cannot start: " + ex.getMessage());
                return;
            }
            this.listeners.forEach(made::addListener);
            this.client = made;
            this.startFailure = null;
            try {
                made.start();
            }
            catch (RuntimeException ex) {
                // Start-up must not fail because of a client; its state and the health show it.
                LOGGER.warn("async-io client '" + this.name + "' failed to start", ex);
            }
        }
    }

    /** Closes the client for good (the context's stop phase calls it): pending requests fail, connections close. */
    public void stop() {
        AsyncIoClient toClose;
        synchronized (this.lock) {
            this.stopped = true;
            toClose = this.client;
        }
        if (toClose != null) {
            toClose.close();
        }
    }

    /**
     * @return the started core client
     * @throws IllegalStateException before the context has started it, or if it could not start
     */
    public AsyncIoClient client() {
        AsyncIoClient started = clientIfStarted();
        if (started == null) {
            RuntimeException failure = this.startFailure;
            throw new IllegalStateException("async-io client '" + this.name + "' is not started"
                    + ((failure != null) ? ": " + failure.getMessage()
                            : " yet: it starts with the application context, after the handles are bound"));
        }
        return started;
    }

    /** @return the core client, or {@code null} before it started */
    public @Nullable AsyncIoClient clientIfStarted() {
        synchronized (this.lock) {
            return this.client;
        }
    }

    /** @return why the client could not start, or {@code null} */
    public @Nullable RuntimeException failure() {
        return this.startFailure;
    }

    /** @return its state; {@link ClientState#NEW} before start, {@link ClientState#FAILED} if it could not start */
    public ClientState state() {
        AsyncIoClient started = clientIfStarted();
        if (started != null) {
            return started.state();
        }
        return (this.startFailure != null) ? ClientState.FAILED : ClientState.NEW;
    }

    /** @return its state in lower case with dashes, as the endpoint and health show it */
    public String stateName() {
        return state().name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** @return a snapshot of its counters, or {@code null} before it started; never opens a connection */
    public @Nullable ClientStatistics statistics() {
        AsyncIoClient started = clientIfStarted();
        return (started != null) ? started.statistics() : null;
    }

    /**
     * Adds a listener: to the core client now if it has started, and to every client made later.
     *
     * @param listener runs on the client's loop thread
     */
    public void addListener(ClientListener listener) {
        synchronized (this.lock) {
            this.listeners.add(listener);
            if (this.client != null) {
                this.client.addListener(listener);
            }
        }
    }

    /**
     * For operators: closes its connections and stops reconnecting until {@link #reconnect()}.
     *
     * @throws IllegalStateException if the client is not started or is closed
     */
    public void disconnect() {
        client().disconnect();
    }

    /**
     * For operators: connects again now with the back-off reset; a client that could not start is started again.
     *
     * @throws IllegalStateException if the client is closed, or still cannot start
     */
    public void reconnect() {
        if (clientIfStarted() == null && !this.stopped) {
            start();
            client();
            return;
        }
        client().reconnect();
    }

    /**
     * @param payload the request, framed by the client's framing
     * @return its reply (a copy), or the failure ({@link dev.asyncio.core.client.ClientException})
     * @see AsyncIoClient#request(byte[])
     */
    public CompletableFuture<byte[]> request(byte[] payload) {
        return client().request(payload);
    }

    /**
     * @param payload the request, framed by the client's framing
     * @param callback gets the reply view or the failure once, on the loop thread
     * @see AsyncIoClient#request(byte[], ReplyCallback)
     */
    public void request(byte[] payload, ReplyCallback callback) {
        client().request(payload, callback);
    }

    /**
     * @param payload the request, from its position to its limit
     * @param callback gets the reply view or the failure once, on the loop thread
     * @see AsyncIoClient#request(ByteBuffer, ReplyCallback)
     */
    public void request(ByteBuffer payload, ReplyCallback callback) {
        client().request(payload, callback);
    }

    /**
     * @param callback gets a connection (release it) or the failure once, on the loop thread
     * @see AsyncIoClient#acquire(AcquireCallback)
     */
    public void acquire(AcquireCallback callback) {
        client().acquire(callback);
    }

    /**
     * @return a connection (release it) or the failure
     * @see AsyncIoClient#acquire()
     */
    public CompletableFuture<ClientConnection> acquire() {
        return client().acquire();
    }

    @Override
    public String toString() {
        return "ManagedAsyncIoClient[" + this.name + " " + this.configuredAddresses + " " + stateName() + "]";
    }
}
