package dev.asyncio.spring.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * {@code async-io.clients.<name>.*}: one outbound client — where it connects, how it reconnects, how many
 * connections it keeps and how long a request may wait for its reply. Binding only checks types; the rules between
 * values (an address that parses, intervals in order, a known collection, an existing SSL bundle) are checked at
 * start-up by {@link ClientSettings}, naming the property.
 */
public class ClientProperties {

    /** Whether the client is configured; false leaves it out (no bean, no connection). */
    private boolean enabled = true;

    /**
     * Where the client connects: host:port ([v6-address]:port for IPv6), a Unix domain socket path (an absolute path,
     * or unix:PATH), or handle:NAME for the bound port of the async-io handle NAME of the same application. Use
     * addresses for several.
     */
    private @Nullable String address;

    /**
     * Several addresses to fail over between, in the same forms as address; tried in the order address-order says,
     * each connect going to the next one after a failure.
     */
    private List<String> addresses = new ArrayList<>();

    /** In which order the addresses are tried: in-order (the first first) or shuffle (once per client). */
    private AddressOrder addressOrder = AddressOrder.IN_ORDER;

    /** How long one connect may take before it counts as failed and the next address (or a retry) is tried. */
    private Duration connectTimeout = Duration.ofSeconds(10);

    /** How the client uses connections: shared (one, pipelined), pool (several, one request at a time each), per-use. */
    private Mode mode = Mode.SHARED;

    /**
     * How long a request waits for its reply before it fails with a timeout; a reply that comes later is counted as
     * late and dropped. Unset or 0 waits for ever.
     */
    private @Nullable Duration requestTimeout = Duration.ofSeconds(10);

    /** The collection (event loop) the client's connections run on; default the shared collection "default". */
    private @Nullable String collection;

    /** How the client reconnects after a failed connect or a dropped connection. */
    private final Reconnect reconnect = new Reconnect();

    /** The connection pool of mode pool. */
    private final Pool pool = new Pool();

    /** TLS of the client's connections. */
    private final Tls tls = new Tls();

    /** How replies (and requests) are cut into frames; default: none. */
    private final FramingProperties framing = new FramingProperties();

    /** @return whether the client is configured */
    public boolean isEnabled() {
        return this.enabled;
    }

    /** @param enabled whether the client is configured */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** @return the single address, {@code null} when unset */
    public @Nullable String getAddress() {
        return this.address;
    }

    /** @param address the single address */
    public void setAddress(@Nullable String address) {
        this.address = address;
    }

    /** @return the failover addresses (mutable, for binding) */
    public List<String> getAddresses() {
        return this.addresses;
    }

    /** @param addresses the failover addresses */
    public void setAddresses(List<String> addresses) {
        this.addresses = addresses;
    }

    /** @return the order the addresses are tried in */
    public AddressOrder getAddressOrder() {
        return this.addressOrder;
    }

    /** @param addressOrder the order the addresses are tried in */
    public void setAddressOrder(AddressOrder addressOrder) {
        this.addressOrder = addressOrder;
    }

    /** @return the connect timeout */
    public Duration getConnectTimeout() {
        return this.connectTimeout;
    }

    /** @param connectTimeout the connect timeout */
    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    /** @return the connection mode */
    public Mode getMode() {
        return this.mode;
    }

    /** @param mode the connection mode */
    public void setMode(Mode mode) {
        this.mode = mode;
    }

    /** @return the request timeout, {@code null} for none */
    public @Nullable Duration getRequestTimeout() {
        return this.requestTimeout;
    }

    /** @param requestTimeout the request timeout, {@code null} or 0 for none */
    public void setRequestTimeout(@Nullable Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    /** @return the collection name, {@code null} for the default */
    public @Nullable String getCollection() {
        return this.collection;
    }

    /** @param collection the collection name */
    public void setCollection(@Nullable String collection) {
        this.collection = collection;
    }

    /** @return the reconnect settings */
    public Reconnect getReconnect() {
        return this.reconnect;
    }

    /** @return the pool settings */
    public Pool getPool() {
        return this.pool;
    }

    /** @return the TLS settings */
    public Tls getTls() {
        return this.tls;
    }

    /** @return the framing settings */
    public FramingProperties getFraming() {
        return this.framing;
    }

    /** The order in which a client tries its addresses. */
    public enum AddressOrder {
        /** The first address first; the next one after each failure, wrapping around. */
        IN_ORDER,
        /** The addresses shuffled once when the client is made, then as in-order. */
        SHUFFLE
    }

    /** How a client uses connections. */
    public enum Mode {
        /** One connection for every request, pipelined: replies are matched to requests in order. */
        SHARED,
        /** A pool of connections, each lent to one user at a time. */
        POOL,
        /** A new connection for each use, closed after it. */
        PER_USE
    }

    /**
     * Reconnecting with exponential back-off: the n-th attempt in a row waits initial-interval x multiplier^(n-1),
     * at most max-interval, randomised by +/- jitter; a successful connect starts again from initial-interval.
     */
    public static class Reconnect {

        /** The wait before the first retry after a failure. */
        private Duration initialInterval = Duration.ofMillis(100);

        /** What each further wait is multiplied by; 1 or more. */
        private double multiplier = 2.0;

        /** The longest wait between two attempts. */
        private Duration maxInterval = Duration.ofSeconds(30);

        /** Attempts in a row after which the client gives up (until reconnected by hand); unset or 0 = for ever. */
        private @Nullable Integer maxAttempts;

        /** How much each wait is randomised, as a fraction from 0 (none) to 1: 0.2 = +/- 20 %. */
        private double jitter = 0.2;

        /** @return the first wait */
        public Duration getInitialInterval() {
            return this.initialInterval;
        }

        /** @param initialInterval the first wait */
        public void setInitialInterval(Duration initialInterval) {
            this.initialInterval = initialInterval;
        }

        /** @return the multiplier */
        public double getMultiplier() {
            return this.multiplier;
        }

        /** @param multiplier the multiplier, 1 or more */
        public void setMultiplier(double multiplier) {
            this.multiplier = multiplier;
        }

        /** @return the longest wait */
        public Duration getMaxInterval() {
            return this.maxInterval;
        }

        /** @param maxInterval the longest wait */
        public void setMaxInterval(Duration maxInterval) {
            this.maxInterval = maxInterval;
        }

        /** @return the attempts in a row before giving up, {@code null} for no limit */
        public @Nullable Integer getMaxAttempts() {
            return this.maxAttempts;
        }

        /** @param maxAttempts the attempts in a row before giving up, {@code null} or 0 for no limit */
        public void setMaxAttempts(@Nullable Integer maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        /** @return the jitter fraction */
        public double getJitter() {
            return this.jitter;
        }

        /** @param jitter the jitter fraction, 0 to 1 */
        public void setJitter(double jitter) {
            this.jitter = jitter;
        }
    }

    /** The pool of a client in mode pool. */
    public static class Pool {

        /** The most connections open at once. */
        private int maxConnections = 8;

        /** The most acquires that may wait for a connection; one more fails at once. */
        private int maxPendingAcquires = 1000;

        /** How long an acquire may wait for a connection before it fails. */
        private Duration acquireTimeout = Duration.ofSeconds(5);

        /** How long a connection may stay unused in the pool before it is closed; 0 = for ever. */
        private @Nullable Duration idleTimeout = Duration.ofSeconds(60);

        /** How long a connection may live before it is closed when next returned; unset or 0 = for ever. */
        private @Nullable Duration maxLifetime;

        /** How often idle and expired connections are looked for. */
        private Duration evictionInterval = Duration.ofSeconds(1);

        /**
         * Whether a pooled connection's read and write status must be OK before it is lent, on top of the built-in
         * check (open, not closing, its frame reader not ended); one that fails is closed and the next one tried.
         */
        private boolean testOnAcquire = true;

        /**
         * How many requests may be pipelined on one pooled connection before another is used: 1 = one request at a
         * time per connection (as Spring Integration's outbound gateway); more = replies matched in order.
         */
        private int maxPipelined = 1;

        /** @return the requests pipelined per pooled connection */
        public int getMaxPipelined() {
            return this.maxPipelined;
        }

        /** @param maxPipelined the requests pipelined per pooled connection, 1 or more */
        public void setMaxPipelined(int maxPipelined) {
            this.maxPipelined = maxPipelined;
        }

        /** @return the most connections */
        public int getMaxConnections() {
            return this.maxConnections;
        }

        /** @param maxConnections the most connections, 1 or more */
        public void setMaxConnections(int maxConnections) {
            this.maxConnections = maxConnections;
        }

        /** @return the most waiting acquires */
        public int getMaxPendingAcquires() {
            return this.maxPendingAcquires;
        }

        /** @param maxPendingAcquires the most waiting acquires, 0 or more */
        public void setMaxPendingAcquires(int maxPendingAcquires) {
            this.maxPendingAcquires = maxPendingAcquires;
        }

        /** @return the acquire timeout */
        public Duration getAcquireTimeout() {
            return this.acquireTimeout;
        }

        /** @param acquireTimeout the acquire timeout */
        public void setAcquireTimeout(Duration acquireTimeout) {
            this.acquireTimeout = acquireTimeout;
        }

        /** @return the idle timeout, {@code null} for none */
        public @Nullable Duration getIdleTimeout() {
            return this.idleTimeout;
        }

        /** @param idleTimeout the idle timeout, {@code null} or 0 for none */
        public void setIdleTimeout(@Nullable Duration idleTimeout) {
            this.idleTimeout = idleTimeout;
        }

        /** @return the longest life of a connection, {@code null} for none */
        public @Nullable Duration getMaxLifetime() {
            return this.maxLifetime;
        }

        /** @param maxLifetime the longest life of a connection, {@code null} for none */
        public void setMaxLifetime(@Nullable Duration maxLifetime) {
            this.maxLifetime = maxLifetime;
        }

        /** @return the eviction interval */
        public Duration getEvictionInterval() {
            return this.evictionInterval;
        }

        /** @param evictionInterval the eviction interval */
        public void setEvictionInterval(Duration evictionInterval) {
            this.evictionInterval = evictionInterval;
        }

        /** @return whether connections are checked before they are lent */
        public boolean isTestOnAcquire() {
            return this.testOnAcquire;
        }

        /** @param testOnAcquire whether connections are checked before they are lent */
        public void setTestOnAcquire(boolean testOnAcquire) {
            this.testOnAcquire = testOnAcquire;
        }
    }

    /** TLS of a client. */
    public static class Tls {

        /**
         * Name of the Spring Boot SSL bundle (spring.ssl.bundle.*) whose trust material (and key, for mutual TLS) the
         * client's connections use; unset for plain TCP.
         */
        private @Nullable String bundle;

        /**
         * The host name sent as SNI and checked against the server's certificate; default the address's host (an
         * IP address sends no SNI).
         */
        private @Nullable String serverName;

        /** Whether the server's certificate must match the host name (HTTPS rules); off only for tests. */
        private boolean verifyHostname = true;

        /** How long the TLS handshake may take after the connect. */
        private Duration handshakeTimeout = Duration.ofSeconds(10);

        /** @return the SSL bundle name, {@code null} for plain TCP */
        public @Nullable String getBundle() {
            return this.bundle;
        }

        /** @param bundle the SSL bundle name */
        public void setBundle(@Nullable String bundle) {
            this.bundle = bundle;
        }

        /** @return the SNI and verified host name, {@code null} for the address's host */
        public @Nullable String getServerName() {
            return this.serverName;
        }

        /** @param serverName the SNI and verified host name */
        public void setServerName(@Nullable String serverName) {
            this.serverName = serverName;
        }

        /** @return whether the host name is verified */
        public boolean isVerifyHostname() {
            return this.verifyHostname;
        }

        /** @param verifyHostname whether the host name is verified */
        public void setVerifyHostname(boolean verifyHostname) {
            this.verifyHostname = verifyHostname;
        }

        /** @return the handshake timeout */
        public Duration getHandshakeTimeout() {
            return this.handshakeTimeout;
        }

        /** @param handshakeTimeout the handshake timeout */
        public void setHandshakeTimeout(Duration handshakeTimeout) {
            this.handshakeTimeout = handshakeTimeout;
        }
    }
}
