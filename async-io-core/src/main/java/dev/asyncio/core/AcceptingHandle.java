package dev.asyncio.core;

import org.jspecify.annotations.Nullable;

import dev.asyncio.core.internal.Loggers;
import dev.asyncio.core.internal.accept.AcceptEngine;
import dev.asyncio.core.internal.accept.Ipv6OnlyBind;
import dev.asyncio.core.internal.accept.PortBinder;
import dev.asyncio.core.internal.accept.Worker;
import dev.asyncio.core.internal.engine.StateEngine;
import dev.asyncio.core.internal.engine.TrafficCounters;
import dev.asyncio.core.internal.net.Addresses;
import dev.asyncio.core.internal.net.Channels;
import dev.asyncio.core.internal.net.UnixSocketFile;
import dev.asyncio.core.internal.net.UnixSockets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * listen backlog — and resumes when a connection of the handle closes; with {@link MaxConnectionsPolicy#REFUSE} each
 * peer over the limit is reset at once instead. A failing {@code accept} (out of file descriptors) resets the waiting
 * peers with a spare descriptor the engine keeps for this, or pauses accepting for a moment, instead of spinning.
 *
 * <p>Every method may be called from any thread.
 */
public final class AcceptingHandle {

    private static final AtomicLong NAMES = new AtomicLong();

    private final WaitStateCollection owner;
    private final String name;
    private final AcceptOptions options;
    private final ConnectionFunction connectionFunction;
    private final InetSocketAddress localAddress;
    /** The socket file of a Unix domain socket handle, removed as it closes; {@code null} for TCP. */
    private final java.nio.file.Path unixPath;
    /** {@link #unixPath}'s file as bound, so that closing removes that file only; {@code null} for TCP. */
    private final UnixSocketFile unixFile;
    private final AcceptEngine engine;

    /** Binds (retrying a busy port unless on the loop thread) and starts accepting on {@code collection}'s loop. */
    AcceptingHandle(WaitStateCollection collection, int port, ConnectionFunction fn, RawConnectionFunction rawFn,
                    AcceptOptions options) {
        this(collection, bind(collection, port, options), fn, rawFn, options);
    }

    /**
     * Starts accepting on a listening socket that is bound already (one inherited from the parent process, say);
     * the handle owns it from now on.
     */
    AcceptingHandle(WaitStateCollection collection, ServerSocketChannel socket, ConnectionFunction fn,
                    RawConnectionFunction rawFn, AcceptOptions options) {
        this.owner = collection;
        this.options = options;
        this.connectionFunction = fn;
        this.name = options.handleName() != null ? options.handleName() : "handle-" + NAMES.incrementAndGet();
        try {
            java.net.SocketAddress local = socket.getLocalAddress();
            if (local == null) {
                throw new IllegalArgumentException("acceptTcpConnections needs a bound listening socket, got "
                        + socket);
            }
            this.localAddress = local instanceof InetSocketAddress inet ? inet : null;
            this.unixPath = UnixSockets.pathOf(local);
            // Captured as the handle takes the socket over, right after the bind: the file is ours now.
            this.unixFile = unixPath != null ? UnixSocketFile.capture(unixPath) : null;
            List<Worker> workers = new ArrayList<>(options.spreadOver().size());
            for (WaitStateCollection c : options.spreadOver()) {
                workers.add(c.worker());
            }
            this.engine = new AcceptEngine(this, socket, collection.worker(), workers, collection.context().invoker(),
                    options, fn, rawFn, this::releaseUnixPath, () -> collection.handleClosed(this));
        } catch (IOException e) {
            Channels.closeQuietly(socket);
            throw new UncheckedIOException("Cannot start accepting on " + socket + ": " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            Channels.closeQuietly(socket);
            throw e;
        }
        collection.handleOpened(this);
        collection.loop().submit(() -> { });
        Loggers.ACCEPT.log(Level.DEBUG, () -> this + " listening on " + describeLocal());
    }

    private static ServerSocketChannel bind(WaitStateCollection collection, int port, AcceptOptions options) {
        InetSocketAddress address = Ipv6OnlyBind.bindAddress(options.address(), options.ipFamily(), port);
        // LispWorks: the handle is bound when the call returns. On the loop thread retrying would block the loop, so
        // a busy port is tried once there (acceptTcpConnectionsLater retries off the loop instead).
        boolean onLoop = collection.inLoopThread();
        try {
            return PortBinder.bindWithRetry(address, options, onLoop ? Duration.ZERO : options.initTimeout());
        } catch (BindFailedException e) {
            throw onLoop && !options.initTimeout().isZero() ? e.triedOnceOnLoop() : e;
        }
    }

    /** @return the handle's collection, or {@code null} once closed (LispWorks {@code accepting-handle-collection}) */
    public @Nullable WaitStateCollection collection() {
        return engine.socket() != null ? owner : null;
    }

    /**
     * @return the listening socket, or {@code null} once closed (LispWorks {@code accepting-handle-socket}); query
     *         it only, never accept on it
     */
    public @Nullable ServerSocketChannel socket() {
        return engine.socket();
    }

    /**
     * @return the port the handle listens (or listened) on (LispWorks {@code accepting-handle-local-port}); -1 for a
     *         Unix domain socket handle, which has {@link #unixSocketPath()} instead
     */
    public int localPort() {
        return localAddress != null ? localAddress.getPort() : -1;
    }

    /**
     * @return the socket file a Unix domain socket handle listens on ({@link WaitStateCollection#acceptUnixConnections}),
     *         or {@code null} for a TCP handle; the file is removed when the handle closes (if it is still the
     *         handle's own)
     */
    public java.nio.file.@Nullable Path unixSocketPath() {
        return unixPath;
    }

    private String describeLocal() {
        return unixPath != null ? "unix:" + unixPath : Addresses.describe(localAddress);
    }

    /** @return the address the handle listens (or listened) on; {@code null} for a Unix domain socket handle */
    public @Nullable InetSocketAddress localAddress() {
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
    public @Nullable ConnectionFunction connectionFunction() {
        return connectionFunction;
    }

    /** @return the options the handle was made with */
    public AcceptOptions options() {
        return options;
    }

    /** @return whether the handle still listens */
    public boolean isOpen() {
        return engine.socket() != null;
    }

    /** @return how many of the handle's connections are open now */
    public int connectionCount() {
        return engine.active();
    }

    /** @return a snapshot of the handle's counters; cheap, callable from any thread */
    public HandleStatistics statistics() {
        TrafficCounters c = engine.counters();
        return new HandleStatistics(name, isOpen(), localPort(), engine.accepted(), engine.active(), engine.rejected(),
                engine.paused(), c.bytesRead(), c.bytesWritten(), c.timeouts(), c.errors(), c.callbackFailures(),
                engine.acceptFailures(), engine.backingOff(), engine.memoryUsed(), options.maxConnections(),
                engine.refusedMaxConnections(), engine.refusedNoDescriptors());
    }

    /**
     * @return what the handle's PROXY protocol reading did ({@link AcceptOptions#proxyProtocol()}): headers read,
     *         direct connections, rejections and timeouts; all zero with {@link ProxyProtocol#OFF}. Any thread
     */
    public ProxyProtocolStatistics proxyStatistics() {
        dev.asyncio.core.internal.engine.ProxyCounters c = engine.proxyCounters();
        return c != null ? c.snapshot() : new ProxyProtocolStatistics(ProxyProtocol.OFF, 0, 0, 0, 0);
    }

    /**
     * @param limit how many to list at most
     * @return snapshots of up to {@code limit} open connections of the handle 
     */
    public List<StateSnapshot> connections(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative, got " + limit);
        }
        List<StateEngine> states = engine.states();
        List<StateSnapshot> list = new ArrayList<>(Math.min(limit, states.size()));
        for (StateEngine s : states) {
            if (list.size() == limit) {
                break;
            }
            list.add(s.snapshot(s.owner().name()));
        }
        return list;
    }

    /** @return the open states of the handle's connections  */
    public List<AsyncIoState> states() {
        List<StateEngine> engines = engine.states();
        List<AsyncIoState> list = new ArrayList<>(engines.size());
        for (StateEngine s : engines) {
            list.add(s.owner());
        }
        return list;
    }

    /**
     * Frees a Unix handle's path at once, on the calling thread: accepting stops first (so nothing that connects
     * from now on is handed to the connection function), then the socket file is removed if it is still the one
     * the handle bound. A no-op for TCP, and after the first call.
     */
    private void releaseUnixPath() {
        if (unixFile != null) {
            engine.stopAccepting();
            unixFile.release();
        }
    }

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
     * <p>A Unix domain socket handle frees its path before this method returns, on any thread: it stops accepting
     * and removes its socket file (only if the file at the path is still the one it bound: another server's file
     * that replaced it is left alone), so the path can be bound again at once; the socket itself closes on the
     * loop thread as above.
     *
     * @param callback {@code (collection)} on the loop thread; {@code null} = none
     */
    public void close(@Nullable CollectionCallback callback) {
        releaseUnixPath();
        engine.close(callback);
    }

    /** Closes the listening socket without callbacks (the collection is closing). */
    public void closeSilently() {
        releaseUnixPath();
        engine.closeSilently();
    }

    @Override
    public String toString() {
        return "AcceptingHandle[" + name + " " + describeLocal() + (isOpen() ? "" : ", closed") + "]";
    }
}
