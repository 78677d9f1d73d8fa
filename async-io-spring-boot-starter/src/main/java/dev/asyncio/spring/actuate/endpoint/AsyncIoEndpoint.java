package dev.asyncio.spring.actuate.endpoint;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import dev.asyncio.core.CollectionStatistics;
import dev.asyncio.core.Framing;
import dev.asyncio.core.HandleStatistics;
import dev.asyncio.core.MemoryStatistics;
import dev.asyncio.core.ProxyInfo;
import dev.asyncio.core.ProxyProtocolStatistics;
import dev.asyncio.core.ShedReason;
import dev.asyncio.core.StateSnapshot;
import dev.asyncio.core.TransportChoice;
import dev.asyncio.core.WaitStateCollection;
import dev.asyncio.spring.AsyncIoClients;
import dev.asyncio.spring.AsyncIoRegistry;
import dev.asyncio.spring.HandleCloseMode;
import dev.asyncio.spring.ManagedAcceptingHandle;
import dev.asyncio.spring.ManagedAsyncIoClient;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code asyncio} actuator endpoint: lists collections and handles, shows one handle with its live connections,
 * closes a handle (freeing its port) and re-opens it. Read-only by default; closing and re-opening need
 * {@code management.endpoint.asyncio.access=unrestricted}.
 *
 * <p>Every answer is a small snapshot record, never a live object. Operations return {@code null} for an unknown
 * handle (404 over HTTP) and throw {@link InvalidEndpointRequestException} for a bad parameter (400).
 */
@Endpoint(id = "asyncio", defaultAccess = Access.READ_ONLY)
public class AsyncIoEndpoint {

    /** Connections listed by {@link #handle(String, Integer)} when no limit is given. */
    public static final int DEFAULT_CONNECTION_LIMIT = 100;

    /** The most connections one request may list. */
    public static final int MAX_CONNECTION_LIMIT = 10_000;

    /** The first path segment of the client operations: {@code /actuator/asyncio/clients/{name}}. */
    public static final String CLIENTS = "clients";

    private final AsyncIoRegistry registry;

    private final Duration gracefulTimeout;

    private final Function<String, @Nullable Framing> framings;

    /** The outbound clients ({@code async-io.clients.*}); none unless given to the constructor. */
    private AsyncIoClients clients = new AsyncIoClients(List.of());

    /**
     * @param registry the registry to report on and act upon
     * @param gracefulTimeout how long connections closed with {@code connections=graceful} may take
     */
    public AsyncIoEndpoint(AsyncIoRegistry registry, Duration gracefulTimeout) {
        this(registry, gracefulTimeout, (name) -> null);
    }

    /**
     * @param registry the registry to report on and act upon
     * @param gracefulTimeout how long connections closed with {@code connections=graceful} may take
     * @param framings the framing of a handle by name, {@code null} for a handle without framing
     */
    public AsyncIoEndpoint(AsyncIoRegistry registry, Duration gracefulTimeout,
            Function<String, @Nullable Framing> framings) {
        this.registry = registry;
        this.gracefulTimeout = gracefulTimeout;
        this.framings = framings;
    }

    /**
     * @param registry the registry to report on and act upon
     * @param gracefulTimeout how long connections closed with {@code connections=graceful} may take
     * @param framings the framing of a handle by name, {@code null} for a handle without framing
     * @param clients the outbound clients to list, disconnect and reconnect
     */
    public AsyncIoEndpoint(AsyncIoRegistry registry, Duration gracefulTimeout,
            Function<String, @Nullable Framing> framings, AsyncIoClients clients) {
        this(registry, gracefulTimeout, framings);
        this.clients = clients;
    }

    /** @return every collection and handle, and the memory budget they share */
    @ReadOperation
    public AsyncIoDescriptor overview() {
        List<CollectionDescriptor> collections = this.registry.collections()
            .stream()
            .map(AsyncIoEndpoint::describe)
            .toList();
        List<HandleDescriptor> handles = this.registry.handles().stream().map(this::describeHandle).toList();
        return new AsyncIoDescriptor(collections, handles, describe(this.registry.memoryBudget().statistics()),
                describeClients());
    }

    /**
     * @param name a handle name
     * @param limit the most connections to list (default {@value #DEFAULT_CONNECTION_LIMIT})
     * @return the handle with its first connections, or {@code null} if there is no such handle
     * @throws InvalidEndpointRequestException if {@code limit} is negative or above {@value #MAX_CONNECTION_LIMIT}
     */
    @ReadOperation
    public @Nullable HandleDetails handle(@Selector String name, @Nullable Integer limit) {
        int max = (limit != null) ? limit : DEFAULT_CONNECTION_LIMIT;
        if (max < 0 || max > MAX_CONNECTION_LIMIT) {
            throw new InvalidEndpointRequestException("limit must be from 0 to " + MAX_CONNECTION_LIMIT
                    + ", got " + limit, "Invalid limit");
        }
        ManagedAcceptingHandle handle = this.registry.handle(name);
        if (handle == null) {
            return null;
        }
        List<ConnectionDescriptor> connections = handle.connections(max)
            .stream()
            .map(AsyncIoEndpoint::describe)
            .toList();
        return new HandleDetails(describeHandle(handle), handle.connectionCount(), connections);
    }

    /**
     * Closes a handle: stops accepting and frees its port.
     *
     * @param name a handle name
     * @param connections what happens to its live connections: {@code keep} (default), {@code graceful} or
     * {@code abort}
     * @return the handle after closing, or {@code null} if there is no such handle
     * @throws InvalidEndpointRequestException for another {@code connections} value
     */
    @DeleteOperation
    public @Nullable HandleDescriptor close(@Selector String name, @Nullable String connections) {
        HandleCloseMode mode;
        try {
            mode = HandleCloseMode.parse(connections);
        }
        catch (IllegalArgumentException ex) {
            throw new InvalidEndpointRequestException(ex.getMessage(), "Invalid connections");
        }
        ManagedAcceptingHandle handle = this.registry.handle(name);
        if (handle == null) {
            return null;
        }
        handle.close(mode, this.gracefulTimeout);
        return describeHandle(handle);
    }

    /**
     * Re-opens a closed handle on its configured address (a handle configured with port 0 gets its previous port
     * back). Does nothing to an open handle.
     *
     * @param name a handle name
     * @return the handle after re-opening, or {@code null} if there is no such handle
     * @throws IllegalStateException if the handle cannot be re-opened (adopted from code, or the context is
     * stopping)
     * @throws RuntimeException if the port cannot be bound
     */
    @WriteOperation
    public @Nullable HandleDescriptor reopen(@Selector String name) {
        ManagedAcceptingHandle handle = this.registry.handle(name);
        if (handle == null) {
            return null;
        }
        handle.reopen();
        return describeHandle(handle);
    }

    /**
     * {@code GET /actuator/asyncio/clients/{name}}.
     *
     * @param kind must be {@code clients}
     * @param name a client name
     * @return the client, or {@code null} if there is no such client (or {@code kind} is not {@code clients})
     */
    @ReadOperation
    public @Nullable ClientDescriptor client(@Selector String kind, @Selector String name) {
        ManagedAsyncIoClient client = findClient(kind, name);
        return (client != null) ? ClientDescriptor.of(client) : null;
    }

    /**
     * {@code DELETE /actuator/asyncio/clients/{name}}: closes the client's connections and stops it reconnecting
     * until {@link #reconnectClient}; its requests in flight fail.
     *
     * @param kind must be {@code clients}
     * @param name a client name
     * @return the client after disconnecting, or {@code null} if there is no such client
     * @throws IllegalStateException if the client is not started or is closed
     */
    @DeleteOperation
    public @Nullable ClientDescriptor disconnectClient(@Selector String kind, @Selector String name) {
        ManagedAsyncIoClient client = findClient(kind, name);
        if (client == null) {
            return null;
        }
        client.disconnect();
        return ClientDescriptor.of(client);
    }

    /**
     * {@code POST /actuator/asyncio/clients/{name}}: connects the client again now, with its back-off reset (after a
     * disconnect, after it gave up, or to go back to its first address).
     *
     * @param kind must be {@code clients}
     * @param name a client name
     * @return the client after asking it to reconnect, or {@code null} if there is no such client
     * @throws IllegalStateException if the client is closed or cannot start
     */
    @WriteOperation
    public @Nullable ClientDescriptor reconnectClient(@Selector String kind, @Selector String name) {
        ManagedAsyncIoClient client = findClient(kind, name);
        if (client == null) {
            return null;
        }
        client.reconnect();
        return ClientDescriptor.of(client);
    }

    private @Nullable ManagedAsyncIoClient findClient(String kind, String name) {
        return CLIENTS.equals(kind) ? this.clients.client(name) : null;
    }

    private List<ClientDescriptor> describeClients() {
        return this.clients.clients().stream().map(ClientDescriptor::of).toList();
    }

    static CollectionDescriptor describe(WaitStateCollection collection) {
        CollectionStatistics s = collection.statistics();
        TransportChoice transport = collection.transport();
        return new CollectionDescriptor(s.name(), s.alive(), s.states(), s.handles(), s.tasksPending(),
                s.bytesRead(), s.bytesWritten(), s.timeouts(), s.errors(), s.callbackFailures(), transport.name(),
                transport.reason());
    }

    static MemoryDescriptor describe(MemoryStatistics s) {
        Map<String, Long> shed = new LinkedHashMap<>();
        for (ShedReason reason : ShedReason.values()) {
            shed.put(reason.name().toLowerCase(Locale.ROOT), s.shed().getOrDefault(reason, 0L));
        }
        return new MemoryDescriptor(s.name(), s.used(), s.softLimit(), s.hardLimit(), s.pressure(), s.charged(),
                s.softCrossings(), s.hardCrossings(), s.refusedWrites(), shed);
    }

    private HandleDescriptor describeHandle(ManagedAcceptingHandle handle) {
        return describe(handle, this.framings.apply(handle.name()));
    }

    static HandleDescriptor describe(ManagedAcceptingHandle handle) {
        return describe(handle, null);
    }

    static @Nullable FramingDescriptor describe(@Nullable Framing framing) {
        return (framing == null) ? null : new FramingDescriptor(
                framing.kind().name().toLowerCase(Locale.ROOT).replace('_', '-'), framing.maxFrameSize(),
                framing.errorPolicy().name().toLowerCase(Locale.ROOT));
    }

    static HandleDescriptor describe(ManagedAcceptingHandle handle, @Nullable Framing framing) {
        HandleStatistics s = handle.statistics();
        InetSocketAddress bound = handle.localAddress();
        String address = (bound != null) ? hostOf(bound) : handle.configuredAddress();
        return new HandleDescriptor(handle.name(), handle.collection().name(),
                handle.collections().stream().map(WaitStateCollection::name).toList(), address, handle.localPort(),
                handle.status().name().toLowerCase(java.util.Locale.ROOT), s.open(), s.paused(), s.active(),
                s.accepted(), s.rejected(), s.bytesRead(), s.bytesWritten(), s.timeouts(), s.errors(),
                s.callbackFailures(), s.acceptFailures(), s.acceptBackoff(), s.memoryUsed(), handle.isReopenable(),
                (handle.unixSocketPath() != null) ? handle.unixSocketPath().toString() : null, s.maxConnections(),
                s.refusedMaxConnections(), s.refusedNoDescriptors(), describe(framing), describeProxy(handle));
    }

    static ProxyProtocolDescriptor describeProxy(ManagedAcceptingHandle handle) {
        ProxyProtocolStatistics p = handle.proxyStatistics();
        return new ProxyProtocolDescriptor(p.mode().name().toLowerCase(Locale.ROOT), p.accepted(), p.direct(),
                p.rejected(), p.timeouts());
    }

    static @Nullable ProxyDescriptor describe(@Nullable ProxyInfo proxy) {
        if (proxy == null) {
            return null;
        }
        SocketAddress via = proxy.proxyAddress();
        String proxyAddress = (via instanceof InetSocketAddress inet) ? hostOf(inet) + ":" + inet.getPort()
                : (via != null) ? via.toString() : null;
        InetSocketAddress dst = proxy.destination();
        return new ProxyDescriptor(proxyAddress, proxy.version(), proxy.command().name().toLowerCase(Locale.ROOT),
                proxy.family(), (dst != null) ? hostOf(dst) + ":" + dst.getPort() : null);
    }

    static ConnectionDescriptor describe(StateSnapshot s) {
        InetSocketAddress peer = s.peerAddress();
        return new ConnectionDescriptor(s.name(), (peer != null) ? hostOf(peer) + ":" + peer.getPort() : null,
                s.age().toMillis(), s.bytesRead(), s.bytesWritten(), s.readStatus().name(), s.writeStatus().name(),
                s.reading(), s.writing(), s.queuedOutput(), s.writable(), describe(s.proxy()));
    }

    private static String hostOf(InetSocketAddress address) {
        return (address.getAddress() != null) ? address.getAddress().getHostAddress() : address.getHostString();
    }

    /**
     * Every collection and handle, and the memory budget of the starter's collections.
     *
     * @param collections the collections
     * @param handles the handles
     * @param memory the memory budget the starter's collections share
     * @param clients the outbound clients ({@code async-io.clients.*})
     */
    public record AsyncIoDescriptor(List<CollectionDescriptor> collections, List<HandleDescriptor> handles,
            MemoryDescriptor memory, List<ClientDescriptor> clients) implements OperationResponseBody {
    }

    /**
     * The memory budget: what the states hold and what happened at its marks.
     *
     * @param name the budget's name ({@code default} for the process's default budget)
     * @param used bytes charged now
     * @param softLimit bytes at which the biggest holders stop being read
     * @param hardLimit bytes at which the biggest holders are closed
     * @param pressure {@code used / hardLimit}
     * @param charged bytes charged since the budget was made
     * @param softCrossings how often use rose over the soft limit
     * @param hardCrossings how often use rose over the hard limit
     * @param refusedWrites writes refused because the budget was exhausted
     * @param shed connections closed by the budget, by reason ({@code queued_output}, {@code buffered_input},
     * {@code tls_buffers})
     */
    public record MemoryDescriptor(String name, long used, long softLimit, long hardLimit, double pressure,
            long charged, long softCrossings, long hardCrossings, long refusedWrites, Map<String, Long> shed) {
    }

    /**
     * One collection.
     *
     * @param name its name
     * @param alive whether its loop thread runs
     * @param states open states
     * @param handles open handles
     * @param tasksPending functions queued to its loop
     * @param bytesRead bytes read, all states
     * @param bytesWritten bytes written, all states
     * @param timeouts operations ended by a timeout
     * @param errors operations ended by an I/O error
     * @param callbackFailures callbacks that threw
     * @param transport the transport its loop runs on: {@code nio} or {@code epoll}
     * @param transportReason why that transport (the mode asked for, and what a fall-back to NIO lacked)
     */
    public record CollectionDescriptor(String name, boolean alive, int states, int handles, long tasksPending,
            long bytesRead, long bytesWritten, long timeouts, long errors, long callbackFailures, String transport,
            String transportReason) {
    }

    /**
     * One handle; the counters add up every time the handle was open.
     *
     * @param name its name
     * @param collection the name of the collection it accepts in
     * @param collections the collections that serve its connections (its own group, or the one shared collection)
     * @param address the bound address, or the configured one while closed ({@code null} = all interfaces)
     * @param port the port it listens on (or last listened on; -1 if never bound)
     * @param status new, open, closed, failed or stopped
     * @param open whether it accepts connections
     * @param paused whether accepting is paused at max-connections
     * @param activeConnections connections open now
     * @param acceptedConnections connections accepted
     * @param rejectedConnections connections closed at once after accepting
     * @param bytesRead bytes read from its connections
     * @param bytesWritten bytes written to its connections
     * @param timeouts operations ended by a timeout
     * @param errors operations ended by an I/O error
     * @param callbackFailures callbacks that threw
     * @param acceptFailures accepts that failed (out of file descriptors, say)
     * @param acceptBackoff whether accepting is backing off after failing accepts now
     * @param memoryUsed bytes its live connections hold, charged to the memory budget
     * @param reopenable whether the endpoint can re-open it
     * @param unixSocketPath the Unix domain socket it listens on, or {@code null} for TCP (then {@code port} is -1 for it)
     * @param maxConnections its max-connections in effect (after the start-up descriptor check; 0 = no limit)
     * @param refusedMaxConnections connections reset at once because max-connections were open (policy refuse)
     * @param refusedNoDescriptors connections reset at once because the process was out of file descriptors
     * @param framing how the handle cuts its connections' input into frames, or {@code null}
     * @param proxyProtocol the handle's PROXY protocol mode and outcomes
     */
    public record HandleDescriptor(String name, String collection, List<String> collections,
            @Nullable String address, int port, String status, boolean open, boolean paused, int activeConnections, long acceptedConnections, long rejectedConnections,
            long bytesRead, long bytesWritten, long timeouts, long errors, long callbackFailures, long acceptFailures,
            boolean acceptBackoff, long memoryUsed, boolean reopenable, @Nullable String unixSocketPath,
            int maxConnections, long refusedMaxConnections, long refusedNoDescriptors,
            @Nullable FramingDescriptor framing, ProxyProtocolDescriptor proxyProtocol) implements OperationResponseBody {
    }

    /**
     * A handle's PROXY protocol reading ({@code async-io.handles.<name>.proxy-protocol}) and its outcomes so far.
     *
     * @param mode {@code off}, {@code on} or {@code auto}
     * @param accepted connections whose header was read
     * @param direct connections served without a header ({@code auto})
     * @param rejected connections closed for a bad or missing header
     * @param timeouts connections closed because no complete header came in time
     */
    public record ProxyProtocolDescriptor(String mode, long accepted, long direct, long rejected, long timeouts) {
    }

    /**
     * The PROXY protocol header of one connection: its {@code peer} is then the client the header names.
     *
     * @param address the socket's own peer, the proxy that sent the header ({@code host:port}, or a Unix socket
     * address)
     * @param version 1 or 2
     * @param command {@code proxy} (a relayed client) or {@code local} (the proxy's own connection, e.g. a health
     * check: the peer stays the socket's)
     * @param family {@code TCP4}, {@code TCP6}, {@code UNIX}, {@code UDP4}, {@code UDP6} or {@code UNKNOWN}
     * @param destination where the client connected to at the proxy, or {@code null}
     */
    public record ProxyDescriptor(@Nullable String address, int version, String command, String family,
            @Nullable String destination) {
    }

    /**
     * How a framed handle cuts its connections' input ({@code async-io.handles.<name>.framing.*}).
     *
     * @param type the kind, as in {@code framing.type} (e.g. {@code length-prefix})
     * @param maxFrameSize the largest payload in bytes
     * @param onTooLong {@code close} or {@code discard}
     */
    public record FramingDescriptor(String type, int maxFrameSize, String onTooLong) {
    }

    /**
     * One handle with its first live connections.
     *
     * @param handle the handle
     * @param totalConnections how many connections it has in all
     * @param connections the first of them
     */
    public record HandleDetails(HandleDescriptor handle, int totalConnections, List<ConnectionDescriptor> connections)
            implements OperationResponseBody {
    }

    /**
     * One live connection.
     *
     * @param name the state's name
     * @param peer the peer's address and port
     * @param ageMillis time since it was accepted, in milliseconds
     * @param bytesRead bytes read from it
     * @param bytesWritten bytes written to it
     * @param readStatus OK, EOF, TIMEOUT or ERROR
     * @param writeStatus OK, EOF, TIMEOUT or ERROR
     * @param reading whether a read is in flight
     * @param writing whether a write is in flight
     * @param queuedOutput bytes accepted for writing and not yet written
     * @param writable whether queued output is below the high water mark
     * @param proxy the PROXY protocol header the connection started with (then {@code peer} is the client it names),
     * or {@code null}
     */
    public record ConnectionDescriptor(String name, @Nullable String peer, long ageMillis, long bytesRead,
            long bytesWritten, String readStatus, String writeStatus, boolean reading, boolean writing,
            long queuedOutput, boolean writable, @Nullable ProxyDescriptor proxy) {
    }
}
