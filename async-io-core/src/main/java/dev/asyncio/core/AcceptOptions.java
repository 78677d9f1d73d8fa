package dev.asyncio.core;

import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.Objects;

/**
 * The keyword arguments of LispWorks' {@code accept-tcp-connections-creating-async-io-states}: where and how an
 * {@link AcceptingHandle} listens and what the states it creates look like.
 *
 * <p>Immutable; {@link #DEFAULTS}: all interfaces, backlog 128, {@code nodelay} on, {@code keepalive} off,
 * {@link IpFamily#ANY}, no {@code SO_REUSEPORT}, states created, bind retried for one minute, no connection limit.
 */
public final class AcceptOptions {

    /** Default {@link #backlog()}. */
    public static final int DEFAULT_BACKLOG = 128;
    /** Default {@link #initTimeout()}: keep retrying a busy port for one minute, as LispWorks does. */
    public static final Duration DEFAULT_INIT_TIMEOUT = Duration.ofMinutes(1);

    /** Default {@link #proxyProtocolTimeout()}: ten seconds, as Vert.x's {@code proxyProtocolTimeout}. */
    public static final Duration DEFAULT_PROXY_PROTOCOL_TIMEOUT = Duration.ofSeconds(10);

    /** The defaults. */
    public static final AcceptOptions DEFAULTS = builder().build();

    private final String address;
    private final int backlog;
    private final boolean nodelay;
    private final boolean keepalive;
    private final IpFamily ipFamily;
    private final boolean reusePort;
    private final boolean createState;
    private final Duration initTimeout;
    private final InitFunction initFunction;
    private final String handleName;
    private final Object userInfo;
    private final int maxConnections;
    private final MaxConnectionsPolicy maxConnectionsPolicy;
    private final StateOptions stateOptions;
    private final TlsOptions tls;
    private final ConnectCallback tlsErrorCallback;
    private final java.util.List<WaitStateCollection> spreadOver;
    private final BindRetryListener bindRetryListener;
    private final ProxyProtocol proxyProtocol;
    private final Duration proxyProtocolTimeout;

    private AcceptOptions(Builder b) {
        this.bindRetryListener = b.bindRetryListener;
        this.spreadOver = b.spreadOver;
        this.tls = b.tls;
        this.tlsErrorCallback = b.tlsErrorCallback;
        this.address = b.address;
        this.backlog = b.backlog;
        this.nodelay = b.nodelay;
        this.keepalive = b.keepalive;
        this.ipFamily = b.ipFamily;
        this.reusePort = b.reusePort;
        this.createState = b.createState;
        this.initTimeout = b.initTimeout;
        this.initFunction = b.initFunction;
        this.handleName = b.handleName;
        this.userInfo = b.userInfo;
        this.maxConnections = b.maxConnections;
        this.maxConnectionsPolicy = b.maxConnectionsPolicy;
        this.stateOptions = b.stateOptions;
        this.proxyProtocol = b.proxyProtocol;
        this.proxyProtocolTimeout = b.proxyProtocolTimeout;
    }

    /** @return a builder with the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder that starts from these options */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.address = address;
        b.backlog = backlog;
        b.nodelay = nodelay;
        b.keepalive = keepalive;
        b.ipFamily = ipFamily;
        b.reusePort = reusePort;
        b.createState = createState;
        b.initTimeout = initTimeout;
        b.initFunction = initFunction;
        b.handleName = handleName;
        b.userInfo = userInfo;
        b.maxConnections = maxConnections;
        b.maxConnectionsPolicy = maxConnectionsPolicy;
        b.stateOptions = stateOptions;
        b.tls = tls;
        b.tlsErrorCallback = tlsErrorCallback;
        b.spreadOver = spreadOver;
        b.bindRetryListener = bindRetryListener;
        b.proxyProtocol = proxyProtocol;
        b.proxyProtocolTimeout = proxyProtocolTimeout;
        return b;
    }

    /** @return the local address to listen on (host name or literal); {@code null} = all interfaces */
    public @Nullable String address() {
        return address;
    }

    /** @return the listen backlog */
    public int backlog() {
        return backlog;
    }

    /** @return whether accepted sockets get {@code TCP_NODELAY} */
    public boolean nodelay() {
        return nodelay;
    }

    /** @return whether accepted sockets get {@code SO_KEEPALIVE} */
    public boolean keepalive() {
        return keepalive;
    }

    /** @return the address family of the listening socket */
    public IpFamily ipFamily() {
        return ipFamily;
    }

    /** @return whether the listening socket sets {@code SO_REUSEPORT} (several listeners, one port) */
    public boolean reusePort() {
        return reusePort;
    }

    /** @return whether accepted connections become states (true) or are handed over raw (false) */
    public boolean createState() {
        return createState;
    }

    /** @return how long a busy port is retried before the bind fails; zero = fail at once */
    public Duration initTimeout() {
        return initTimeout;
    }

    /** @return called with the bound listening socket before accepting starts; {@code null} = none */
    public @Nullable InitFunction initFunction() {
        return initFunction;
    }

    /** @return the handle's name, for printing, listing and metrics; {@code null} = generated */
    public @Nullable String handleName() {
        return handleName;
    }

    /** @return the application's object kept on the handle */
    public Object userInfo() {
        return userInfo;
    }

    /**
     * @return the most connections of this handle open at once; what happens to the next one is
     *         {@link #maxConnectionsPolicy()}. 0 = no limit
     */
    public int maxConnections() {
        return maxConnections;
    }

    /** @return what a new connection meets while {@link #maxConnections()} are open; default {@link MaxConnectionsPolicy#PAUSE} */
    public MaxConnectionsPolicy maxConnectionsPolicy() {
        return maxConnectionsPolicy;
    }

    /** @return the options of every state the handle creates (LispWorks {@code :name}, {@code :queue-output}, timeouts) */
    public StateOptions stateOptions() {
        return stateOptions;
    }

    /**
     * @return the collections accepted connections are handed to, round-robin; empty = the handle's own collection.
     *         The handle's loop only accepts; each connection's callbacks then run on the loop of the collection it
     *         was handed to.
     */
    public java.util.List<WaitStateCollection> spreadOver() {
        return spreadOver;
    }

    /**
     * @return TLS for every accepted connection (server side by default): the handshake completes before the
     *         connection function runs; {@code null} = plain TCP
     */
    public @Nullable TlsOptions tls() {
        return tls;
    }

    /**
     * @return called on the loop thread with {@code (state, failure)} when an accepted connection's TLS handshake
     *         fails, before the state is closed (LispWorks {@code :ssl-error-callback}); {@code null} = none
     */
    public @Nullable ConnectCallback tlsErrorCallback() {
        return tlsErrorCallback;
    }

    /**
     * @return told of each failed attempt while a busy port is retried, and asked whether to go on;
     *         {@link BindRetryListener#NONE} (the default) retries silently until the {@link #initTimeout()}
     */
    public BindRetryListener bindRetryListener() {
        return bindRetryListener;
    }

    /**
     * @return whether each connection starts with a PROXY protocol header, read before TLS and before the connection
     *         function runs; default {@link ProxyProtocol#OFF}. See {@link ProxyProtocol} for the modes
     */
    public ProxyProtocol proxyProtocol() {
        return proxyProtocol;
    }

    /**
     * @return how long a connection may take to send its complete PROXY protocol header, from the accept; default
     *         {@link #DEFAULT_PROXY_PROTOCOL_TIMEOUT}. With {@link ProxyProtocol#ON} a late connection is closed, with
     *         {@link ProxyProtocol#AUTO} an undecided one is served as direct
     */
    public Duration proxyProtocolTimeout() {
        return proxyProtocolTimeout;
    }

    /** Builds {@link AcceptOptions}; every setter checks its argument and throws {@link IllegalArgumentException}. */
    public static final class Builder {
        private String address;
        private int backlog = DEFAULT_BACKLOG;
        private boolean nodelay = true;
        private boolean keepalive;
        private IpFamily ipFamily = IpFamily.ANY;
        private boolean reusePort;
        private boolean createState = true;
        private Duration initTimeout = DEFAULT_INIT_TIMEOUT;
        private InitFunction initFunction;
        private String handleName;
        private Object userInfo;
        private int maxConnections;
        private MaxConnectionsPolicy maxConnectionsPolicy = MaxConnectionsPolicy.PAUSE;
        private StateOptions stateOptions = StateOptions.DEFAULTS;
        private TlsOptions tls;
        private ConnectCallback tlsErrorCallback;
        private java.util.List<WaitStateCollection> spreadOver = java.util.List.of();
        private BindRetryListener bindRetryListener = BindRetryListener.NONE;
        private ProxyProtocol proxyProtocol = ProxyProtocol.OFF;
        private Duration proxyProtocolTimeout = DEFAULT_PROXY_PROTOCOL_TIMEOUT;

        private Builder() {
        }

        /**
         * Reports the retries of a busy port and lets the caller stop early (for example when the port's holder is
         * a live server that waiting will not remove). Called on the thread that binds; see
         * {@link BindRetryListener}.
         *
         * @param listener not {@code null}; {@link BindRetryListener#NONE} = retry silently
         * @return this
         */
        public Builder bindRetryListener(BindRetryListener listener) {
            this.bindRetryListener = Objects.requireNonNull(listener, "bindRetryListener");
            return this;
        }

        /**
         * Hands accepted connections round-robin to these collections, one loop thread each, so that one port uses
         * several cores (Netty's boss and worker groups). List the handle's own collection too if it should serve
         * connections as well as accept them.
         *
         * @param collections the collections; empty = the handle's own
         * @return this
         */
        public Builder spreadOver(java.util.List<WaitStateCollection> collections) {
            this.spreadOver = java.util.List.copyOf(collections);
            return this;
        }

        /** @param tls TLS for accepted connections (LispWorks {@code :ssl-ctx}, {@code :ssl-side}, ...); {@code null} = none @return this */
        public Builder tls(@Nullable TlsOptions tls) {
            this.tls = tls;
            return this;
        }

        /** @param callback told of failed handshakes (LispWorks {@code :ssl-error-callback}) @return this */
        public Builder tlsErrorCallback(ConnectCallback callback) {
            this.tlsErrorCallback = callback;
            return this;
        }

        /** @param address host name or literal to bind; {@code null} = all interfaces (LispWorks {@code :address}) @return this */
        public Builder address(@Nullable String address) {
            this.address = address;
            return this;
        }

        /**
         * The address to bind as an object, as LispWorks' {@code :address} also takes an integer IPv4 address or an
         * {@code ipv6-address}: stored as its literal, so it is never looked up.
         *
         * @param address the local address to bind; {@code null} = all interfaces
         * @return this
         */
        public Builder address(java.net.@Nullable InetAddress address) {
            this.address = address == null ? null : address.getHostAddress();
            return this;
        }

        /** @param backlog positive listen backlog (LispWorks {@code :backlog}) @return this */
        public Builder backlog(int backlog) {
            if (backlog <= 0) {
                throw new IllegalArgumentException("backlog must be positive, got " + backlog);
            }
            this.backlog = backlog;
            return this;
        }

        /** @param nodelay {@code TCP_NODELAY} on accepted sockets (LispWorks {@code :nodelay}) @return this */
        public Builder nodelay(boolean nodelay) {
            this.nodelay = nodelay;
            return this;
        }

        /** @param keepalive {@code SO_KEEPALIVE} on accepted sockets (LispWorks {@code :keepalive}) @return this */
        public Builder keepalive(boolean keepalive) {
            this.keepalive = keepalive;
            return this;
        }

        /** @param ipFamily the listening socket's family (LispWorks {@code :ipv6}) @return this */
        public Builder ipFamily(IpFamily ipFamily) {
            this.ipFamily = Objects.requireNonNull(ipFamily, "ipFamily");
            return this;
        }

        /** @param reusePort {@code SO_REUSEPORT} on the listening socket (LispWorks {@code :reuseport}) @return this */
        public Builder reusePort(boolean reusePort) {
            this.reusePort = reusePort;
            return this;
        }

        /** @param createState false to get raw sockets (LispWorks {@code :create-state}) @return this */
        public Builder createState(boolean createState) {
            this.createState = createState;
            return this;
        }

        /**
         * @param initTimeout how long a busy port is retried, zero or more; {@code null} = the default of one minute,
         *                    as LispWorks' {@code :init-timeout nil} ({@link Duration#ZERO} = try once)
         * @return this
         */
        public Builder initTimeout(@Nullable Duration initTimeout) {
            if (initTimeout != null && initTimeout.isNegative()) {
                throw new IllegalArgumentException("initTimeout must not be negative, got " + initTimeout);
            }
            this.initTimeout = initTimeout == null ? DEFAULT_INIT_TIMEOUT : initTimeout;
            return this;
        }

        /** @param initFunction called with the bound socket (LispWorks {@code :init-function}) @return this */
        public Builder initFunction(InitFunction initFunction) {
            this.initFunction = initFunction;
            return this;
        }

        /** @param handleName the handle's name (LispWorks {@code :handle-name}) @return this */
        public Builder handleName(String handleName) {
            this.handleName = handleName;
            return this;
        }

        /** @param userInfo kept on the handle (LispWorks {@code :user-info}) @return this */
        public Builder userInfo(Object userInfo) {
            this.userInfo = userInfo;
            return this;
        }

        /** @param maxConnections 0 (no limit) or more @return this */
        public Builder maxConnections(int maxConnections) {
            if (maxConnections < 0) {
                throw new IllegalArgumentException("maxConnections must be 0 (no limit) or positive, got "
                        + maxConnections);
            }
            this.maxConnections = maxConnections;
            return this;
        }

        /**
         * @param policy what a new connection meets while {@link #maxConnections(int)} are open: wait in the
         *               backlog ({@link MaxConnectionsPolicy#PAUSE}, the default) or be reset at once
         *               ({@link MaxConnectionsPolicy#REFUSE}); not {@code null}
         * @return this
         */
        public Builder maxConnectionsPolicy(MaxConnectionsPolicy policy) {
            this.maxConnectionsPolicy = Objects.requireNonNull(policy, "maxConnectionsPolicy");
            return this;
        }

        /** @param stateOptions options of each created state @return this */
        public Builder stateOptions(StateOptions stateOptions) {
            this.stateOptions = Objects.requireNonNull(stateOptions, "stateOptions");
            return this;
        }

        /** @param queueOutput shortcut for {@code stateOptions.queueOutput} (LispWorks {@code :queue-output}) @return this */
        public Builder queueOutput(boolean queueOutput) {
            this.stateOptions = stateOptions.toBuilder().queueOutput(queueOutput).build();
            return this;
        }

        /**
         * Reads a PROXY protocol header (v1 or v2) at the start of each connection: behind HAProxy's
         * {@code send-proxy-v2} (or any load balancer that speaks it) the states then see the client's address.
         * Needs states ({@code createState} true); works over TCP and Unix sockets, and before TLS.
         *
         * @param mode {@link ProxyProtocol#OFF} (the default), {@link ProxyProtocol#ON} or {@link ProxyProtocol#AUTO};
         *             not {@code null}
         * @return this
         */
        public Builder proxyProtocol(ProxyProtocol mode) {
            this.proxyProtocol = Objects.requireNonNull(mode, "proxyProtocol");
            return this;
        }

        /**
         * @param timeout how long a connection may take to send its complete header, positive; {@code null} = the
         *                default of ten seconds
         * @return this
         */
        public Builder proxyProtocolTimeout(@Nullable Duration timeout) {
            if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
                throw new IllegalArgumentException("proxyProtocolTimeout must be positive, got " + timeout);
            }
            this.proxyProtocolTimeout = timeout == null ? DEFAULT_PROXY_PROTOCOL_TIMEOUT : timeout;
            return this;
        }

        /**
         * @return the options
         * @throws IllegalArgumentException if {@code proxyProtocol} is on without states ({@code createState} false:
         *         the raw socket is the caller's, and its bytes are not the engine's to read)
         */
        public AcceptOptions build() {
            if (proxyProtocol != ProxyProtocol.OFF && !createState) {
                throw new IllegalArgumentException("proxyProtocol " + proxyProtocol + " needs createState=true: a "
                        + "raw accepted socket is handed over unread");
            }
            return new AcceptOptions(this);
        }
    }
}
