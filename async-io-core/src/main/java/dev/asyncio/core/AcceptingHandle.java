package dev.asyncio.core;

import dev.asyncio.core.internal.DeadlineQueue;
import dev.asyncio.core.internal.TrafficCounters;
import dev.asyncio.core.internal.accept.Ipv6OnlyBind;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A listening TCP socket inside a {@link WaitStateCollection} that makes a state for every connection and calls a
 * {@link ConnectionFunction} with it on the loop thread (LispWorks {@code accepting-handle}, made by
 * {@code accept-tcp-connections-creating-async-io-states}).
 *
 * <p>The bind happens in {@link WaitStateCollection#acceptTcpConnections} on the caller's thread: a busy port is
 * retried until {@link AcceptOptions#initTimeout()} passes, then a {@link BindFailedException} names the address and
 * port. (On the loop thread itself the bind is tried once, since retrying would block the loop and LispWorks promises a
 * bound handle when the call returns; {@link WaitStateCollection#acceptTcpConnectionsLater} retries off the loop
 * and completes a future on it instead.) {@link IpFamily#IPV6} is a real IPv6-only socket: it needs a specific IPv6
 * address, since Java cannot make a wildcard IPv6 socket IPv6-only. Accepting then runs on the loop thread. {@link AcceptOptions#maxConnections()} pauses accepting at the limit — new peers wait in the
 * listen backlog — and resumes when a connection of the handle closes. A failing {@code accept} (out of file
 * descriptors) pauses accepting for a moment instead of spinning.
 *
 * <p>Every method may be called from any thread.
 */
public final class AcceptingHandle implements Selectable {

    private static final AtomicLong NAMES = new AtomicLong();
    /** Connections accepted per readiness event before the loop serves the other channels. */
    private static final int ACCEPTS_PER_EVENT = 64;
    /** Pause after {@code accept} itself failed (EMFILE, ENFILE): retrying at once would spin the loop. */
    private static final long ACCEPT_FAILURE_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private volatile WaitStateCollection collection;
    private volatile ServerSocketChannel socket;
    private final WaitStateCollection owner;
    private SelectionKey key;
    private final String name;
    private final AcceptOptions options;
    private final ConnectionFunction connectionFunction;
    private final RawConnectionFunction rawConnectionFunction;
    private final InetSocketAddress localAddress;
    final TrafficCounters counters;

    private volatile long accepted;
    private volatile long rejected;
    // Guarded by 'this': with spreadOver, the handle's states live on several loops.
    private volatile int active;
    private volatile boolean paused;
    private AsyncIoState firstState;
    private boolean acceptFailurePause;
    private int nextWorker;
    /** Connections accepted and on their way to another loop: they count against maxConnections already. */
    private final java.util.concurrent.atomic.AtomicInteger handingOver = new java.util.concurrent.atomic.AtomicInteger();

    private AcceptingHandle(WaitStateCollection collection, ServerSocketChannel socket, AcceptOptions options,
                            ConnectionFunction connectionFunction, RawConnectionFunction rawConnectionFunction)
            throws IOException {
        this.collection = collection;
        this.owner = collection;
        this.socket = socket;
        this.options = options;
        this.connectionFunction = connectionFunction;
        this.rawConnectionFunction = rawConnectionFunction;
        this.localAddress = (InetSocketAddress) socket.getLocalAddress();
        this.name = options.handleName() != null ? options.handleName() : "handle-" + NAMES.incrementAndGet();
        // Only a handle that spreads its connections over several loops is counted from several threads.
        this.counters = new TrafficCounters(options.spreadOver().size() > 1
                || (options.spreadOver().size() == 1 && options.spreadOver().get(0) != collection));
    }

    static AcceptingHandle bind(WaitStateCollection collection, int port, ConnectionFunction fn,
                                RawConnectionFunction rawFn, AcceptOptions options) {
        collection.requireOpen();
        InetSocketAddress address = Ipv6OnlyBind.bindAddress(options.address(), options.ipFamily(), port);
        // LispWorks: the handle is bound when the call returns. On the loop thread retrying would block the loop, so
        // a busy port is tried once there (acceptTcpConnectionsLater retries off the loop instead).
        boolean onLoop = collection.inLoopThread();
        ServerSocketChannel socket;
        try {
            socket = bindWithRetry(address, options, onLoop ? Duration.ZERO : options.initTimeout());
        } catch (BindFailedException e) {
            throw onLoop && !options.initTimeout().isZero() ? e.triedOnceOnLoop() : e;
        }
        return start(collection, socket, address, fn, rawFn, options);
    }

    /** Accepts on a listening socket that is bound already (one inherited from the parent process, say). */
    static AcceptingHandle adopt(WaitStateCollection collection, ServerSocketChannel socket, ConnectionFunction fn,
                                 RawConnectionFunction rawFn, AcceptOptions options) {
        collection.requireOpen();
        InetSocketAddress address;
        try {
            address = (InetSocketAddress) socket.getLocalAddress();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("Cannot read the address of " + socket + ": " + e.getMessage(), e);
        }
        if (address == null) {
            throw new IllegalArgumentException("acceptTcpConnections needs a bound listening socket, got " + socket);
        }
        return start(collection, socket, address, fn, rawFn, options);
    }

    private static AcceptingHandle start(WaitStateCollection collection, ServerSocketChannel socket,
                                         InetSocketAddress address, ConnectionFunction fn,
                                         RawConnectionFunction rawFn, AcceptOptions options) {
        try {
            if (options.initFunction() != null) {
                options.initFunction().bound(socket);
            }
            socket.configureBlocking(false);
            AcceptingHandle handle = new AcceptingHandle(collection, socket, options, fn, rawFn);
            handle.key = socket.register(collection.selector(), SelectionKey.OP_ACCEPT, handle);
            collection.handleOpened(handle);
            collection.submit(() -> { });
            Loggers.ACCEPT.log(Level.DEBUG, () -> handle + " listening on "
                    + WaitStateCollection.describe(handle.localAddress));
            return handle;
        } catch (IOException e) {
            AsyncIoState.closeQuietly(socket);
            throw new java.io.UncheckedIOException("Cannot start accepting on "
                    + WaitStateCollection.describe(address) + ": " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            AsyncIoState.closeQuietly(socket);
            throw e;
        }
    }

    private static ServerSocketChannel bindWithRetry(InetSocketAddress address, AcceptOptions options,
                                                     Duration initTimeout) {
        long deadline = System.nanoTime() + initTimeout.toNanos();
        long started = System.nanoTime();
        long pauseMillis = 50;
        while (true) {
            ServerSocketChannel socket = null;
            try {
                socket = open(address, options);
                socket.bind(address, options.backlog());
                return socket;
            } catch (BindException e) {
                AsyncIoState.closeQuietly(socket);
                // Only a busy port is worth waiting for; "cannot assign requested address" will not go away.
                boolean busy = e.getMessage() != null && e.getMessage().toLowerCase(Locale.ROOT).contains("in use");
                long left = deadline - System.nanoTime();
                if (!busy || left <= 0) {
                    throw new BindFailedException(address, Duration.ofNanos(System.nanoTime() - started), e);
                }
                long pause = Math.min(pauseMillis, TimeUnit.NANOSECONDS.toMillis(left) + 1);
                Loggers.ACCEPT.log(Level.DEBUG, () -> WaitStateCollection.describe(address)
                        + " is busy; retrying in " + pause + " ms");
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new BindFailedException(address, Duration.ofNanos(System.nanoTime() - started), e);
                }
                pauseMillis = Math.min(pauseMillis * 2, 1000);
            } catch (IOException e) {
                AsyncIoState.closeQuietly(socket);
                throw new BindFailedException(address, Duration.ofNanos(System.nanoTime() - started), e);
            } catch (UnsupportedOperationException e) {
                AsyncIoState.closeQuietly(socket);
                throw new IllegalArgumentException("reusePort (SO_REUSEPORT) is not supported on this platform", e);
            }
        }
    }

    private static ServerSocketChannel open(InetSocketAddress address, AcceptOptions options) throws IOException {
        ProtocolFamily family = switch (options.ipFamily()) {
            case IPV4 -> StandardProtocolFamily.INET;
            case IPV6, BOTH -> StandardProtocolFamily.INET6;
            case ANY -> address.getAddress() instanceof Inet4Address ? StandardProtocolFamily.INET : null;
        };
        ServerSocketChannel socket = family == null ? ServerSocketChannel.open() : ServerSocketChannel.open(family);
        socket.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        if (options.reusePort()) {
            if (!socket.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
                socket.close();
                throw new UnsupportedOperationException("SO_REUSEPORT");
            }
            socket.setOption(StandardSocketOptions.SO_REUSEPORT, true);
        }
        return socket;
    }

    // =================================================================== accessors

    /** @return the handle's collection, or {@code null} once closed (LispWorks {@code accepting-handle-collection}) */
    public WaitStateCollection collection() {
        return collection;
    }

    /**
     * @return the listening socket, or {@code null} once closed (LispWorks {@code accepting-handle-socket}); query
     *         it only, never accept on it
     */
    public ServerSocketChannel socket() {
        return socket;
    }

    /** @return the port the handle listens (or listened) on (LispWorks {@code accepting-handle-local-port}) */
    public int localPort() {
        return localAddress.getPort();
    }

    /** @return the address the handle listens (or listened) on */
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    /** @return the handle's name (LispWorks {@code accepting-handle-name}) */
    public String name() {
        return name;
    }

    /** @return the application's object (LispWorks {@code accepting-handle-user-info}) */
    public Object userInfo() {
        return options.userInfo();
    }

    /**
     * @return the function called for each connection, or {@code null} for a handle that hands over raw sockets
     *         ({@link WaitStateCollection#acceptTcpConnectionsRaw}); with {@link #options()} enough to bind the handle
     *         again after it was closed
     */
    public ConnectionFunction connectionFunction() {
        return connectionFunction;
    }

    /** @return the options the handle was made with */
    public AcceptOptions options() {
        return options;
    }

    /** @return whether the handle still listens */
    public boolean isOpen() {
        return socket != null;
    }

    /** @return how many of the handle's connections are open now */
    public int connectionCount() {
        return active;
    }

    /** @return a snapshot of the handle's counters; cheap, callable from any thread */
    public HandleStatistics statistics() {
        return new HandleStatistics(name, isOpen(), localPort(), accepted, active, rejected, paused,
                counters.bytesRead(), counters.bytesWritten(), counters.timeouts(), counters.errors(),
                counters.callbackFailures());
    }

    /**
     * @param limit how many to list at most
     * @return snapshots of up to {@code limit} open connections of the handle 
     */
    public List<StateSnapshot> connections(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative, got " + limit);
        }
        List<AsyncIoState> states = states();
        List<StateSnapshot> list = new ArrayList<>(Math.min(limit, states.size()));
        for (AsyncIoState s : states) {
            if (list.size() == limit) {
                break;
            }
            list.add(s.snapshotOnLoop());
        }
        return list;
    }

    /** @return the open states of the handle's connections  */
    public List<AsyncIoState> states() {
        synchronized (this) {
            List<AsyncIoState> list = new ArrayList<>(active);
            for (AsyncIoState s = firstState; s != null; s = s.nextInHandle) {
                list.add(s);
            }
            return list;
        }
    }

    // =================================================================== closing

    /** Closes the handle; see {@link #close(CollectionCallback)}. */
    public void close() {
        close(null);
    }

    /**
     * Closes the listening socket and frees the port (LispWorks {@code close-accepting-handle}). Asynchronous: the
     * socket is closed on the loop thread, and {@code callback(collection)} runs there afterwards, once the port is
     * free. Connections already accepted stay open. Closing a closed handle only runs the callback. If the
     * collection itself is closed (no loop thread any more), the socket is closed and the callback runs on the
     * calling thread.
     *
     * @param callback {@code (collection)} on the loop thread; {@code null} = none
     */
    public void close(CollectionCallback callback) {
        WaitStateCollection c = owner;
        Runnable closeTask = () -> {
            closeSilently();
            if (callback != null) {
                // The descriptor is released when the selector drops the cancelled key, on its next select.
                c.afterDeregistration(() -> {
                    try {
                        callback.call(c);
                    } catch (VirtualMachineError e) {
                        throw e;
                    } catch (Throwable t) {
                        c.callbackFailed(null, this, t);
                    }
                });
            }
        };
        if (c.isClosed() || !c.isLoopRunning()) {
            closeTask.run();
            if (callback != null && c.isClosed()) {
                callback.call(c);
            }
        } else {
            c.submit(closeTask);
        }
    }

    @Override
    public void closeSilently() {
        ServerSocketChannel s = socket;
        if (s == null) {
            return;
        }
        socket = null;
        collection = null;
        if (key != null) {
            key.cancel();
        }
        AsyncIoState.closeQuietly(s);
        owner.handleClosed(this);
        Loggers.ACCEPT.log(Level.DEBUG, () -> this + " closed");
    }

    // =================================================================== accepting (loop thread)

    @Override
    public void ready(int readyOps) {
        ServerSocketChannel server = socket;
        if (server == null || (readyOps & SelectionKey.OP_ACCEPT) == 0) {
            return;
        }
        for (int i = 0; i < ACCEPTS_PER_EVENT && !paused && socket != null; i++) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                Loggers.ACCEPT.log(Level.WARNING, () -> this + ": accept failed (" + e.getMessage()
                        + "); pausing accepting for " + TimeUnit.NANOSECONDS.toMillis(ACCEPT_FAILURE_PAUSE_NANOS)
                        + " ms");
                pauseAfterFailure();
                return;
            }
            if (ch == null) {
                return;
            }
            accept(ch);
        }
    }

    private void accept(SocketChannel ch) {
        try {
            // Accepted sockets start with both off: only set what is on, one system call each.
            if (options.nodelay()) {
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            }
            if (options.keepalive()) {
                ch.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
            }
        } catch (IOException e) {
            reject(ch, e.getMessage());
            return;
        }
        accepted++;
        if (!options.createState()) {
            try {
                rawConnectionFunction.connected(this, ch);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable t) {
                owner.callbackFailed(null, this, t);
            }
            return;
        }
        WaitStateCollection target = nextCollection();
        if (target != owner) {
            handingOver.incrementAndGet();
            try {
                target.submit(new HandOver(target, ch));
            } catch (RuntimeException closed) {
                handingOver.decrementAndGet();
                reject(ch, "collection " + target.name() + " is closed");
            }
            pauseIfFull();
            return;
        }
        serve(owner, ch);
    }

    /** An accepted socket on its way to another collection; closed if that collection closes first. */
    private final class HandOver implements WaitStateCollection.Discardable {
        private final WaitStateCollection target;
        private final SocketChannel channel;

        HandOver(WaitStateCollection target, SocketChannel channel) {
            this.target = target;
            this.channel = channel;
        }

        @Override
        public void run() {
            try {
                serve(target, channel);
            } finally {
                handingOver.decrementAndGet();
                pauseOrResume();
            }
        }

        @Override
        public void discard() {
            handingOver.decrementAndGet();
            reject(channel, "collection " + target.name() + " closed before serving it");
            pauseOrResume();
        }
    }

    private void pauseOrResume() {
        boolean resume = false;
        synchronized (this) {
            if (paused && active + handingOver.get() < options.maxConnections()) {
                paused = false;
                resume = true;
            }
        }
        if (resume) {
            interestChanged();
        }
    }

    private void pauseIfFull() {
        int max = options.maxConnections();
        if (max <= 0) {
            return;
        }
        synchronized (this) {
            if (paused || active + handingOver.get() < max) {
                return;
            }
            paused = true;
        }
        updateInterest();
    }

    private WaitStateCollection nextCollection() {
        List<WaitStateCollection> workers = options.spreadOver();
        if (workers.isEmpty()) {
            return owner;
        }
        WaitStateCollection c = workers.get(nextWorker);
        nextWorker = (nextWorker + 1) % workers.size();
        return c;
    }

    /** Makes the state on {@code target}'s loop thread and starts the connection there. */
    private void serve(WaitStateCollection target, SocketChannel ch) {
        if (target.isClosed()) {
            reject(ch, "collection " + target.name() + " is closed");
            return;
        }
        AsyncIoState state;
        try {
            state = AsyncIoState.register(target, ch, this, options.stateOptions(), false);
        } catch (RuntimeException e) {
            reject(ch, e.getMessage());
            return;
        }
        if (options.tls() == null) {
            callConnectionFunction(state);
            return;
        }
        state.startTlsFromLoop(options.tls(), TlsSide.SERVER, null, 0, (s, failure) -> {
            if (failure == null) {
                callConnectionFunction(s);
                return;
            }
            Loggers.ACCEPT.log(Level.DEBUG, () -> this + ": TLS handshake failed: " + failure);
            ConnectCallback onError = options.tlsErrorCallback();
            try {
                if (onError != null) {
                    onError.call(s, failure);
                }
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable t) {
                s.collection().callbackFailed(s, this, t);
            } finally {
                s.closeNow(false);
            }
        });
    }

    private void callConnectionFunction(AsyncIoState state) {
        try {
            connectionFunction.connected(this, state);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable t) {
            state.collection().callbackFailed(state, this, t);
        }
    }

    private synchronized void reject(SocketChannel ch, String why) {
        rejected++;
        Loggers.ACCEPT.log(Level.DEBUG, () -> this + ": closing a new connection: " + why);
        AsyncIoState.closeQuietly(ch);
    }

    /** A state of this handle was linked on its loop thread (maybe another collection's, with spreadOver). */
    void link(AsyncIoState state) {
        boolean pause = false;
        synchronized (this) {
            state.nextInHandle = firstState;
            if (firstState != null) {
                firstState.prevInHandle = state;
            }
            firstState = state;
            active++;
            int max = options.maxConnections();
            if (max > 0 && active >= max && !paused) {
                paused = true;
                pause = true;
            }
        }
        if (pause) {
            interestChanged();
        }
    }

    /** A state of this handle closed (loop thread): unlink it and resume accepting below the limit. */
    void stateClosed(AsyncIoState state) {
        boolean resume = false;
        synchronized (this) {
            if (state.prevInHandle != null) {
                state.prevInHandle.nextInHandle = state.nextInHandle;
            } else if (firstState == state) {
                firstState = state.nextInHandle;
            } else {
                return;
            }
            if (state.nextInHandle != null) {
                state.nextInHandle.prevInHandle = state.prevInHandle;
            }
            state.prevInHandle = null;
            state.nextInHandle = null;
            active--;
            if (paused && active + handingOver.get() < options.maxConnections()) {
                paused = false;
                resume = true;
            }
        }
        if (resume) {
            interestChanged();
        }
    }

    /** The accept interest lives on the handle's own loop; other loops ask it to update. */
    private void interestChanged() {
        if (owner.inLoopThread() || !owner.isLoopRunning()) {
            updateInterest();
        } else {
            // If the handle's loop closed meanwhile, there is no accepting left to resume.
            owner.submitIfOpen(this::updateInterest);
        }
    }

    private void pauseAfterFailure() {
        acceptFailurePause = true;
        updateInterest();
        owner.deadlines().schedule(new DeadlineQueue.Entry() {
            @Override
            protected void expired(long now) {
                acceptFailurePause = false;
                updateInterest();
            }
        }, owner.now() + ACCEPT_FAILURE_PAUSE_NANOS);
    }

    private void updateInterest() {
        SelectionKey k = key;
        if (k == null || !k.isValid()) {
            return;
        }
        try {
            k.interestOps(paused || acceptFailurePause ? 0 : SelectionKey.OP_ACCEPT);
        } catch (RuntimeException cancelled) {
            // Closed concurrently: nothing more to accept.
        }
    }

    @Override
    public void rekey(SelectionKey key) {
        this.key = key;
    }

    @Override
    public String toString() {
        return "AcceptingHandle[" + name + " " + WaitStateCollection.describe(localAddress)
                + (isOpen() ? "" : ", closed") + "]";
    }
}
