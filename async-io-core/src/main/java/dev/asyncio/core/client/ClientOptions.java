package dev.asyncio.core.client;

import org.jspecify.annotations.Nullable;

import dev.asyncio.core.ConnectOptions;
import dev.asyncio.core.Framing;
import dev.asyncio.core.TlsOptions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;

/**
 * What an {@link AsyncIoClient} connects to and how. Immutable; made by {@link #builder()}, which needs at least
 * one address. Defaults: {@link AddressOrder#IN_ORDER}, a 10 s connect timeout, plain TCP, no framing (raw
 * {@link AsyncIoClient#acquire acquire} only), {@link ReconnectPolicy#DEFAULTS}, {@link ClientMode#SHARED},
 * {@link PoolOptions#DEFAULTS}, a 10 s request timeout with {@link RequestTimeoutAction#CLOSE_CONNECTION}, at most
 * 1024 requests pending per connection.
 *
 * <p>The starter builds these from {@code async-io.clients.<name>.*}.
 */
public final class ClientOptions {
    private final List<ClientAddress> addresses;
    private final AddressOrder addressOrder;
    private final Duration connectTimeout;
    private final @Nullable TlsOptions tls;
    private final ConnectOptions connectOptions;
    private final @Nullable Framing framing;
    private final ReconnectPolicy reconnect;
    private final ClientMode mode;
    private final PoolOptions pool;
    private final @Nullable Duration requestTimeout;
    private final RequestTimeoutAction requestTimeoutAction;
    private final int maxPendingRequests;
    private final @Nullable UnsolicitedFrameHandler unsolicitedFrameHandler;
    private final List<ClientListener> listeners;
    private final @Nullable RandomGenerator random;
    private final @Nullable ConnectionInitializer connectionInitializer;
    private final @Nullable UnaryOperator<ClientAddress> addressResolver;

    private ClientOptions(Builder b) {
        if (b.addresses.isEmpty()) {
            throw new IllegalArgumentException("a client needs at least one address (ClientOptions.address)");
        }
        this.addresses = List.copyOf(b.addresses);
        this.addressOrder = b.addressOrder;
        this.connectTimeout = b.connectTimeout;
        this.tls = b.tls;
        this.connectOptions = b.connectOptions;
        this.framing = b.framing;
        this.reconnect = b.reconnect;
        this.mode = b.mode;
        this.pool = b.pool;
        this.requestTimeout = b.requestTimeout;
        this.requestTimeoutAction = b.requestTimeoutAction;
        this.maxPendingRequests = b.maxPendingRequests;
        this.unsolicitedFrameHandler = b.unsolicitedFrameHandler;
        this.listeners = List.copyOf(b.listeners);
        this.random = b.random;
        this.connectionInitializer = b.connectionInitializer;
        this.addressResolver = b.addressResolver;
    }

    /** @return a builder with the defaults and no address */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder with these values */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.addresses.addAll(addresses);
        b.addressOrder = addressOrder;
        b.connectTimeout = connectTimeout;
        b.tls = tls;
        b.connectOptions = connectOptions;
        b.framing = framing;
        b.reconnect = reconnect;
        b.mode = mode;
        b.pool = pool;
        b.requestTimeout = requestTimeout;
        b.requestTimeoutAction = requestTimeoutAction;
        b.maxPendingRequests = maxPendingRequests;
        b.unsolicitedFrameHandler = unsolicitedFrameHandler;
        b.listeners.addAll(listeners);
        b.random = random;
        b.connectionInitializer = connectionInitializer;
        b.addressResolver = addressResolver;
        return b;
    }

    /** @return the addresses, at least one, in configured order */
    public List<ClientAddress> addresses() {
        return addresses;
    }

    /** @return the order addresses are tried in */
    public AddressOrder addressOrder() {
        return addressOrder;
    }

    /** @return how long one connect attempt (TLS handshake included) may take */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /**
     * @return TLS on every connection, as a client: SNI and host name verification use the address's host (for a
     *         Unix socket, {@link TlsOptions#sniHostName()}); {@code null} = plain
     */
    public @Nullable TlsOptions tls() {
        return tls;
    }

    /**
     * @return the base of each connect: socket options, local bind, IP family, the state options (its connect
     *         timeout and TLS are replaced by {@link #connectTimeout()} and {@link #tls()}; output always queues;
     *         its closed callback, if any, still runs)
     */
    public ConnectOptions connectOptions() {
        return connectOptions;
    }

    /**
     * @return how requests and replies are cut into frames; {@code null} = no framing: no request/reply, only
     *         {@link AsyncIoClient#acquire acquire} of raw connections whose read direction is the caller's
     */
    public @Nullable Framing framing() {
        return framing;
    }

    /** @return when to try again after a failed connect or a drop */
    public ReconnectPolicy reconnect() {
        return reconnect;
    }

    /** @return one shared connection, a pool, or a connection per use */
    public ClientMode mode() {
        return mode;
    }

    /** @return the pool's limits (for {@link ClientMode#POOL}) */
    public PoolOptions pool() {
        return pool;
    }

    /** @return how long a request may wait for its reply, from the call; {@code null} = no limit */
    public @Nullable Duration requestTimeout() {
        return requestTimeout;
    }

    /** @return what becomes of a connection on which a request timed out */
    public RequestTimeoutAction requestTimeoutAction() {
        return requestTimeoutAction;
    }

    /**
     * @return the most requests in flight or queued per connection (and, for the shared connection, in all; also
     *         the most that wait for a shared client's connect under way); one more fails at once with {@link ClientException.Kind#TOO_MANY_PENDING_REQUESTS}. The request bytes
     *         themselves are charged to the collection's memory budget as any queued output is.
     */
    public int maxPendingRequests() {
        return maxPendingRequests;
    }

    /** @return who gets late replies and frames with no request; {@code null} = dropped (still counted) */
    public @Nullable UnsolicitedFrameHandler unsolicitedFrameHandler() {
        return unsolicitedFrameHandler;
    }

    /** @return the listeners every client made with these options starts with */
    public List<ClientListener> listeners() {
        return listeners;
    }

    /** @return where the reconnect jitter and the shuffle come from; {@code null} = a per-thread random */
    public @Nullable RandomGenerator random() {
        return random;
    }

    /**
     * @return what prepares each new connection before use ({@code AUTH}, {@code SELECT}, a login); {@code null} =
     *         nothing, a connection is ready once connected
     */
    public @Nullable ConnectionInitializer connectionInitializer() {
        return connectionInitializer;
    }

    /**
     * @return what turns a configured address into the one to dial, asked again before every connect attempt;
     *         {@code null} = the configured address as it is
     */
    public @Nullable UnaryOperator<ClientAddress> addressResolver() {
        return addressResolver;
    }

    @Override
    public String toString() {
        return "ClientOptions[" + addresses + " " + addressOrder + " " + mode + " connectTimeout=" + connectTimeout
                + (tls != null ? " tls" : "") + (framing != null ? " " + framing : "") + " " + reconnect
                + (mode == ClientMode.POOL ? " " + pool : "") + " requestTimeout=" + requestTimeout + " "
                + requestTimeoutAction + " maxPendingRequests=" + maxPendingRequests + "]";
    }

    /** Builds {@link ClientOptions}; each setter checks its argument and names it in {@link IllegalArgumentException}. */
    public static final class Builder {
        private final List<ClientAddress> addresses = new ArrayList<>();
        private AddressOrder addressOrder = AddressOrder.IN_ORDER;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private @Nullable TlsOptions tls;
        private ConnectOptions connectOptions = ConnectOptions.DEFAULTS;
        private @Nullable Framing framing;
        private ReconnectPolicy reconnect = ReconnectPolicy.DEFAULTS;
        private ClientMode mode = ClientMode.SHARED;
        private PoolOptions pool = PoolOptions.DEFAULTS;
        private @Nullable Duration requestTimeout = Duration.ofSeconds(10);
        private RequestTimeoutAction requestTimeoutAction = RequestTimeoutAction.CLOSE_CONNECTION;
        private int maxPendingRequests = 1024;
        private @Nullable UnsolicitedFrameHandler unsolicitedFrameHandler;
        private final List<ClientListener> listeners = new ArrayList<>();
        private @Nullable RandomGenerator random;
        private @Nullable ConnectionInitializer connectionInitializer;
        private @Nullable UnaryOperator<ClientAddress> addressResolver;

        private Builder() {
        }

        /**
         * Adds an address (after those already added).
         *
         * @param address {@code host:port}, {@code [ipv6]:port}, {@code unix:/path} or an absolute path
         * @return this
         * @throws IllegalArgumentException if it is none of those ({@link ClientAddress#parse})
         */
        public Builder address(String address) {
            return address(ClientAddress.parse(address));
        }

        /** @param address an address to add @return this */
        public Builder address(ClientAddress address) {
            addresses.add(Objects.requireNonNull(address, "address"));
            return this;
        }

        /** @param addresses replaces the addresses so far @return this */
        public Builder addresses(List<ClientAddress> addresses) {
            Objects.requireNonNull(addresses, "addresses");
            this.addresses.clear();
            addresses.forEach(this::address);
            return this;
        }

        /** @param addressOrder in order or shuffled @return this */
        public Builder addressOrder(AddressOrder addressOrder) {
            this.addressOrder = Objects.requireNonNull(addressOrder, "addressOrder");
            return this;
        }

        /** @param connectTimeout positive @return this */
        public Builder connectTimeout(Duration connectTimeout) {
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            if (connectTimeout.isNegative() || connectTimeout.isZero()) {
                throw new IllegalArgumentException("client connectTimeout must be positive, got " + connectTimeout);
            }
            this.connectTimeout = connectTimeout;
            return this;
        }

        /** @param tls TLS as a client, or {@code null} for plain @return this */
        public Builder tls(@Nullable TlsOptions tls) {
            this.tls = tls;
            return this;
        }

        /** @param connectOptions socket and state options of each connection @return this */
        public Builder connectOptions(ConnectOptions connectOptions) {
            this.connectOptions = Objects.requireNonNull(connectOptions, "connectOptions");
            return this;
        }

        /** @param framing request and reply framing, or {@code null} for raw connections only @return this */
        public Builder framing(@Nullable Framing framing) {
            this.framing = framing;
            return this;
        }

        /** @param reconnect the backoff policy @return this */
        public Builder reconnect(ReconnectPolicy reconnect) {
            this.reconnect = Objects.requireNonNull(reconnect, "reconnect");
            return this;
        }

        /** @param mode shared, pool or per use @return this */
        public Builder mode(ClientMode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** @param pool the pool's limits @return this */
        public Builder pool(PoolOptions pool) {
            this.pool = Objects.requireNonNull(pool, "pool");
            return this;
        }

        /** @param requestTimeout positive, or {@code null} for none @return this */
        public Builder requestTimeout(@Nullable Duration requestTimeout) {
            if (requestTimeout != null && (requestTimeout.isNegative() || requestTimeout.isZero())) {
                throw new IllegalArgumentException("client requestTimeout must be positive (or null for none), got "
                        + requestTimeout);
            }
            this.requestTimeout = requestTimeout;
            return this;
        }

        /** @param action close or keep a connection on which a request timed out @return this */
        public Builder requestTimeoutAction(RequestTimeoutAction action) {
            this.requestTimeoutAction = Objects.requireNonNull(action, "requestTimeoutAction");
            return this;
        }

        /** @param maxPendingRequests 1 or more @return this */
        public Builder maxPendingRequests(int maxPendingRequests) {
            if (maxPendingRequests < 1) {
                throw new IllegalArgumentException("client maxPendingRequests must be 1 or more, got "
                        + maxPendingRequests);
            }
            this.maxPendingRequests = maxPendingRequests;
            return this;
        }

        /** @param handler gets late replies and frames with no request; {@code null} = none @return this */
        public Builder unsolicitedFrameHandler(@Nullable UnsolicitedFrameHandler handler) {
            this.unsolicitedFrameHandler = handler;
            return this;
        }

        /** @param listener a listener to add @return this */
        public Builder listener(ClientListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** @param random the jitter and shuffle source (tests pass a seeded one); {@code null} = per-thread @return this */
        public Builder random(@Nullable RandomGenerator random) {
            this.random = random;
            return this;
        }

        /**
         * @param initializer prepares each new connection before use (within {@code connectTimeout}); {@code null}
         *                    = none
         * @return this
         */
        public Builder connectionInitializer(@Nullable ConnectionInitializer initializer) {
            this.connectionInitializer = initializer;
            return this;
        }

        /**
         * Resolves an address anew before every connect attempt: for an address that may move between attempts
         * (the starter's {@code handle:NAME}, a service registry). Runs on the loop thread, so it must be quick and
         * must not block; it gets one of the configured {@link #address addresses} and returns the address to dial
         * (or the same one). An exception it throws fails that attempt (counted, told to the listeners, then the next
         * address or the backoff, as for a refused connect).
         *
         * @param resolver the resolver, or {@code null} to dial the configured addresses as they are
         * @return this
         */
        public Builder addressResolver(@Nullable UnaryOperator<ClientAddress> resolver) {
            this.addressResolver = resolver;
            return this;
        }

        /**
         * @return the options
         * @throws IllegalArgumentException if no address was given
         */
        public ClientOptions build() {
            return new ClientOptions(this);
        }
    }
}
