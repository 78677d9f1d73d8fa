package dev.asyncio.core;

import org.jspecify.annotations.Nullable;

import dev.asyncio.core.internal.accept.DeferredBind;
import dev.asyncio.core.internal.accept.Worker;
import dev.asyncio.core.internal.engine.CallbackInvoker;
import dev.asyncio.core.internal.engine.ChannelKind;
import dev.asyncio.core.internal.engine.CollectionContext;
import dev.asyncio.core.internal.engine.DatagramKind;
import dev.asyncio.core.internal.engine.StateEngine;
import dev.asyncio.core.internal.engine.StateGroup;
import dev.asyncio.core.internal.engine.StreamKind;
import dev.asyncio.core.internal.engine.TcpConnector;
import dev.asyncio.core.internal.engine.TrafficCounters;
import dev.asyncio.core.internal.engine.UdpSockets;
import dev.asyncio.core.internal.engine.UnixConnector;
import dev.asyncio.core.internal.loop.ChannelOwners;
import dev.asyncio.core.internal.loop.DirectBufferPool;
import dev.asyncio.core.internal.loop.EventLoop;
import dev.asyncio.core.internal.loop.LoopSelectors;
import dev.asyncio.core.internal.loop.IntrusiveList;
import dev.asyncio.core.internal.loop.LoopOwner;
import dev.asyncio.core.internal.loop.LoopTimerTask;
import dev.asyncio.core.internal.loop.Timeouts;
import dev.asyncio.core.internal.memory.Shedder;
import dev.asyncio.core.internal.net.DatagramFamily;
import dev.asyncio.core.internal.net.InheritedChannels;
import dev.asyncio.core.internal.net.ServiceNames;
import dev.asyncio.core.internal.net.UnixSockets;
import dev.asyncio.core.internal.write.WriteOpPool;

import java.net.InetAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.LongSupplier;

/**
 * A wait-state-collection: one event loop, one {@link java.nio.channels.Selector}, driven by one thread at a time.
 *
 * <p>Most programs need only {@link #createAndRun(String)}, which starts a thread named
 * {@code "Loop Collection <name>"} that runs the loop until {@link #stopLoop()} or {@link #close()}, and closes the
 * collection when the loop ends. Programs that drive the loop themselves use {@link #create(String)} and then
 * {@link #loopProcessing()}, or {@link #waitFor()} and {@link #callReady()} in their own loop.
 *
 * <p><b>Threads.</b> Every public method may be called from any thread. Work that must happen on the loop is queued
 * to it, with one {@code Selector.wakeup()} per burst of submissions rather than one per call. Every callback of
 * every state and handle of the collection runs on the loop thread; callbacks must be short and must not block.
 * A callback that throws never ends the loop: the {@link CallbackErrorPolicy} decides what happens, and the failure
 * is counted.
 *
 * <p>LispWorks: {@code wait-state-collection} and its functions ({@code make-wait-state-collection},
 * {@code create-and-run-wait-state-collection}, {@code wait-for-wait-state-collection},
 * {@code call-wait-state-collection}, {@code loop-processing-wait-state-collection},
 * {@code wait-state-collection-stop-loop}, {@code wait-state-collection-alive-p},
 * {@code apply-in-wait-state-collection-process}, {@code close-wait-state-collection}).
 */
public final class WaitStateCollection implements Executor, AutoCloseable {

    private final String name;
    private final CallbackErrorPolicy callbackErrorPolicy;
    private final EventLoop loop;
    private final TrafficCounters counters = new TrafficCounters();
    private final CollectionContext context;
    private final List<AcceptingHandle> handles = new CopyOnWriteArrayList<>();
    private final MemoryBudget memoryBudget;
    private final Shedder shedder;
    private final BufferPool bufferPool;

    private WaitStateCollection(Builder b) {
        this.name = b.name;
        this.callbackErrorPolicy = b.callbackErrorPolicy;
        this.bufferPool = new BufferPool(new DirectBufferPool(b.poolBufferSize, b.poolMaxPooled));
        this.loop = new EventLoop(toString(), b.clock, new LoopOwner() {
            @Override
            public void closeAll() {
                closeEverything();
            }

            @Override
            public void taskFailed(Throwable failure) {
                context.invoker().failed(null, null, failure);
            }
        }, b.transport == null ? LoopSelectors.processDefault()
                : LoopSelectors.forMode(b.transport.name().toLowerCase(java.util.Locale.ROOT), b.transportOrigin));
        this.memoryBudget = b.memoryBudget != null ? b.memoryBudget : MemoryBudget.processDefault();
        this.context = new CollectionContext(loop, new CallbackInvoker(this, callbackErrorPolicy, counters,
                AsyncIoState::engine),
                new WriteOpPool(), counters, new IntrusiveList<>(), memoryBudget.core());
        this.shedder = new Shedder(loop, memoryBudget.core());
        memoryBudget.core().addListener(shedder);
    }

    /**
     * Makes an empty collection that nothing runs yet (LispWorks {@code make-wait-state-collection}). Drive it with
     * {@link #loopProcessing()} or {@link #waitFor()} / {@link #callReady()}.
     *
     * @param name used in thread names, logs, listings and metrics
     * @return the collection
     */
    public static WaitStateCollection create(String name) {
        return builder(name).create();
    }

    /**
     * Makes a collection and starts a (non-daemon) thread {@code "Loop Collection <name>"} that runs its loop; the
     * collection is closed when the loop ends (LispWorks {@code create-and-run-wait-state-collection}).
     *
     * @param name used in the thread name, logs, listings and metrics
     * @return the running collection
     */
    public static WaitStateCollection createAndRun(String name) {
        return builder(name).createAndRun();
    }

    /**
     * As {@link #createAndRun(String)}, with a policy for failing callbacks (LispWorks {@code :handler}).
     *
     * @param name used in the thread name, logs, listings and metrics
     * @param policy what happens when a callback throws
     * @return the running collection
     */
    public static WaitStateCollection createAndRun(String name, CallbackErrorPolicy policy) {
        return builder(name).callbackErrorPolicy(policy).createAndRun();
    }

    /**
     * @param name the collection's name
     * @return a builder for the less common settings (daemon thread, clock)
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** @return the collection's name */
    public String name() {
        return name;
    }

    /** @return what happens when a callback throws */
    public CallbackErrorPolicy callbackErrorPolicy() {
        return callbackErrorPolicy;
    }

    /**
     * @return the collection's pool of direct buffers, for handlers that read and write {@link java.nio.ByteBuffer}s
     *         without allocating (see {@link BufferPool} for the ownership rules); callable from any thread
     */
    public BufferPool bufferPool() {
        return bufferPool;
    }

    /**
     * Blocks until a channel of the collection is ready, a function was queued from another thread, a timeout is
     * due, or {@link #stopLoop()} was called; makes the calling thread the collection's driver (LispWorks
     * {@code wait-for-wait-state-collection}: the calling process becomes the collection's). Follow it with
     * {@link #callReady()} on the same thread.
     *
     * <p>The thread stays the driver after {@code waitFor} returns, until it calls {@link #stopDriving()}, the
     * collection closes, or the thread ends: every callback keeps running on it, so no other thread may drive the
     * collection meanwhile.
     *
     * @throws IllegalStateException if the collection is closed, or another thread drives it (by any of
     *         {@code waitFor}, {@link #loopProcessing()} or {@link #createAndRun}); the message names that thread
     */
    public void waitFor() {
        loop.waitFor();
    }

    /**
     * Runs the callbacks of everything {@link #waitFor()} found ready, the functions queued to the loop and the
     * timeouts that are due (LispWorks {@code call-wait-state-collection}). Call it on the thread that called
     * {@code waitFor()}, the collection's driver. On a collection that was closed meanwhile it does nothing.
     *
     * @throws IllegalStateException if called on another thread than the driver that called {@code waitFor()}; the
     *         message names the driving thread
     */
    public void callReady() {
        loop.callReady();
    }

    /**
     * Runs the loop on the calling thread until {@link #stopLoop()} (LispWorks
     * {@code loop-processing-wait-state-collection}). A callback that throws does not end it. The calling thread is
     * the collection's driver while it runs; when it returns the thread stops being the driver (unless it already
     * was one through {@link #waitFor()}, which it then stays).
     *
     * @throws IllegalStateException if the collection is closed, or another thread drives it (by any of
     *         {@link #waitFor()}, {@code loopProcessing} or {@link #createAndRun}); the message names that thread
     */
    public void loopProcessing() {
        loop.loopProcessing();
    }

    /**
     * Stops {@link #loopProcessing()} on whatever thread runs it; it returns after the current iteration
     * (LispWorks {@code wait-state-collection-stop-loop}). For a collection made by {@link #createAndRun}, the
     * collection is closed when its loop ends. Callable from any thread; nothing happens if no loop runs.
     * Interrupting the loop thread stops the loop too, as terminating a LispWorks process does.
     */
    public void stopLoop() {
        loop.stopLoop();
    }

    /**
     * @return whether the collection's loop thread is alive (LispWorks {@code wait-state-collection-alive-p});
     *         meaningful for collections made by {@link #createAndRun}
     */
    public boolean isAlive() {
        return loop.isAlive();
    }

    /** @return whether {@link #close()} ran (or the loop of a {@link #createAndRun} collection ended) */
    public boolean isClosed() {
        return loop.isClosed();
    }

    /** @return whether the calling thread is the collection's loop thread */
    public boolean inLoopThread() {
        return loop.inLoopThread();
    }

    /**
     * Waits for the thread of a {@link #createAndRun} collection to end.
     *
     * @param timeout how long to wait
     * @return whether the collection is closed and its thread ended within the timeout
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return loop.awaitTermination(timeout);
    }

    /**
     * Queues a function to run on the loop thread and returns at once, also when called on the loop thread: it
     * never runs synchronously (LispWorks {@code apply-in-wait-state-collection-process}). An exception it throws
     * goes to the {@link CallbackErrorPolicy}.
     *
     * @param function what to run
     * @throws RejectedExecutionException if the collection is closed
     */
    public void apply(Runnable function) {
        Objects.requireNonNull(function, "function");
        if (loop.isClosed()) {
            throw new RejectedExecutionException(this + " is closed");
        }
        loop.submit(function);
    }

    /**
     * The same as {@link #apply(Runnable)}: the collection is an {@link Executor} that runs on its loop thread.
     *
     * @param command what to run
     * @throws RejectedExecutionException if the collection is closed
     */
    @Override
    public void execute(Runnable command) {
        apply(command);
    }

    /**
     * Runs {@code action} once on the loop thread after {@code delay} (at the earliest: the loop runs due timers
     * after the I/O of the iteration in which they fall due). Due timers run earliest deadline first (two with
     * the same deadline in no fixed order). Callable from any thread; the delay counts from this call. An
     * exception the action throws goes to the {@link CallbackErrorPolicy}. Not LispWorks: Netty's
     * {@code EventLoop.schedule}.
     *
     * @param delay zero or more
     * @param action what to run on the loop thread
     * @return the handle that cancels it
     * @throws IllegalArgumentException if {@code delay} is negative
     * @throws IllegalStateException if the collection is closed
     */
    public LoopTimer schedule(Duration delay, Runnable action) {
        return startTimer(nonNegative("delay", delay), 0, action);
    }

    /**
     * Runs {@code action} on the loop thread first after {@code initialDelay}, then every {@code period}, until the
     * returned handle is cancelled or the collection closes (Netty's {@code scheduleAtFixedRate}). Runs keep the
     * phase of the first one; a run missed because the loop was busy is skipped rather than replayed in a burst.
     * Callable from any thread. An exception the action throws goes to the {@link CallbackErrorPolicy}, and the timer
     * goes on.
     *
     * @param initialDelay zero or more
     * @param period more than zero
     * @param action what to run on the loop thread
     * @return the handle that cancels it
     * @throws IllegalArgumentException if {@code initialDelay} is negative or {@code period} is not positive
     * @throws IllegalStateException if the collection is closed
     */
    public LoopTimer scheduleAtFixedRate(Duration initialDelay, Duration period, Runnable action) {
        long first = nonNegative("initialDelay", initialDelay);
        Objects.requireNonNull(period, "period");
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("period must be positive, got " + period);
        }
        return startTimer(first, Timeouts.toNanos(period), action);
    }

    private static long nonNegative(String what, Duration d) {
        Objects.requireNonNull(d, what);
        if (d.isNegative()) {
            throw new IllegalArgumentException(what + " must be zero or positive, got " + d);
        }
        return Timeouts.toNanos(d);
    }

    private LoopTimer startTimer(long delayNanos, long periodNanos, Runnable action) {
        Objects.requireNonNull(action, "action");
        if (loop.isClosing()) {
            throw new IllegalStateException(this + " is closed: no timer can be scheduled on it");
        }
        LoopTimerTask task = new LoopTimerTask(loop, delayNanos, periodNanos, action, context.invoker()::run);
        task.scheduleFrom();
        return new LoopTimer(task);
    }

    /**
     * Closes every state and accepting handle of the collection, without calling any of their callbacks; the loop
     * keeps running and new states may be added (LispWorks {@code close-wait-state-collection}, which also closes
     * the accepting handles, as they are wait states of the collection too). On the loop thread it happens before
     * the call returns; from another thread it is queued to the loop.
     */
    public void closeAllStates() {
        if (loop.isClosed()) {
            return;
        }
        if (loop.inLoopThread() || !loop.isLoopRunning()) {
            closeEverything();
        } else {
            loop.submit(this::closeEverything);
        }
    }

    /**
     * Stops the loop, closes every state and handle (no callbacks) and releases the selector. From another thread
     * it waits (up to 30 s) for the loop to finish its current iteration; on the loop thread the collection closes
     * as soon as the current callback returns. Closing twice does nothing.
     */
    @Override
    public void close() {
        loop.close();
    }

    /**
     * Listens on {@code port} and calls {@code connectionFunction} on the loop thread with a new state for every
     * accepted connection (LispWorks {@code accept-tcp-connections-creating-async-io-states}).
     *
     * @param port 0 (ephemeral) to 65535
     * @param connectionFunction called with the handle and each new state
     * @return the bound handle
     * @throws BindFailedException if the port stays busy for one minute, or the address cannot be bound
     */
    public AcceptingHandle acceptTcpConnections(int port, ConnectionFunction connectionFunction) {
        return acceptTcpConnections(port, connectionFunction, AcceptOptions.DEFAULTS);
    }

    /**
     * As {@link #acceptTcpConnections(int, ConnectionFunction)}, with options.
     *
     * @param port 0 (ephemeral) to 65535
     * @param connectionFunction called with the handle and each new state
     * @param options address, backlog, socket options, bind retry, limits
     * @return the bound handle
     * @throws BindFailedException if the port stays busy for {@code options.initTimeout()}, or cannot be bound
     * @throws IllegalArgumentException for a bad port, or {@code createState=false} (use {@link #acceptTcpConnectionsRaw})
     */
    public AcceptingHandle acceptTcpConnections(int port, ConnectionFunction connectionFunction,
                                                AcceptOptions options) {
        ServiceNames.checkPort("port", port);
        Objects.requireNonNull(connectionFunction, "connectionFunction");
        Objects.requireNonNull(options, "options");
        if (!options.createState()) {
            throw new IllegalArgumentException("createState=false hands over raw sockets: use "
                    + "acceptTcpConnectionsRaw with a RawConnectionFunction");
        }
        requireOpen();
        return new AcceptingHandle(this, port, connectionFunction, null, options);
    }

    /**
     * As {@link #acceptTcpConnections(int, ConnectionFunction, AcceptOptions)}, with the service as LispWorks takes
     * it: a numeric string, a service name from {@code /etc/services} (such as {@code "http"}), or {@code null}
     * for an ephemeral port.
     *
     * @param service the port or service name; {@code null} = ephemeral
     * @param connectionFunction called with the handle and each new state
     * @param options address, backlog, socket options, bind retry, limits
     * @return the bound handle
     * @throws IllegalArgumentException for an unknown service name
     * @throws BindFailedException if the port stays busy for {@code options.initTimeout()}, or cannot be bound
     */
    public AcceptingHandle acceptTcpConnections(@Nullable String service, ConnectionFunction connectionFunction,
                                                AcceptOptions options) {
        return acceptTcpConnections(ServiceNames.resolve(service, "tcp"), connectionFunction, options);
    }

    /**
     * Listens on a Unix domain socket at {@code path} (Java 16+ {@code UnixDomainSocketAddress}) and calls
     * {@code connectionFunction} on the loop thread with a new state for every connection, as
     * {@link #acceptTcpConnections(int, ConnectionFunction, AcceptOptions)} does for TCP: every state operation works
     * on these states, TLS included ({@link AcceptOptions#tls()}); their {@link AsyncIoState#peerSocketAddress()} /
     * {@link AsyncIoState#localSocketAddress()} are {@code UnixDomainSocketAddress}es (the {@code InetSocketAddress}
     * accessors return {@code null}), and {@link AcceptingHandle#unixSocketPath()} is the path.
     *
     * <p>The socket file is removed when the handle closes, before {@link AcceptingHandle#close()} returns (and only
     * if it is still the handle's). At bind, a socket file already at the path is probed with a non-blocking connect:
     * a refused one (a crashed server's) is removed and bound over; a live one, or one the probe cannot reach
     * (permission denied), is refused and left alone, as is anything else at the path. The address, family, port-reuse, bind-retry and TCP socket options
     * do not apply; backlog, limits, {@code spreadOver}, TLS and the state options do.
     *
     * @param path the socket file's path
     * @param connectionFunction called with the handle and each new state
     * @param options backlog, limits, TLS, state options
     * @return the bound handle
     * @throws BindFailedException if a live server listens on the path, the path holds something that is not a
     *         socket file, or binding failed (the message says which)
     * @throws IllegalArgumentException for {@code createState=false}
     */
    public AcceptingHandle acceptUnixConnections(java.nio.file.Path path, ConnectionFunction connectionFunction,
                                                 AcceptOptions options) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(connectionFunction, "connectionFunction");
        Objects.requireNonNull(options, "options");
        if (!options.createState()) {
            throw new IllegalArgumentException("acceptUnixConnections makes states: createState=false is not "
                    + "available for Unix domain sockets");
        }
        requireOpen();
        // TCP_NODELAY and SO_KEEPALIVE do not exist on Unix sockets: setting them on an accepted one would fail.
        AcceptOptions unix = options.toBuilder().nodelay(false).keepalive(false).build();
        return new AcceptingHandle(this, UnixSockets.bind(path, unix.backlog()), connectionFunction, null, unix);
    }

    /**
     * Starts a non-blocking connect to the Unix domain socket at {@code path} and returns the new state at once, as
     * {@link #connectTcp(String, int, ConnectCallback, ConnectOptions)} does for TCP: {@code callback} runs on the
     * loop thread with {@code (state, null)} once connected (and the TLS handshake done, with
     * {@link ConnectOptions#tls()}), or {@code (state, failure)} if it failed or timed out (the state is then
     * closed). For TLS the host name to verify and announce is {@link TlsOptions#sniHostName()}. The local bind,
     * family and TCP socket options do not apply.
     *
     * @param path the server's socket file
     * @param callback told of the outcome
     * @param options timeout, TLS, state options
     * @return the new state, not yet connected
     * @throws IllegalArgumentException for TLS with host name verification but no {@link TlsOptions#sniHostName()}
     */
    public AsyncIoState connectUnix(java.nio.file.Path path, ConnectCallback callback, ConnectOptions options) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(callback, "callback");
        Objects.requireNonNull(options, "options");
        TlsOptions tls = options.tls();
        if (tls != null && tls.hostnameVerification() && tls.sniHostName() == null) {
            throw new IllegalArgumentException("connectUnix with TLS verifies the server's host name, and a Unix "
                    + "socket has none: set TlsOptions.sniHostName, or turn hostnameVerification off");
        }
        requireOpen();
        return UnixConnector.connect(loop, this::newState, path, callback, options).owner();
    }

    /**
     * The calling thread stops driving the collection it drove through {@link #waitFor()} / {@link #callReady()}:
     * another thread may then drive it. Nothing else changes: states, handles and queued functions stay, and run on
     * the next driver.
     *
     * @throws IllegalStateException if the calling thread does not drive the collection, or runs its
     *         {@link #loopProcessing()} (that one ends with {@link #stopLoop()})
     */
    public void stopDriving() {
        loop.stopDriving();
    }

    /**
     * As {@link #acceptTcpConnections(int, ConnectionFunction, AcceptOptions)}, for callers on the loop thread: the
     * bind, with its busy-port retry for {@link AcceptOptions#initTimeout()}, runs on a binder thread, so the loop
     * goes on serving its other states meanwhile (a synchronous bind on the loop thread is tried once, since
     * retrying there would block the loop). The init function runs on the binder thread. Callable from any thread.
     *
     * @param port 0 (ephemeral) to 65535
     * @param connectionFunction called on the loop thread with the handle and each new state
     * @param options address, backlog, socket options, bind retry, limits
     * @return completed on the loop thread with the bound handle, or exceptionally with the
     *         {@link BindFailedException} (or argument error) the bind threw; completed on the binder thread if the
     *         collection closed meanwhile
     */
    public CompletableFuture<AcceptingHandle> acceptTcpConnectionsLater(int port,
                                                                        ConnectionFunction connectionFunction,
                                                                        AcceptOptions options) {
        ServiceNames.checkPort("port", port);
        Objects.requireNonNull(connectionFunction, "connectionFunction");
        Objects.requireNonNull(options, "options");
        requireOpen();
        return DeferredBind.start(
                () -> acceptTcpConnections(port, connectionFunction, options), this);
    }

    /**
     * Accepts connections on a listening socket that is bound already, as {@link #acceptTcpConnections(int,
     * ConnectionFunction, AcceptOptions)} does on one it binds; the options that concern binding (address, family,
     * backlog, reuse-port, init timeout) do not apply, the others do, and the init function runs. The handle owns
     * the socket from now on.
     *
     * @param socket an open, bound listening socket (such as one inherited from the parent process)
     * @param connectionFunction called on the loop thread with the handle and each new state
     * @param options socket options of accepted connections, limits, TLS, state options
     * @return the handle
     * @throws IllegalArgumentException if the socket is not bound, or {@code createState} is off
     * @throws IllegalStateException if the socket already belongs to a handle, naming it
     */
    public AcceptingHandle acceptTcpConnections(java.nio.channels.ServerSocketChannel socket,
                                                ConnectionFunction connectionFunction, AcceptOptions options) {
        Objects.requireNonNull(socket, "socket");
        Objects.requireNonNull(connectionFunction, "connectionFunction");
        Objects.requireNonNull(options, "options");
        if (!options.createState()) {
            throw new IllegalArgumentException("createState=false is for acceptTcpConnectionsRaw");
        }
        Object holder = ChannelOwners.holder(socket);
        if (holder != null) {
            throw new IllegalStateException("acceptTcpConnections: " + socket + " already belongs to " + holder);
        }
        requireOpen();
        if (UnixSockets.pathOf(UnixSockets.localAddressOf(socket)) != null) {
            // A Unix listening socket made by the caller: TCP options do not exist on its connections.
            options = options.toBuilder().nodelay(false).keepalive(false).build();
        }
        return new AcceptingHandle(this, socket, connectionFunction, null, options);
    }

    /**
     * Wraps the socket this JVM inherited from the process that started it ({@link System#inheritedChannel()}:
     * inetd, systemd {@code StandardInput=socket}, {@code socat ... EXEC}) in a state: the Java form of LispWorks'
     * {@code create-async-io-state} with an integer file descriptor. A connected TCP socket becomes a TCP state, a
     * UDP socket a UDP state; host names resolve as {@link StateOptions#ipv6()} says.
     *
     * <p>Two JDK facts to know. An inherited UDP socket is unconnected as far as Java can tell (the JDK does not read
     * its peer), so the state uses {@link AsyncIoState#sendMessageToAddress}; for a connected state (LispWorks
     * {@code :udp :connected}) connect {@code System.inheritedChannel()} to the peer before calling this. And
     * closing an inherited socket (closing its state without keep-alive) makes the JDK point the JVM's standard
     * input, output and error at {@code /dev/null}, since inetd passes the socket on all three. On JDK 25 (not 17)
     * the JDK takes an inherited IPv4 UDP socket for an IPv6 one when IPv6 is available, so its sends fail with
     * "Address family not supported by protocol": start the JVM with {@code -Djava.net.preferIPv4Stack=true} (a
     * WARNING names this remedy when the channel is found so).
     *
     * @param options name, user info, timeouts, output queueing and limits, {@code ipv6}
     * @return the new state
     * @throws IllegalStateException if no socket was inherited, a listening one was (use
     *         {@link #acceptInheritedConnections}), or the inherited socket already has a state
     */
    public AsyncIoState createStateForInheritedChannel(StateOptions options) {
        Objects.requireNonNull(options, "options");
        var channel = InheritedChannels.forState("createStateForInheritedChannel");
        return channel instanceof SocketChannel tcp ? createState(tcp, options)
                : createState((java.nio.channels.DatagramChannel) channel, options);
    }

    /**
     * Accepts connections on the listening socket this JVM inherited from the process that started it
     * ({@link System#inheritedChannel()}), as {@link #acceptTcpConnections(java.nio.channels.ServerSocketChannel,
     * ConnectionFunction, AcceptOptions)} does: LispWorks' integer-descriptor case for a listening socket. Closing
     * the handle closes the inherited socket, after which the JDK points the JVM's standard input, output and error
     * at {@code /dev/null}.
     *
     * @param connectionFunction called on the loop thread with the handle and each new state
     * @param options socket options of accepted connections, limits, TLS, state options
     * @return the handle
     * @throws IllegalStateException if no listening socket was inherited, or it already belongs to a handle
     */
    public AcceptingHandle acceptInheritedConnections(ConnectionFunction connectionFunction, AcceptOptions options) {
        return acceptTcpConnections(
                InheritedChannels.listening("acceptInheritedConnections"),
                connectionFunction, options);
    }

    /**
     * Listens like {@link #acceptTcpConnections} but hands every accepted socket, still in blocking mode, to
     * {@code connectionFunction} instead of making a state (LispWorks {@code :create-state nil}): use it with
     * another collection, a thread, or a blocking stream. Runs on the loop thread. Such connections are not
     * counted against {@link AcceptOptions#maxConnections()}.
     *
     * @param service the port or service name; {@code null} = ephemeral
     * @param connectionFunction called with the handle and each accepted socket, which it then owns
     * @param options address, backlog, socket options, bind retry ({@code createState} is ignored)
     * @return the bound handle
     * @throws BindFailedException if the port stays busy for {@code options.initTimeout()}, or cannot be bound
     */
    public AcceptingHandle acceptTcpConnectionsRaw(@Nullable String service, RawConnectionFunction connectionFunction,
                                                   AcceptOptions options) {
        Objects.requireNonNull(connectionFunction, "connectionFunction");
        Objects.requireNonNull(options, "options");
        requireOpen();
        return new AcceptingHandle(this, ServiceNames.resolve(service, "tcp"), null, connectionFunction,
                options.toBuilder().createState(false).build());
    }

    /**
     * Wraps a connected socket in a state of this collection (LispWorks {@code create-async-io-state}). The
     * channel is switched to non-blocking mode; don't do I/O on it yourself until the state is closed.
     *
     * @param channel a connected TCP socket
     * @return the new state
     * @throws IllegalArgumentException if the channel is closed
     */
    public AsyncIoState createState(SocketChannel channel) {
        return createState(channel, StateOptions.DEFAULTS);
    }

    /**
     * As {@link #createState(SocketChannel)}, with options.
     *
     * <p>A channel has one state at a time (LispWorks: the object must not be used elsewhere until
     * {@code close-async-io-state}): a channel that has an open state in any collection is refused; after that
     * state's {@link AsyncIoState#close(boolean) close(true)} (keep-alive) it may be wrapped again.
     *
     * @param channel a connected TCP socket
     * @param options name, user info, timeouts, output queueing and limits
     * @return the new state
     * @throws IllegalArgumentException if the channel is closed
     * @throws IllegalStateException if the channel already has an open state, naming it, or (on the loop thread
     *         only) its previous state was closed with keep-alive in this same loop iteration
     */
    public AsyncIoState createState(SocketChannel channel, StateOptions options) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(options, "options");
        if (!channel.isOpen()) {
            throw new IllegalArgumentException("createState needs an open channel");
        }
        if (!channel.isConnected()) {
            throw new IllegalArgumentException("createState needs a connected socket (use connectTcp to connect)");
        }
        requireOpen();
        ChannelOwners.requireFree(channel, loop);
        return newState(new StreamKind(channel), null, options, false).owner();
    }

    /**
     * Starts a non-blocking TCP connect and returns the new state at once; {@code callback} runs on the loop
     * thread with {@code (state, null)} once connected, or {@code (state, failure)} if the connect failed or timed
     * out (the state is then closed). LispWorks {@code create-async-io-state-and-connected-tcp-socket}.
     *
     * @param host a host name or literal address; {@code null} = the loopback address
     * @param port 1 to 65535
     * @param callback told of the outcome
     * @return the new state, not yet connected
     */
    public AsyncIoState connectTcp(@Nullable String host, int port, ConnectCallback callback) {
        return connectTcp(host, port, callback, ConnectOptions.DEFAULTS);
    }

    /**
     * As {@link #connectTcp(String, int, ConnectCallback)}, with the service as a port number string or name.
     *
     * @param host a host name or literal address; {@code null} = the loopback address
     * @param service a port number or service name
     * @param callback told of the outcome
     * @param options timeout, local bind, socket options, state options
     * @return the new state, not yet connected
     */
    public AsyncIoState connectTcp(@Nullable String host, String service, ConnectCallback callback,
            ConnectOptions options) {
        return connectTcp(host, ServiceNames.resolve(service, "tcp"), callback, options);
    }

    /**
     * As {@link #connectTcp(String, int, ConnectCallback)}, with options. Host names are resolved off the loop
     * thread, so a slow DNS answer never blocks the loop.
     *
     * @param host a host name or literal address; {@code null} = the loopback address
     * @param port 1 to 65535
     * @param callback told of the outcome
     * @param options timeout, local bind, socket options, state options
     * @return the new state, not yet connected
     */
    public AsyncIoState connectTcp(@Nullable String host, int port, ConnectCallback callback, ConnectOptions options) {
        ServiceNames.checkPort("port", port);
        if (port == 0) {
            throw new IllegalArgumentException("port must be 1 to 65535 to connect, got 0");
        }
        Objects.requireNonNull(callback, "callback");
        Objects.requireNonNull(options, "options");
        requireOpen();
        return TcpConnector.connect(loop, this::newState, host, port, callback, options).owner();
    }

    /**
     * Makes an unconnected UDP socket, bound if {@link UdpOptions#localAddress()} or {@link UdpOptions#localPort()}
     * is set, and a state for it (LispWorks {@code create-async-io-state-and-udp-socket}): use
     * {@link AsyncIoState#receiveMessage} and {@link AsyncIoState#sendMessageToAddress}. Output queues by default.
     *
     * @param options local bind, family, {@code errorp}, state options
     * @return the new state, or {@code null} if it failed and {@code errorp} is off
     * @throws java.io.UncheckedIOException if the socket cannot be made or bound (with {@code errorp} on)
     */
    public @Nullable AsyncIoState openUdp(UdpOptions options) {
        Objects.requireNonNull(options, "options");
        requireOpen();
        return owner(UdpSockets.open(this::newState, null, 0, options));
    }

    /**
     * Makes a UDP socket connected to {@code host:port} and a state for it (LispWorks
     * {@code create-async-io-state-and-connected-udp-socket}): sends go to, and datagrams come only from, that peer;
     * use {@link AsyncIoState#sendMessage} and {@link AsyncIoState#receiveMessage}. The host is resolved on the
     * calling thread.
     *
     * @param host a host name or literal; {@code null} = loopback
     * @param port 1 to 65535
     * @param options local bind, family, {@code errorp}, state options
     * @return the new state, or {@code null} if it failed and {@code errorp} is off
     * @throws IllegalArgumentException for a bad port or an unknown host (with {@code errorp} on)
     */
    public @Nullable AsyncIoState connectUdp(@Nullable String host, int port, UdpOptions options) {
        Objects.requireNonNull(options, "options");
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 1 to 65535, got " + port);
        }
        requireOpen();
        return owner(UdpSockets.open(this::newState, host == null ? InetAddress.getLoopbackAddress().getHostAddress()
                : host, port, options));
    }

    /**
     * As {@link #connectUdp(String, int, UdpOptions)}, with the service as a port number string or name.
     *
     * @param host a host name or literal; {@code null} = loopback
     * @param service a port number or service name
     * @param options local bind, family, {@code errorp}, state options
     * @return the new state, or {@code null} if it failed and {@code errorp} is off
     */
    public @Nullable AsyncIoState connectUdp(@Nullable String host, String service, UdpOptions options) {
        return connectUdp(host, ServiceNames.resolve(service, "udp"), options);
    }

    /**
     * Wraps an existing UDP socket, connected or not, in a state (LispWorks {@code create-async-io-state} with
     * {@code :udp t} or {@code :connected}). Output queues only if {@code options} say so, as in LispWorks. Host
     * names given to {@link AsyncIoState#sendMessageToAddress} resolve in {@link StateOptions#ipv6()}'s family, by
     * default the channel's own (LispWorks {@code :ipv6}).
     *
     * @param channel an open datagram channel
     * @param options name, user info, timeouts, output queueing and limits, {@code ipv6}
     * @return the new state
     * @throws IllegalStateException if the channel already has an open state, naming it, or (on the loop thread
     *         only) its previous state was closed with keep-alive in this same loop iteration
     * @throws IllegalArgumentException if {@link StateOptions#ipv6()} contradicts the channel's family
     */
    public AsyncIoState createState(java.nio.channels.DatagramChannel channel, StateOptions options) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(options, "options");
        if (!channel.isOpen()) {
            throw new IllegalArgumentException("createState needs an open channel");
        }
        requireOpen();
        ChannelOwners.requireFree(channel, loop);
        IpFamily family = DatagramFamily.of(channel, options.ipv6());
        return newState(new DatagramKind(channel, family), null, options, false).owner();
    }

    /** @return the open accepting handles of the collection */
    public List<AcceptingHandle> handles() {
        return List.copyOf(handles);
    }

    /** @return the open states of the collection (asks the loop thread when called from another thread) */
    public List<AsyncIoState> states() {
        return loop.callOnLoop(() -> {
            List<StateEngine> engines = context.states().toList(Integer.MAX_VALUE);
            List<AsyncIoState> all = new ArrayList<>(engines.size());
            for (StateEngine e : engines) {
                all.add(e.owner());
            }
            return all;
        });
    }

    /** @return a snapshot of the collection's counters; cheap, callable from any thread */
    public CollectionStatistics statistics() {
        return new CollectionStatistics(name, isAlive(), context.states().size(), handles.size(), loop.tasksPending(),
                counters.bytesRead(), counters.bytesWritten(), counters.timeouts(), counters.errors(),
                counters.callbackFailures(), context.invoker().fatalFailures(), loop.engineFailures());
    }

    @Override
    public String toString() {
        return "WaitStateCollection[" + name + "]";
    }

    // ------------------------------------------------------------------ plumbing for states and handles

    /** @return the loop */
    EventLoop loop() {
        return loop;
    }

    /** @return what the collection's states share */
    CollectionContext context() {
        return context;
    }

    /**
     * @return the memory budget the collection's states are charged to ({@link MemoryBudget#processDefault()} unless
     *         {@link Builder#memoryBudget} named one); beyond LispWorks
     */
    public MemoryBudget memoryBudget() {
        return memoryBudget;
    }

    /** @return this collection as a server of accepted connections */
    Worker worker() {
        return new Worker(name, loop, this::newState);
    }

    /** The collection's state factory: every state is made here. */
    StateEngine newState(ChannelKind kind, StateGroup group, StateOptions options, boolean connecting) {
        return new AsyncIoState(this, context, kind, group, options, connecting).engine();
    }

    private static AsyncIoState owner(StateEngine engine) {
        return engine != null ? engine.owner() : null;
    }

    void handleOpened(AcceptingHandle handle) {
        handles.add(handle);
    }

    void handleClosed(AcceptingHandle handle) {
        handles.remove(handle);
    }

    void requireOpen() {
        if (loop.isClosing()) {
            throw new IllegalStateException(this + " is closed");
        }
    }

    /**
     * The transport this collection's loop runs on (the JDK's NIO selector, or the native epoll transport of the
     * {@code async-io-native} module) and why it was chosen. Any thread; beyond LispWorks.
     *
     * @return the transport and the reason
     */
    public TransportChoice transport() {
        return new TransportChoice(loop.transport().name(), loop.transport().reason());
    }

    /**
     * The process-wide transport, chosen from the system property {@code asyncio.transport} ({@code auto} by
     * default) when the first collection was made, and logged then at INFO by the logger
     * {@code dev.asyncio.core.loop}. Any thread; beyond LispWorks.
     *
     * @return the transport collections get unless their builder forces one, and why
     * @throws IllegalArgumentException if the property is not auto, nio or native
     * @throws IllegalStateException if the property forces native and the native transport cannot run here
     */
    public static TransportChoice defaultTransport() {
        LoopSelectors d = LoopSelectors.processDefault();
        return new TransportChoice(d.name(), d.reason());
    }

    /**
     * The transport a collection built with {@code builder.transport(mode, origin)} would run on, and why, without
     * creating one: lets a configuration check a forced mode at start-up. Any thread; beyond LispWorks.
     *
     * @param mode the transport mode
     * @param origin what asked for it (a property name, say), named in the reason and the error
     * @return the transport and the reason
     * @throws IllegalStateException if {@code mode} is {@link TransportMode#NATIVE} and the native transport cannot
     *                               run here (the message names {@code origin} and what is missing)
     */
    public static TransportChoice transportFor(TransportMode mode, String origin) {
        LoopSelectors s = LoopSelectors.forMode(Objects.requireNonNull(mode, "mode").name().toLowerCase(
                java.util.Locale.ROOT), Objects.requireNonNull(origin, "origin"));
        return new TransportChoice(s.name(), s.reason());
    }

    private void closeEverything() {
        if (loop.isClosed()) {
            memoryBudget.core().removeListener(shedder);
        }
        for (AcceptingHandle h : handles) {
            h.closeSilently();
        }
        StateEngine s;
        while ((s = context.states().first()) != null) {
            s.closeSilently();
        }
    }

    /** Builds a collection with less common settings. */
    public static final class Builder {
        private final String name;
        private CallbackErrorPolicy callbackErrorPolicy = CallbackErrorPolicy.LOG;
        private boolean daemon;
        private LongSupplier clock = System::nanoTime;
        private MemoryBudget memoryBudget;
        private int poolBufferSize = 64 * 1024;
        private int poolMaxPooled = 64;
        private TransportMode transport;
        private String transportOrigin = "WaitStateCollection.Builder.transport";

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        /** @param policy what happens when a callback throws (LispWorks {@code :handler}) @return this */
        public Builder callbackErrorPolicy(CallbackErrorPolicy policy) {
            this.callbackErrorPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** @param daemon whether the thread of {@link #createAndRun()} is a daemon (default false: it keeps the JVM alive) @return this */
        public Builder daemon(boolean daemon) {
            this.daemon = daemon;
            return this;
        }

        /**
         * @param budget what the collection's states may hold, shared with every collection given the same budget
         *               (default {@link MemoryBudget#processDefault()}); beyond LispWorks
         * @return this
         */
        public Builder memoryBudget(MemoryBudget budget) {
            this.memoryBudget = Objects.requireNonNull(budget, "budget");
            return this;
        }

        /** @param nanoClock the loop's clock for timeouts, in nanoseconds (tests inject one) @return this */
        public Builder nanoClock(LongSupplier nanoClock) {
            this.clock = Objects.requireNonNull(nanoClock, "nanoClock");
            return this;
        }

        /**
         * @param bufferSize the capacity of each buffer of {@link WaitStateCollection#bufferPool()}, 1 or more
         *                   (default 64 KiB)
         * @param maxPooled how many free buffers it keeps at most, 0 or more (default 64)
         * @return this
         * @throws IllegalArgumentException for a size below 1 or a negative bound
         */
        public Builder bufferPool(int bufferSize, int maxPooled) {
            if (bufferSize < 1 || maxPooled < 0) {
                throw new IllegalArgumentException("bufferPool needs bufferSize >= 1 and maxPooled >= 0, got "
                        + bufferSize + " and " + maxPooled);
            }
            this.poolBufferSize = bufferSize;
            this.poolMaxPooled = maxPooled;
            return this;
        }

        /**
         * Forces the transport of this collection's loop, overriding the system property
         * {@code asyncio.transport}; beyond LispWorks.
         *
         * @param mode {@link TransportMode#NIO}, {@link TransportMode#NATIVE} (creating the collection then fails
         *             with an {@link IllegalStateException} naming the reason where the native transport cannot run)
         *             or {@link TransportMode#AUTO}
         * @return this
         */
        public Builder transport(TransportMode mode) {
            this.transport = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * As {@link #transport(TransportMode)}, naming what asked for the mode (a configuration property, say) in the
         * reason {@link WaitStateCollection#transport()} reports and in the error where native cannot run; beyond
         * LispWorks.
         *
         * @param mode the transport mode
         * @param origin what asked for it, e.g. {@code "async-io.transport"}
         * @return this
         */
        public Builder transport(TransportMode mode, String origin) {
            this.transport = Objects.requireNonNull(mode, "mode");
            this.transportOrigin = Objects.requireNonNull(origin, "origin");
            return this;
        }

        /** @return a collection that nothing runs yet */
        public WaitStateCollection create() {
            return new WaitStateCollection(this);
        }

        /** @return a collection whose loop runs on a new thread {@code "Loop Collection <name>"} */
        public WaitStateCollection createAndRun() {
            WaitStateCollection c = new WaitStateCollection(this);
            c.loop.startOwnThread("Loop Collection " + name, daemon);
            return c;
        }
    }
}
