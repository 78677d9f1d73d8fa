package dev.asyncio.spring.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import dev.asyncio.core.IpFamily;
import dev.asyncio.core.MaxConnectionsPolicy;
import dev.asyncio.core.ProxyProtocol;
import dev.asyncio.core.TransportMode;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties for async-io: wait-state-collections, accepting handles and shutdown, under the prefix
 * {@code async-io}.
 *
 * <p>Binding only checks types; the rules between values (a port in range, a known collection, water marks in order)
 * are checked by {@link ConfiguredHandles} when the context is refreshed, so that a wrong value fails start-up
 * with a message that names the property.
 */
@ConfigurationProperties(AsyncIoProperties.PREFIX)
public class AsyncIoProperties {

    /** The property prefix. */
    public static final String PREFIX = "async-io";

    /**
     * Whether the starter is on. When false, nothing of async-io is configured: no loop, no handle bean, no port is
     * bound; the metrics, health, endpoint and observation of async-io are off too.
     */
    private boolean enabled = true;

    /**
     * Wait-state-collections (one event-loop thread each), keyed by name. A collection named "default" is created
     * on demand when a handle does not name one.
     */
    private final Map<String, Collection> collections = new LinkedHashMap<>();

    /**
     * Accepting handles (listening TCP sockets), keyed by name. The key is the handle's name, its bean name and
     * its metrics tag.
     */
    private final Map<String, Handle> handles = new LinkedHashMap<>();

    /**
     * Outbound clients, keyed by name: where each connects, how it reconnects and pools its connections. The key is
     * the client's name, its bean name and its metrics tag.
     */
    private final Map<String, ClientProperties> clients = new LinkedHashMap<>();

    /** The memory budget shared by every collection the starter creates. */
    private final Memory memory = new Memory();

    /** How the handles' max-connections are checked against the process's file descriptor limit at start-up. */
    private final Descriptors descriptors = new Descriptors();

    /** The asyncio.connection observation of every connection (with an ObservationRegistry bean). */
    private final Observation observation = new Observation();

    /** How the application context stops the handles and their connections. */
    private Shutdown shutdown = Shutdown.GRACEFUL;

    /**
     * How long a connection must move no byte, with nothing queued for writing, before a graceful shutdown closes
     * it; busier connections are closed near the end of spring.lifecycle.timeout-per-shutdown-phase.
     */
    private Duration shutdownQuietPeriod = Duration.ofSeconds(1);

    /**
     * Whether a loop thread of the starter that ends while the application runs (which a loop should never do) is
     * restarted, checked every second: a new collection of the same name replaces it and its handles are bound again
     * on their ports. The health indicator is DOWN until then.
     */
    private boolean restartDeadLoops = true;

    /**
     * Whether every handle binds an ephemeral port (as if its port were 0), whatever its port says. Meant for tests:
     * several application contexts then run side by side; inject the bound port with @LocalAsyncIoPort or
     * local.async-io.handles.NAME.port. A handle's unix-socket-path is used as given (give each context its own).
     * Defaults to true in a context built by Spring's test framework, except under
     * {@code @SpringBootTest(webEnvironment = DEFINED_PORT)}; a value set anywhere wins.
     */
    private boolean ephemeralPorts = false;

    /**
     * Whether an async-io.* property that matches no known property fails start-up. When false, it is logged as a
     * warning with the nearest known property.
     */
    private boolean failOnUnknownProperties = false;

    /**
     * Transport of every collection's loop: auto (the native epoll transport where the JVM allows it: Linux, JDK 22+,
     * the async-io-native module, --enable-native-access and --add-opens java.base/sun.nio.ch; else NIO), nio, or
     * native (start-up fails, naming what is missing, where it cannot run). When not set, the system property
     * asyncio.transport decides (default auto).
     */
    private @Nullable TransportMode transport;

    /** @return whether the starter is on */
    public boolean isEnabled() {
        return this.enabled;
    }

    /** @param enabled whether the starter is on */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** @return whether dead loop threads are restarted */
    public boolean isRestartDeadLoops() {
        return this.restartDeadLoops;
    }

    /** @param restartDeadLoops whether dead loop threads are restarted */
    public void setRestartDeadLoops(boolean restartDeadLoops) {
        this.restartDeadLoops = restartDeadLoops;
    }

    /** @return whether every handle binds an ephemeral port */
    public boolean isEphemeralPorts() {
        return this.ephemeralPorts;
    }

    /** @param ephemeralPorts whether every handle binds an ephemeral port */
    public void setEphemeralPorts(boolean ephemeralPorts) {
        this.ephemeralPorts = ephemeralPorts;
    }

    /** @return whether unknown async-io.* properties fail start-up */
    public boolean isFailOnUnknownProperties() {
        return this.failOnUnknownProperties;
    }

    /** @param failOnUnknownProperties whether unknown async-io.* properties fail start-up */
    public void setFailOnUnknownProperties(boolean failOnUnknownProperties) {
        this.failOnUnknownProperties = failOnUnknownProperties;
    }

    /** @return the shutdown quiet period */
    public Duration getShutdownQuietPeriod() {
        return this.shutdownQuietPeriod;
    }

    /** @param shutdownQuietPeriod the shutdown quiet period */
    public void setShutdownQuietPeriod(Duration shutdownQuietPeriod) {
        this.shutdownQuietPeriod = shutdownQuietPeriod;
    }

    /** @return the transport of every collection, {@code null} for the system property asyncio.transport */
    public @Nullable TransportMode getTransport() {
        return this.transport;
    }

    /** @param transport the transport of every collection */
    public void setTransport(@Nullable TransportMode transport) {
        this.transport = transport;
    }

    /** @return the configured collections by name (mutable, for binding) */
    public Map<String, Collection> getCollections() {
        return this.collections;
    }

    /** @return the configured handles by name (mutable, for binding) */
    public Map<String, Handle> getHandles() {
        return this.handles;
    }

    /** @return the configured clients by name (mutable, for binding) */
    public Map<String, ClientProperties> getClients() {
        return this.clients;
    }

    /** @return the memory budget settings */
    public Memory getMemory() {
        return this.memory;
    }

    /** @return the file descriptor check settings */
    public Descriptors getDescriptors() {
        return this.descriptors;
    }

    /** @return the connection observation settings */
    public Observation getObservation() {
        return this.observation;
    }

    /** @return the shutdown mode */
    public Shutdown getShutdown() {
        return this.shutdown;
    }

    /** @param shutdown the shutdown mode */
    public void setShutdown(Shutdown shutdown) {
        this.shutdown = shutdown;
    }

    /** How the context stops async-io. */
    public enum Shutdown {
        /**
         * Stop accepting, let connections work until they are quiet and close them gracefully within
         * spring.lifecycle.timeout-per-shutdown-phase, then close the rest and end the loop threads.
         */
        GRACEFUL,
        /** Close handles, connections and loop threads at once. */
        IMMEDIATE
    }

    /** What a collection does when a callback throws. */
    public enum CallbackErrorPolicyName {
        /** Log the exception and keep the state open. */
        LOG,
        /** Log the exception, then abort and close the state. */
        CLOSE_STATE,
        /** Keep the state open and log only at DEBUG level. */
        SILENT;

        /** @return the core policy of this name */
        public dev.asyncio.core.CallbackErrorPolicy toPolicy() {
            return switch (this) {
                case LOG -> dev.asyncio.core.CallbackErrorPolicy.LOG;
                case CLOSE_STATE -> dev.asyncio.core.CallbackErrorPolicy.CLOSE_STATE;
                case SILENT -> dev.asyncio.core.CallbackErrorPolicy.SILENT;
            };
        }
    }

    /**
     * The memory budget every collection of the starter shares: what the states of all handles may hold (queued
     * output, buffered input, TLS buffers) before the biggest holders stop being read (soft limit) and then are
     * closed (hard limit). When none of these is set, the process's default budget applies: half the maximum heap,
     * soft limit at 80 % of that.
     */
    public static class Memory {

        /** Bytes at which the biggest holders are closed. Cannot be combined with heap-fraction. */
        private @Nullable DataSize hardLimit;

        /**
         * Bytes at which the biggest holders stop being read; at most the hard limit. Defaults to 80 % of the hard
         * limit.
         */
        private @Nullable DataSize softLimit;

        /**
         * The hard limit as a fraction of the maximum heap, above 0 and at most 1 (e.g. 0.5). Cannot be combined with
         * hard-limit.
         */
        private @Nullable Double heapFraction;

        /** @return the hard limit, {@code null} when not set */
        public @Nullable DataSize getHardLimit() {
            return this.hardLimit;
        }

        /** @param hardLimit the hard limit */
        public void setHardLimit(@Nullable DataSize hardLimit) {
            this.hardLimit = hardLimit;
        }

        /** @return the soft limit, {@code null} when not set */
        public @Nullable DataSize getSoftLimit() {
            return this.softLimit;
        }

        /** @param softLimit the soft limit */
        public void setSoftLimit(@Nullable DataSize softLimit) {
            this.softLimit = softLimit;
        }

        /** @return the heap fraction, {@code null} when not set */
        public @Nullable Double getHeapFraction() {
            return this.heapFraction;
        }

        /** @param heapFraction the heap fraction */
        public void setHeapFraction(@Nullable Double heapFraction) {
            this.heapFraction = heapFraction;
        }
    }

    /** One wait-state-collection: one event-loop thread named "Loop Collection &lt;name&gt;". */
    public static class Collection {

        /** What the collection does when a callback throws: log, close-state or silent. */
        private CallbackErrorPolicyName callbackErrorPolicy = CallbackErrorPolicyName.LOG;

        /** @return the callback error policy */
        public CallbackErrorPolicyName getCallbackErrorPolicy() {
            return this.callbackErrorPolicy;
        }

        /** @param callbackErrorPolicy the callback error policy */
        public void setCallbackErrorPolicy(CallbackErrorPolicyName callbackErrorPolicy) {
            this.callbackErrorPolicy = callbackErrorPolicy;
        }

        /** Transport of this collection's loop (auto, nio or native); when not set, that of async-io.transport. */
        private @Nullable TransportMode transport;

        /** @return this collection's transport, {@code null} for async-io.transport's */
        public @Nullable TransportMode getTransport() {
            return this.transport;
        }

        /** @param transport this collection's transport */
        public void setTransport(@Nullable TransportMode transport) {
            this.transport = transport;
        }
    }

    /** One accepting handle: a listening TCP socket whose connections become async-io-states. */
    public static class Handle {

        /**
         * Whether the handle exists: when false it has no bean, binds no port, and its other properties are not
         * checked.
         */
        private boolean enabled = true;

        /**
         * Port to listen on: a number from 0 to 65535 (0 = an ephemeral port chosen by the system) or a service
         * name such as "http", as LispWorks accepts.
         */
        private @Nullable String port;

        /** Local address (host name or literal) to listen on. All interfaces when not set. */
        private @Nullable String address;

        /**
         * Unix domain socket (a file path; a relative one is relative to the working directory) to listen on
         * instead of port and address; at most 107 bytes on Linux, 103 elsewhere. The socket file is removed when
         * the handle closes; a stale one (a connect is refused) is replaced at start-up, a live one or one that
         * cannot be probed (permission denied) fails it and is left alone. The TCP-only properties (port, address,
         * nodelay, keepalive, ipv6, reuse-port, init-timeout) must not be set with it: start-up fails naming them.
         */
        private @Nullable String unixSocketPath;

        /** The TCP-only properties set (bound) so far, dashed: they fail start-up with unix-socket-path. */
        private final Set<String> tcpOnlySet = new LinkedHashSet<>();

        /**
         * Name of the ConnectionFunction bean called for each accepted connection. When not set, a
         * ConnectionFunction bean named like the handle, or else the only ConnectionFunction bean.
         */
        private @Nullable String connectionFunction;

        /**
         * Name of a wait-state-collection (event loop) the handle and its connections share with other handles:
         * "default" or one configured under async-io.collections. When not set, the handle gets collections of its
         * own: "NAME" accepts, and the connections are spread over "NAME", "NAME-2" ... "NAME-LOOPS".
         */
        private @Nullable String collection;

        /**
         * How many loops (collections, one thread each) of its own serve the handle's connections when it names no
         * collection; 1 = no spreading. Defaults to the number of available processors.
         */
        private @Nullable Integer loops;

        /** Listen backlog. */
        private int backlog = 128;

        /** Whether accepted sockets get TCP_NODELAY. */
        private boolean nodelay = true;

        /** Whether accepted sockets get SO_KEEPALIVE. */
        private boolean keepalive = false;

        /** Address family of the listening socket: any, ipv4, ipv6 or both. */
        private IpFamily ipv6 = IpFamily.ANY;

        /** Whether the listening socket sets SO_REUSEPORT. */
        private boolean reusePort = false;

        /** How long a busy port is retried before start-up fails. */
        private Duration initTimeout = Duration.ofSeconds(60);

        /** Whether a connection may queue writes while one is in flight. */
        private boolean queueOutput = false;

        /** Read timeout of each connection. No timeout when not set. */
        private @Nullable Duration readTimeout;

        /** Write timeout of each connection. No timeout when not set. */
        private @Nullable Duration writeTimeout;

        /**
         * Total read deadline of each connection: a read must complete within it from its start (a read-with-checking
         * each message from its first byte), however the bytes trickle in; at the deadline the read ends with TIMEOUT.
         * The defence against slowloris peers that read-timeout (idle) cannot catch. No deadline when not set.
         */
        private @Nullable Duration requestDeadline;

        /**
         * Most connections open at once; what the next one meets is max-connections-policy. 0 means no limit. Lowered
         * at start-up to fit the process's file descriptor limit (see async-io.descriptors).
         */
        private int maxConnections = 0;

        /**
         * What a new connection meets while max-connections are open: "pause" (accepting pauses; new clients wait in
         * the listen backlog until a connection closes or their own timeout) or "refuse" (each is accepted and reset
         * at once, counted as asyncio.connections.refused with reason max_connections).
         */
        private MaxConnectionsPolicy maxConnectionsPolicy = MaxConnectionsPolicy.PAUSE;

        /** Most bytes read from a socket in one read attempt. */
        private DataSize maxRead = DataSize.ofKilobytes(64);

        /** Most undiscarded input a read-with-checking may hold before the connection fails. */
        private DataSize maxBufferedInput = DataSize.ofMegabytes(8);

        /** Queued output above which a connection reports itself not writable. */
        private DataSize writeHighWaterMark = DataSize.ofKilobytes(64);

        /** Queued output below which a connection reports itself writable again. */
        private DataSize writeLowWaterMark = DataSize.ofKilobytes(32);

        /** Most output a connection may have accepted and not yet written; writes beyond it fail. */
        private DataSize maxQueuedOutput = DataSize.ofMegabytes(4);

        /** TLS for the handle's connections. */
        private final Tls tls = new Tls();

        /** How the handle's connections cut their input into frames; see {@link FramingProperties}. */
        private final FramingProperties framing = new FramingProperties();

        /**
         * Whether each connection starts with a PROXY protocol header (v1 or v2, as HAProxy's send-proxy /
         * send-proxy-v2 send it), read before TLS: "off" (none), "on" (required: a connection without a valid header
         * within proxy-protocol-timeout is closed) or "auto" (read one if the connection starts with one, else serve
         * it as direct, e.g. a health checker). With a header the connection's peer address is the client's. Only
         * enable it where nothing but the proxy can reach the port.
         */
        private ProxyProtocol proxyProtocol = ProxyProtocol.OFF;

        /**
         * How long a connection may take to send its complete PROXY protocol header: with "on" a later one is
         * closed, with "auto" an undecided one (it sent nothing, or only bytes a header could start with) is served
         * as direct.
         */
        private Duration proxyProtocolTimeout = Duration.ofSeconds(10);

        /** Idle detection on each connection; see {@link IdleProperties}. */
        private final IdleProperties idle = new IdleProperties();

        /** @return whether the handle exists */
        public boolean isEnabled() {
            return this.enabled;
        }

        /** @param enabled whether the handle exists */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /** @return the port or service name */
        public @Nullable String getPort() {
            return this.port;
        }

        /** @param port the port or service name */
        public void setPort(@Nullable String port) {
            this.port = port;
        }

        /** @return the address to bind, {@code null} for all interfaces */
        public @Nullable String getAddress() {
            return this.address;
        }

        /** @param address the address to bind */
        public void setAddress(@Nullable String address) {
            this.address = address;
        }

        /** @return the Unix domain socket path, or {@code null} for TCP */
        public @Nullable String getUnixSocketPath() {
            return this.unixSocketPath;
        }

        /** @param unixSocketPath the Unix domain socket path to listen on instead of port and address */
        public void setUnixSocketPath(@Nullable String unixSocketPath) {
            this.unixSocketPath = unixSocketPath;
        }

        /** @return the connection-function bean name, {@code null} for the default lookup */
        public @Nullable String getConnectionFunction() {
            return this.connectionFunction;
        }

        /** @param connectionFunction the connection-function bean name */
        public void setConnectionFunction(@Nullable String connectionFunction) {
            this.connectionFunction = connectionFunction;
        }

        /** @return the shared collection's name, {@code null} for collections of the handle's own */
        public @Nullable String getCollection() {
            return this.collection;
        }

        /** @param collection the shared collection's name */
        public void setCollection(@Nullable String collection) {
            this.collection = collection;
        }

        /** @return the loops of the handle's own, {@code null} for the default (the processor count) */
        public @Nullable Integer getLoops() {
            return this.loops;
        }

        /** @param loops the loops of the handle's own */
        public void setLoops(@Nullable Integer loops) {
            this.loops = loops;
        }

        /** @return the backlog */
        public int getBacklog() {
            return this.backlog;
        }

        /** @param backlog the backlog */
        public void setBacklog(int backlog) {
            this.backlog = backlog;
        }

        /** @return the TCP-only properties that were set, in order; not a bound property itself */
        Set<String> tcpOnlySet() {
            return this.tcpOnlySet;
        }

        /** @return whether TCP_NODELAY is set */
        public boolean isNodelay() {
            return this.nodelay;
        }

        /** @param nodelay whether TCP_NODELAY is set */
        public void setNodelay(boolean nodelay) {
            this.nodelay = nodelay;
            this.tcpOnlySet.add("nodelay");
        }

        /** @return whether SO_KEEPALIVE is set */
        public boolean isKeepalive() {
            return this.keepalive;
        }

        /** @param keepalive whether SO_KEEPALIVE is set */
        public void setKeepalive(boolean keepalive) {
            this.keepalive = keepalive;
            this.tcpOnlySet.add("keepalive");
        }

        /** @return the address family */
        public IpFamily getIpv6() {
            return this.ipv6;
        }

        /** @param ipv6 the address family */
        public void setIpv6(IpFamily ipv6) {
            this.ipv6 = ipv6;
            this.tcpOnlySet.add("ipv6");
        }

        /** @return whether SO_REUSEPORT is set */
        public boolean isReusePort() {
            return this.reusePort;
        }

        /** @param reusePort whether SO_REUSEPORT is set */
        public void setReusePort(boolean reusePort) {
            this.reusePort = reusePort;
            this.tcpOnlySet.add("reuse-port");
        }

        /** @return how long a busy port is retried */
        public Duration getInitTimeout() {
            return this.initTimeout;
        }

        /** @param initTimeout how long a busy port is retried */
        public void setInitTimeout(Duration initTimeout) {
            this.initTimeout = initTimeout;
            this.tcpOnlySet.add("init-timeout");
        }

        /** @return whether output is queued */
        public boolean isQueueOutput() {
            return this.queueOutput;
        }

        /** @param queueOutput whether output is queued */
        public void setQueueOutput(boolean queueOutput) {
            this.queueOutput = queueOutput;
        }

        /** @return the read timeout, {@code null} for none */
        public @Nullable Duration getReadTimeout() {
            return this.readTimeout;
        }

        /** @param readTimeout the read timeout */
        public void setReadTimeout(@Nullable Duration readTimeout) {
            this.readTimeout = readTimeout;
        }

        /** @return the request deadline, {@code null} for none */
        public @Nullable Duration getRequestDeadline() {
            return this.requestDeadline;
        }

        /** @param requestDeadline the request deadline */
        public void setRequestDeadline(@Nullable Duration requestDeadline) {
            this.requestDeadline = requestDeadline;
        }

        /** @return the write timeout, {@code null} for none */
        public @Nullable Duration getWriteTimeout() {
            return this.writeTimeout;
        }

        /** @param writeTimeout the write timeout */
        public void setWriteTimeout(@Nullable Duration writeTimeout) {
            this.writeTimeout = writeTimeout;
        }

        /** @return the connection limit, 0 for none */
        public int getMaxConnections() {
            return this.maxConnections;
        }

        /** @param maxConnections the connection limit */
        public void setMaxConnections(int maxConnections) {
            this.maxConnections = maxConnections;
        }

        /** @return what a new connection meets at max-connections */
        public MaxConnectionsPolicy getMaxConnectionsPolicy() {
            return this.maxConnectionsPolicy;
        }

        /** @param maxConnectionsPolicy what a new connection meets at max-connections */
        public void setMaxConnectionsPolicy(MaxConnectionsPolicy maxConnectionsPolicy) {
            this.maxConnectionsPolicy = maxConnectionsPolicy;
        }

        /** @return the most bytes per read attempt */
        public DataSize getMaxRead() {
            return this.maxRead;
        }

        /** @param maxRead the most bytes per read attempt */
        public void setMaxRead(DataSize maxRead) {
            this.maxRead = maxRead;
        }

        /** @return the most buffered input */
        public DataSize getMaxBufferedInput() {
            return this.maxBufferedInput;
        }

        /** @param maxBufferedInput the most buffered input */
        public void setMaxBufferedInput(DataSize maxBufferedInput) {
            this.maxBufferedInput = maxBufferedInput;
        }

        /** @return the write high water mark */
        public DataSize getWriteHighWaterMark() {
            return this.writeHighWaterMark;
        }

        /** @param writeHighWaterMark the write high water mark */
        public void setWriteHighWaterMark(DataSize writeHighWaterMark) {
            this.writeHighWaterMark = writeHighWaterMark;
        }

        /** @return the write low water mark */
        public DataSize getWriteLowWaterMark() {
            return this.writeLowWaterMark;
        }

        /** @param writeLowWaterMark the write low water mark */
        public void setWriteLowWaterMark(DataSize writeLowWaterMark) {
            this.writeLowWaterMark = writeLowWaterMark;
        }

        /** @return the most queued output */
        public DataSize getMaxQueuedOutput() {
            return this.maxQueuedOutput;
        }

        /** @param maxQueuedOutput the most queued output */
        public void setMaxQueuedOutput(DataSize maxQueuedOutput) {
            this.maxQueuedOutput = maxQueuedOutput;
        }

        /** @return the TLS settings */
        public Tls getTls() {
            return this.tls;
        }

        /** @return the framing settings */
        public FramingProperties getFraming() {
            return this.framing;
        }

        /** @return whether connections start with a PROXY protocol header */
        public ProxyProtocol getProxyProtocol() {
            return this.proxyProtocol;
        }

        /** @param proxyProtocol off, on or auto */
        public void setProxyProtocol(ProxyProtocol proxyProtocol) {
            this.proxyProtocol = proxyProtocol;
        }

        /** @return how long a PROXY protocol header may take */
        public Duration getProxyProtocolTimeout() {
            return this.proxyProtocolTimeout;
        }

        /** @param proxyProtocolTimeout how long a PROXY protocol header may take */
        public void setProxyProtocolTimeout(Duration proxyProtocolTimeout) {
            this.proxyProtocolTimeout = proxyProtocolTimeout;
        }

        /** @return the idle detection settings */
        public IdleProperties getIdle() {
            return this.idle;
        }
    }

    /** TLS settings of a handle. */
    public static class Tls {

        /**
         * Name of the Spring Boot SSL bundle (spring.ssl.bundle.*) whose key and trust material the handle's
         * connections use; unset for plain TCP. The bundle's protocols and ciphers apply when it sets them.
         */
        private @Nullable String bundle;

        /**
         * How long a connection's TLS handshake may take before the connection is closed, counted from the accept
         * (time waiting for a handshake slot included).
         */
        private Duration handshakeTimeout = Duration.ofSeconds(10);

        /**
         * How many TLS handshakes of the handle's connections run at once; the next connections wait for a slot in
         * accept order (no engine is made for them meanwhile).
         */
        private int maxConcurrentHandshakes = dev.asyncio.core.TlsOptions.DEFAULT_MAX_CONCURRENT_HANDSHAKES;

        /**
         * How many connections may wait for a handshake slot; one more is closed at once and counted as rejected.
         * 0 refuses every connection beyond the running handshakes.
         */
        private int maxQueuedHandshakes = dev.asyncio.core.TlsOptions.DEFAULT_MAX_QUEUED_HANDSHAKES;

        /** @return the TLS handshakes that run at once */
        public int getMaxConcurrentHandshakes() {
            return this.maxConcurrentHandshakes;
        }

        /** @param maxConcurrentHandshakes the TLS handshakes that run at once, 1 or more */
        public void setMaxConcurrentHandshakes(int maxConcurrentHandshakes) {
            this.maxConcurrentHandshakes = maxConcurrentHandshakes;
        }

        /** @return the connections that may wait for a handshake slot */
        public int getMaxQueuedHandshakes() {
            return this.maxQueuedHandshakes;
        }

        /** @param maxQueuedHandshakes the connections that may wait for a handshake slot, 0 or more */
        public void setMaxQueuedHandshakes(int maxQueuedHandshakes) {
            this.maxQueuedHandshakes = maxQueuedHandshakes;
        }

        /**
         * How many client-initiated TLS 1.2 renegotiations a connection may make; one more fails its read with ERROR.
         * 0 (the default) refuses every renegotiation, a known denial-of-service lever. TLS 1.3 has none.
         */
        private int maxRenegotiations = 0;

        /** @return the renegotiations allowed per connection */
        public int getMaxRenegotiations() {
            return this.maxRenegotiations;
        }

        /** @param maxRenegotiations the renegotiations allowed per connection */
        public void setMaxRenegotiations(int maxRenegotiations) {
            this.maxRenegotiations = maxRenegotiations;
        }

        /**
         * Whether clients must present a certificate that the bundle's trust store trusts: none, want (asked for,
         * not required) or need (required; a client without one is refused during the handshake).
         */
        private ClientAuth clientAuth = ClientAuth.NONE;

        /** @return the client authentication mode */
        public ClientAuth getClientAuth() {
            return this.clientAuth;
        }

        /** @param clientAuth the client authentication mode */
        public void setClientAuth(ClientAuth clientAuth) {
            this.clientAuth = clientAuth;
        }

        /** @return the SSL bundle name, {@code null} for plain TCP */
        public @Nullable String getBundle() {
            return this.bundle;
        }

        /** @param bundle the SSL bundle name */
        public void setBundle(@Nullable String bundle) {
            this.bundle = bundle;
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

    /**
     * File descriptors are a budget: every connection of a handle takes one, and so do the web server's connections,
     * the loops' selectors, open files and logging. At start-up the sum of the handles' max-connections (a handle
     * without a limit counts as wanting all) is compared with the process's descriptor limit less the reserve.
     */
    public static class Descriptors {

        /**
         * Descriptors kept for everything but the handles' connections: the JVM and its jars, the web server's
         * connections, the loops' selectors, files, logging, outbound clients. When not set, a quarter of the
         * process's limit, at most 1024.
         */
        private @Nullable Integer reserve;

        /**
         * What start-up does when the handles' max-connections do not fit the limit less the reserve: "cap" lowers
         * each to a fair share and logs the properties with their configured and effective values, "warn" only logs,
         * "fail" fails start-up.
         */
        private DescriptorPolicy policy = DescriptorPolicy.CAP;

        /** @return the reserve, {@code null} for the default */
        public @Nullable Integer getReserve() {
            return this.reserve;
        }

        /** @param reserve the reserve, {@code null} for the default */
        public void setReserve(@Nullable Integer reserve) {
            this.reserve = reserve;
        }

        /** @return what happens when max-connections do not fit */
        public DescriptorPolicy getPolicy() {
            return this.policy;
        }

        /** @param policy what happens when max-connections do not fit */
        public void setPolicy(DescriptorPolicy policy) {
            this.policy = policy;
        }
    }

    /** The {@code asyncio.connection} observation every connection gets when there is an ObservationRegistry. */
    public static class Observation {

        /**
         * Whether the connection's observation is current (its scope open) in every callback of the connection, so
         * that with Micrometer Tracing their log lines carry the connection's trace and span ids. Opening and closing
         * the scope around each read and write callback costs a few percent of a small-message echo; without tracing
         * (metrics only) nothing reads it there, and false saves that. The observation itself (its timer, its span)
         * is kept either way, and it is current in the connection function.
         */
        private boolean callbackScope = true;

        /** @return whether every callback runs in the connection's observation scope */
        public boolean isCallbackScope() {
            return this.callbackScope;
        }

        /** @param callbackScope whether every callback runs in the connection's observation scope */
        public void setCallbackScope(boolean callbackScope) {
            this.callbackScope = callbackScope;
        }
    }

    /** What start-up does when the handles' max-connections do not fit the file descriptor limit. */
    public enum DescriptorPolicy {
        /** Lower each handle's max-connections to its share of the limit less the reserve, and log it. */
        CAP,
        /** Log a warning naming the properties; keep them. */
        WARN,
        /** Fail start-up naming the properties. */
        FAIL
    }

    /** Client certificate authentication of a TLS handle (mutual TLS). */
    public enum ClientAuth {
        /** No client certificate is asked for. */
        NONE,
        /** A client certificate is asked for; a client without one is still accepted. */
        WANT,
        /** A trusted client certificate is required; a client without one fails the handshake. */
        NEED
    }
}
