package dev.asyncio.core.internal.accept;

import dev.asyncio.core.AcceptOptions;
import dev.asyncio.core.AcceptingHandle;
import dev.asyncio.core.CollectionCallback;
import dev.asyncio.core.ConnectCallback;
import dev.asyncio.core.ConnectionFunction;
import dev.asyncio.core.MaxConnectionsPolicy;
import dev.asyncio.core.ProxyProtocol;
import dev.asyncio.core.RawConnectionFunction;
import dev.asyncio.core.internal.Loggers;
import dev.asyncio.core.internal.engine.CallbackInvoker;
import dev.asyncio.core.internal.engine.HandshakeGate;
import dev.asyncio.core.internal.engine.ProxyCounters;
import dev.asyncio.core.internal.engine.ProxyHeaderRead;
import dev.asyncio.core.internal.engine.StateEngine;
import dev.asyncio.core.internal.engine.StateGroup;
import dev.asyncio.core.internal.engine.StreamKind;
import dev.asyncio.core.internal.engine.TrafficCounters;
import dev.asyncio.core.internal.loop.Discardable;
import dev.asyncio.core.internal.loop.IntrusiveList;
import dev.asyncio.core.internal.loop.Selectable;
import dev.asyncio.core.internal.net.Channels;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The engine behind an {@link AcceptingHandle}: the listening socket on its collection's selector, the accept
 * dispatch (socket options, {@code spreadOver} round robin, TLS on accept, the connection function),
 * the {@code maxConnections} policy (pause, or refuse each newcomer), and the list of the handle's live states. The
 * state list and counts are guarded by this object's lock: with {@code spreadOver} the states live on several loops.
 * Failing accepts (out of file descriptors) are {@link AcceptFailures}' business.
 */
public final class AcceptEngine implements Selectable, StateGroup {

    private static final int ACCEPTS_PER_EVENT = 64;

    private final AcceptingHandle handle;
    private final Worker home;
    private final List<Worker> workers;
    private final CallbackInvoker invoker;
    private final AcceptOptions options;
    private final ConnectionFunction connectionFunction;
    private final RawConnectionFunction rawConnectionFunction;
    private final Runnable beforeClose;
    private final Runnable onClosed;
    private final TrafficCounters counters;
    /** Bounds the TLS handshakes running at once, or {@code null} without TLS. */
    private final HandshakeGate handshakes;
    private final IntrusiveList<StateEngine> states = new IntrusiveList<>();
    private final AtomicInteger handingOver = new AtomicInteger();
    private volatile ServerSocketChannel socket;
    /** Set by {@link #stopAccepting()} from any thread: no connection is accepted any more. */
    private volatile boolean stopped;
    private SelectionKey key;
    private volatile long accepted;
    private volatile long rejected;
    private volatile int active;
    private volatile boolean paused;
    /** Written by the home loop only. */
    private volatile long refusedMaxConnections;
    private final boolean refuseAtLimit;
    private final AcceptFailures failures;
    private final DescriptorReserve.Refuser refuseNoDescriptors = this::reset;
    private int nextWorker;
    /** The PROXY protocol outcomes, or {@code null} when the handle does not read the protocol. */
    private final ProxyCounters proxy;
    /** Hands a state on once its PROXY protocol header is read: made once, not per connection. */
    private final Consumer<StateEngine> afterProxyHeader = this::dispatch;

    /**
     * Takes over a bound socket: runs the init function, registers it for accepting.
     *
     * @param handle the public handle
     * @param socket the bound listening socket
     * @param home the handle's own collection
     * @param workers the {@code spreadOver} collections (empty: serve on {@code home})
     * @param invoker runs user code under the home collection's policy
     * @param options the handle's options
     * @param fn the connection function, or {@code null} for raw accepting
     * @param rawFn the raw connection function, or {@code null}
     * @param beforeClose run once as the handle closes, before the listening socket is closed (a Unix handle
     *        removes its socket file there, while the socket still holds the file's inode)
     * @param onClosed told once when the handle closes, after the listening socket is closed
     * @throws IOException if the socket cannot be registered
     */
    public AcceptEngine(AcceptingHandle handle, ServerSocketChannel socket, Worker home, List<Worker> workers,
                        CallbackInvoker invoker, AcceptOptions options, ConnectionFunction fn,
                        RawConnectionFunction rawFn, Runnable beforeClose, Runnable onClosed) throws IOException {
        this.handle = handle;
        this.socket = socket;
        this.home = home;
        this.workers = workers;
        this.invoker = invoker;
        this.options = options;
        this.connectionFunction = fn;
        this.rawConnectionFunction = rawFn;
        this.beforeClose = beforeClose;
        this.onClosed = onClosed;
        this.refuseAtLimit = options.maxConnectionsPolicy() == MaxConnectionsPolicy.REFUSE
                && options.maxConnections() > 0 && rawFn == null;
        this.failures = new AcceptFailures(handle, home.loop(), this::updateInterest, DescriptorReserve.PROCESS);
        this.handshakes = options.tls() != null ? new HandshakeGate(options.tls()) : null;
        this.proxy = options.proxyProtocol() != ProxyProtocol.OFF ? new ProxyCounters(options.proxyProtocol()) : null;
        // Only a handle that spreads its connections over several loops is counted from several threads.
        this.counters = new TrafficCounters(workers.size() > 1
                || (workers.size() == 1 && workers.get(0).loop() != home.loop()));
        if (options.initFunction() != null) {
            options.initFunction().bound(socket);
        }
        socket.configureBlocking(false);
        key = socket.register(home.loop().selector(), SelectionKey.OP_ACCEPT, this);
    }

    // =================================================================== listing and counting

    /** @return the listening socket, {@code null} once closed */
    public ServerSocketChannel socket() {
        return socket;
    }

    @Override
    public AcceptingHandle handle() {
        return handle;
    }

    @Override
    public TrafficCounters counters() {
        return counters;
    }

    /** @return connections accepted so far */
    public long accepted() {
        return accepted;
    }

    /** @return connections closed at once (a failing socket option, a closed worker) */
    public long rejected() {
        return rejected;
    }

    /** @return live connections */
    public int active() {
        return active;
    }

    /** @return connections reset at once because {@code maxConnections} were open (policy refuse) */
    public long refusedMaxConnections() {
        return refusedMaxConnections;
    }

    /** @return connections reset at once because the process was out of file descriptors */
    public long refusedNoDescriptors() {
        return failures.refusedNoDescriptors();
    }

    /** @return whether accepting is paused at {@code maxConnections} */
    public boolean paused() {
        return paused;
    }

    /** @return bytes the handle's live states hold, charged to their memory budgets */
    public synchronized long memoryUsed() {
        long n = 0;
        for (StateEngine s : states.toList(Integer.MAX_VALUE)) {
            n += s.memory().held();
        }
        return n;
    }

    /** @return the live states, newest first */
    public synchronized List<StateEngine> states() {
        return states.toList(Integer.MAX_VALUE);
    }

    // =================================================================== closing

    /**
     * Closes the listening socket on the handle's loop, then calls {@code callback} once the port is free.
     *
     * @param callback told once the port is free, or {@code null}
     */
    public void close(CollectionCallback callback) {
        Runnable closeTask = () -> {
            closeSilently();
            if (callback != null) {
                // The descriptor is released when the selector drops the cancelled key, on its next select.
                home.loop().afterDeregistration(() -> invoker.call(callback, this));
            }
        };
        if (home.loop().isClosed() || !home.loop().isLoopRunning()) {
            closeTask.run();
            if (callback != null && home.loop().isClosed()) {
                callback.call(invoker.collection());
            }
        } else {
            home.loop().submit(closeTask);
        }
    }

    /**
     * Stops accepting at once, from any thread, ahead of an asynchronous {@link #close}: connections still in the
     * listen backlog (or arriving until the listening socket is closed) are not handed to the connection function;
     * they are reset when the socket closes, as on any closed listening socket. A Unix handle calls this before
     * removing its socket file, so a client that connects after {@code close()} returned never reaches it.
     */
    public void stopAccepting() {
        stopped = true;
    }

    @Override
    public void closeSilently() {
        ServerSocketChannel s = socket;
        if (s == null) {
            return;
        }
        stopped = true;
        socket = null;
        if (key != null) {
            key.cancel();
        }
        try {
            beforeClose.run();
        } finally {
            Channels.closeQuietly(s);
        }
        onClosed.run();
        Loggers.ACCEPT.log(Level.DEBUG, () -> handle + " closed");
    }

    // =================================================================== accepting (loop thread)

    @Override
    public void ready(int readyOps) {
        ServerSocketChannel server = socket;
        if (server == null || (readyOps & SelectionKey.OP_ACCEPT) == 0) {
            return;
        }
        if (stopped) {
            // Closing: the close task follows on this loop; until then, do not spin on a readable socket.
            updateInterest();
            return;
        }
        for (int i = 0; i < ACCEPTS_PER_EVENT && !paused && !stopped && socket != null; i++) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                failures.failed(server, e, ACCEPTS_PER_EVENT, refuseNoDescriptors);
                return;
            }
            if (ch == null) {
                return;
            }
            failures.succeeded();
            if (refuseAtLimit && atLimit()) {
                refusedMaxConnections++;
                reset(ch);
                continue;
            }
            try {
                accept(ch);
            } catch (Throwable t) {
                // Out of memory while setting a connection up: drop that connection, not the listening socket.
                reject(ch, "setting it up failed: " + t);
            }
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
        if (rawConnectionFunction != null) {
            invoker.call(rawConnectionFunction, this, ch);
            return;
        }
        Worker target = nextWorker();
        if (target.loop() != home.loop()) {
            handingOver.incrementAndGet();
            try {
                target.loop().submit(new HandOver(target, ch));
            } catch (RuntimeException closed) {
                handingOver.decrementAndGet();
                reject(ch, "collection " + target.name() + " is closed");
            }
            pauseIfFull();
            return;
        }
        serve(home, ch);
    }

    /** A connection on its way to a worker's loop: released if that loop closes before serving it. */
    private final class HandOver implements Discardable {
        private final Worker target;
        private final SocketChannel channel;

        HandOver(Worker target, SocketChannel channel) {
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

    private Worker nextWorker() {
        if (workers.isEmpty()) {
            return home;
        }
        Worker w = workers.get(nextWorker);
        nextWorker = (nextWorker + 1) % workers.size();
        return w;
    }

    private void serve(Worker target, SocketChannel ch) {
        if (target.loop().isClosed()) {
            reject(ch, "collection " + target.name() + " is closed");
            return;
        }
        StateEngine state;
        try {
            state = target.factory().create(new StreamKind(ch), this, options.stateOptions(), false);
        } catch (RuntimeException e) {
            reject(ch, e.getMessage());
            return;
        }
        if (proxy != null) {
            // The header comes first, before TLS: the proxy sends it in clear ahead of the client's bytes.
            ProxyHeaderRead.start(state, options.proxyProtocol(), options.proxyProtocolTimeout(), proxy,
                    afterProxyHeader);
            return;
        }
        dispatch(state);
    }

    /** Hands a new state to TLS, if any, then to the connection function; its loop thread. */
    private void dispatch(StateEngine state) {
        if (options.tls() == null) {
            state.context().invoker().call(connectionFunction, this, state.owner());
            return;
        }
        handshakes.admit(state, options.tls(), (s, failure) -> {
                    if (failure == null) {
                        state.context().invoker().call(connectionFunction, this, s);
                        return;
                    }
                    Loggers.ACCEPT.log(Level.DEBUG, () -> handle + ": TLS handshake failed: " + failure);
                    ConnectCallback onError = options.tlsErrorCallback();
                    try {
                        if (onError != null) {
                            state.call(onError, failure);
                        }
                    } finally {
                        state.closeNow(false);
                    }
                }, () -> refuseHandshake(state));
    }

    /** The handle's handshake queue is full ({@code TlsOptions.maxQueuedHandshakes}): closed at once, counted. */
    private void refuseHandshake(StateEngine state) {
        synchronized (this) {
            rejected++;
        }
        Loggers.ACCEPT.log(Level.DEBUG, () -> handle + ": closing a new connection: " + handshakes.waiting()
                + " connections wait for a TLS handshake already");
        state.closeNow(false);
    }

    private synchronized boolean atLimit() {
        return active + handingOver.get() >= options.maxConnections();
    }

    /**
     * Closes a refused connection with a reset ({@code SO_LINGER 0}): the client learns at once, as from a port
     * nobody listens on, and no {@code TIME_WAIT} socket is left here per refused client.
     */
    private void reset(SocketChannel ch) {
        try {
            ch.setOption(StandardSocketOptions.SO_LINGER, 0);
        } catch (IOException | RuntimeException e) {
            // A plain close (FIN) still tells the client.
        }
        Channels.closeQuietly(ch);
    }

    private synchronized void reject(SocketChannel ch, String why) {
        rejected++;
        Loggers.ACCEPT.log(Level.DEBUG, () -> handle + ": closing a new connection: " + why);
        Channels.closeQuietly(ch);
    }

    // =================================================================== the handle's states and the pause

    @Override
    public void link(StateEngine state) {
        boolean pause = false;
        synchronized (this) {
            states.add(state.groupNode);
            active++;
            int max = options.maxConnections();
            if (max > 0 && active >= max && !paused && !refuseAtLimit) {
                paused = true;
                pause = true;
            }
        }
        if (pause) {
            interestChanged();
        }
    }

    @Override
    public void unlink(StateEngine state) {
        boolean resume = false;
        synchronized (this) {
            if (!states.remove(state.groupNode)) {
                return;
            }
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
        if (max <= 0 || refuseAtLimit) {
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

    private void interestChanged() {
        if (home.loop().inLoopThread() || !home.loop().isLoopRunning()) {
            updateInterest();
        } else {
            // If the handle's loop closed meanwhile, there is no accepting left to resume.
            home.loop().submitIfOpen(this::updateInterest);
        }
    }

    /** @return accepts that failed (out of file descriptors, say) since the handle opened */
    public long acceptFailures() {
        return failures.failures();
    }

    /** @return whether accepting is backing off after failures now */
    public boolean backingOff() {
        return failures.backingOff();
    }

    private void updateInterest() {
        SelectionKey k = key;
        if (k == null || !k.isValid()) {
            return;
        }
        try {
            k.interestOps(paused || failures.pausing() || stopped ? 0 : SelectionKey.OP_ACCEPT);
        } catch (RuntimeException cancelled) {
            // Closed concurrently: nothing more to accept.
        }
    }

    @Override
    public void rekey(SelectionKey key) {
        this.key = key;
    }

    /** @return the PROXY protocol outcomes, or {@code null} when the handle does not read the protocol */
    public ProxyCounters proxyCounters() {
        return proxy;
    }

    @Override
    public String toString() {
        return handle.toString();
    }

}
