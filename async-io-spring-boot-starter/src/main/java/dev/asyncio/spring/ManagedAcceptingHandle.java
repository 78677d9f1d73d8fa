package dev.asyncio.spring;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import dev.asyncio.core.AcceptingHandle;
import dev.asyncio.core.AsyncIoState;
import dev.asyncio.core.HandleStatistics;
import dev.asyncio.core.StateSnapshot;
import dev.asyncio.core.WaitStateCollection;
import org.jspecify.annotations.Nullable;

/**
 * An accepting handle that the application context manages: it binds when the context starts, can be closed and
 * re-opened on its configured address (the actuator endpoint does that), and keeps its counters across re-opens so
 * that meters never run backwards. Configured handles ({@code async-io.handles.<name>}) are beans of this type,
 * named like the handle.
 *
 * <p>The {@link AcceptingHandle} underneath changes on every re-open; {@link #handle()} returns the current one.
 * A handle that was created in code and {@linkplain AsyncIoRegistry#adopt(AcceptingHandle) adopted} cannot be
 * re-opened if it hands over raw sockets, because its connection function is not known.
 *
 * <p>This class keeps the handle's status; binding is {@link PortBinder}'s job and the incarnations with their
 * counters are {@link HandleIncarnations}'. Every method is safe to call from any thread.
 * {@link #close(HandleCloseMode, Duration)} waits (at most five seconds) until the port is free unless it runs on the
 * collection's own loop thread.
 */
public final class ManagedAcceptingHandle {

    /** Where a managed handle is in its life. */
    public enum Status {
        /** Not bound yet: the context has not started. */
        NEW,
        /** Bound and accepting. */
        OPEN,
        /** Closed by an operator (the endpoint or code) or by the application; can be re-opened. */
        CLOSED,
        /** Binding failed, or the listening socket died. */
        FAILED,
        /** Closed for good because the context stopped. */
        STOPPED
    }

    private final String name;

    /** Changes only when the registry restarts a dead loop ({@link #relocate}). */
    private volatile WaitStateCollection collection;

    /** The collection first, then the others the handle spreads its connections over. */
    private volatile List<WaitStateCollection> collections;

    private volatile @Nullable HandleDefinition definition;

    private final PortBinder binder;

    private final Consumer<ManagedAcceptingHandle> bound;

    /** Serialises open and close, so that two operators cannot bind twice. */
    private final Object lock = new Object();

    private final HandleIncarnations incarnations;

    private volatile Status status;

    private volatile @Nullable Throwable failure;

    private volatile int lastPort = -1;

    ManagedAcceptingHandle(HandleDefinition definition, List<WaitStateCollection> collections, PortBinder binder,
            Consumer<ManagedAcceptingHandle> bound) {
        this.name = definition.name();
        this.collections = List.copyOf(collections);
        this.collection = this.collections.get(0);
        this.definition = spread(definition, this.collections);
        this.binder = binder;
        this.bound = bound;
        this.incarnations = new HandleIncarnations(null);
        this.status = Status.NEW;
    }

    ManagedAcceptingHandle(AcceptingHandle adopted, List<WaitStateCollection> collections, PortBinder binder,
            Consumer<ManagedAcceptingHandle> bound) {
        this.name = adopted.name();
        this.collections = List.copyOf(collections);
        this.collection = this.collections.get(0);
        WaitStateCollection collection = this.collection;
        // The core handle knows its connection function and options: enough to bind it again on its port. Only a
        // handle that hands over raw sockets cannot be re-opened.
        this.definition = (adopted.connectionFunction() == null) ? null
                : new HandleDefinition(adopted.name(), collection.name(), Integer.toString(adopted.localPort()),
                        adopted.connectionFunction(), adopted.options(), null);
        this.binder = binder;
        this.bound = bound;
        this.incarnations = new HandleIncarnations(adopted);
        this.lastPort = adopted.localPort();
        this.status = adopted.isOpen() ? Status.OPEN : Status.CLOSED;
    }

    /** @return the definition, its connections spread over {@code collections} when there are several */
    private static HandleDefinition spread(HandleDefinition definition, List<WaitStateCollection> collections) {
        if (collections.size() < 2) {
            return definition;
        }
        return definition.with(definition.connectionFunction(),
                definition.options().toBuilder().spreadOver(collections).build());
    }

    /**
     * Moves the handle from a collection whose loop ended to its replacement: the group is updated and, if the handle
     * was serving (not closed by an operator, not stopped, not bound yet), it is closed and bound again on its port so
     * that it accepts on live loops only. Connections on the other loops of the group are kept.
     *
     * @param dead the collection whose loop ended
     * @param fresh its replacement
     * @return whether the handle was bound again
     * @throws RuntimeException if binding again fails (the handle is then {@link Status#FAILED})
     */
    boolean relocate(WaitStateCollection dead, WaitStateCollection fresh) {
        boolean serving;
        synchronized (this.lock) {
            List<WaitStateCollection> group = new java.util.ArrayList<>(this.collections);
            int i = group.indexOf(dead);
            if (i < 0) {
                return false;
            }
            group.set(i, fresh);
            this.collections = List.copyOf(group);
            this.collection = group.get(0);
            HandleDefinition def = this.definition;
            if (def != null) {
                this.definition = spread(def, this.collections);
            }
            serving = this.status == Status.OPEN;
        }
        if (!serving) {
            return false;
        }
        close(HandleCloseMode.KEEP, Duration.ZERO, Status.FAILED);
        open(true);
        return true;
    }

    /** @return the handle's name (bean name, metrics tag, endpoint path segment) */
    public String name() {
        return this.name;
    }

    /** @return the collection the handle accepts in (the first of {@link #collections()}) */
    public WaitStateCollection collection() {
        return this.collection;
    }

    /**
     * @return every collection that serves the handle's connections: its own collection first, then the others it
     * spreads them over (one element when it does not spread)
     */
    public List<WaitStateCollection> collections() {
        return this.collections;
    }

    /** @return how the handle was defined ({@code null} for an adopted handle that hands over raw sockets) */
    public @Nullable HandleDefinition definition() {
        return this.definition;
    }

    /** @return whether {@link #reopen()} can bind the handle again (false for adopted raw-socket handles) */
    public boolean isReopenable() {
        return this.definition != null;
    }

    /** @return the current core handle, {@code null} before the context starts */
    public @Nullable AcceptingHandle handle() {
        return this.incarnations.current();
    }

    /** @return whether the handle is bound and accepting */
    public boolean isOpen() {
        AcceptingHandle handle = this.incarnations.current();
        return handle != null && handle.isOpen();
    }

    /**
     * @return the handle's status; a handle recorded as open whose socket is no longer open reports
     * {@link Status#CLOSED} (closed in code) or {@link Status#FAILED} (its accepting loop died, or its listening
     * socket was closed behind the handle's back, see {@link #listenerDied()})
     */
    public Status status() {
        Status s = this.status;
        if (s == Status.OPEN && !isOpen()) {
            return this.collection.isAlive() ? Status.CLOSED : Status.FAILED;
        }
        if (s == Status.OPEN && listenerDied()) {
            return Status.FAILED;
        }
        return s;
    }

    /**
     * @return whether the handle should be serving but its listening socket is closed although nobody closed the
     * handle: the socket was closed behind its back (by code holding {@link AcceptingHandle#socket()}, or by the JDK
     * when a thread was interrupted in an operation on it). Such a handle accepts nothing, ever:
     * {@link AsyncIoRegistry#reopenDeadListeners()} binds it again
     */
    public boolean listenerDied() {
        AcceptingHandle handle = this.incarnations.current();
        if (this.status != Status.OPEN || handle == null || !handle.isOpen()) {
            return false;
        }
        java.nio.channels.ServerSocketChannel socket = handle.socket();
        return socket == null || !socket.isOpen();
    }

    /**
     * Binds the handle again if {@link #listenerDied()}, as a dead loop's handles are
     * ({@link #relocate}): the dead incarnation is closed (its connections are kept) and a new one bound on the port.
     *
     * @return whether it was bound again
     * @throws RuntimeException if binding again fails (the handle is then {@link Status#FAILED})
     */
    boolean reopenIfListenerDied() {
        synchronized (this.lock) {
            if (!listenerDied() || this.definition == null) {
                return false;
            }
        }
        close(HandleCloseMode.KEEP, Duration.ZERO, Status.FAILED);
        open(true);
        return true;
    }

    /** @return why binding failed, or {@code null} */
    public @Nullable Throwable failure() {
        return this.failure;
    }

    /** @return the port the handle listens on, or listened on last; -1 before it was ever bound */
    public int localPort() {
        AcceptingHandle handle = this.incarnations.current();
        return (handle != null && handle.isOpen()) ? handle.localPort() : this.lastPort;
    }

    /** @return the Unix domain socket path the handle listens on, or {@code null} for a TCP handle */
    public java.nio.file.@Nullable Path unixSocketPath() {
        return (this.definition != null) ? this.definition.unixSocketPath() : null;
    }

    /** @return the bound address while open, else {@code null} */
    public @Nullable InetSocketAddress localAddress() {
        AcceptingHandle handle = this.incarnations.current();
        return (handle != null && handle.isOpen()) ? handle.localAddress() : null;
    }

    /** @return the address the handle is configured to bind ({@code null} = all interfaces) */
    public @Nullable String configuredAddress() {
        if (this.definition != null) {
            return this.definition.options().address();
        }
        AcceptingHandle handle = this.incarnations.current();
        return (handle != null) ? handle.options().address() : null;
    }

    /**
     * Binds the handle (at context start) or binds it again after a close, on its configured address. A handle
     * configured with an ephemeral port re-binds the port it had before, so that clients find it again. Does
     * nothing when the handle is open. Re-opening does not retry a busy port: it answers at once.
     *
     * @return the bound core handle
     * @throws IllegalStateException if the handle is adopted (its connection function is unknown) or stopped
     * @throws dev.asyncio.core.BindFailedException if the port cannot be bound
     * @throws IllegalArgumentException if the configured service name is unknown
     */
    public AcceptingHandle reopen() {
        return open(true);
    }

    AcceptingHandle open(boolean again) {
        AcceptingHandle opened;
        synchronized (this.lock) {
            AcceptingHandle handle = this.incarnations.current();
            if (handle != null && handle.isOpen()) {
                return handle;
            }
            if (this.status == Status.STOPPED) {
                throw new IllegalStateException("Handle '" + this.name + "' is stopped: the application context "
                        + "has shut it down for good");
            }
            HandleDefinition def = this.definition;
            if (def == null) {
                throw new IllegalStateException("Handle '" + this.name + "' was created in code and hands over raw "
                        + "sockets; it cannot be re-opened because it has no connection function");
            }
            try {
                opened = this.binder.bind(def, this.collection, again, this.lastPort);
            }
            catch (RuntimeException ex) {
                this.failure = ex;
                this.status = Status.FAILED;
                throw ex;
            }
            this.incarnations.replace(opened);
            this.lastPort = opened.localPort();
            this.status = Status.OPEN;
            this.failure = null;
        }
        this.bound.accept(this);
        return opened;
    }

    /**
     * Stops accepting and frees the port; then treats the handle's live connections as {@code mode} says. The
     * handle can be {@linkplain #reopen() re-opened} later.
     *
     * @param mode what happens to the live connections
     * @param gracefulTimeout for {@link HandleCloseMode#GRACEFUL}: how long each connection may take to write what
     * it accepted before it is closed anyway
     * @return whether the handle was open
     */
    public boolean close(HandleCloseMode mode, Duration gracefulTimeout) {
        return close(mode, gracefulTimeout, Status.CLOSED);
    }

    boolean close(HandleCloseMode mode, Duration gracefulTimeout, Status newStatus) {
        AcceptingHandle handle;
        boolean wasOpen;
        synchronized (this.lock) {
            handle = this.incarnations.current();
            wasOpen = handle != null && handle.isOpen();
            if (newStatus == Status.STOPPED || wasOpen) {
                this.status = newStatus;
            }
        }
        if (wasOpen) {
            PortBinder.release(handle);
        }
        this.incarnations.closeConnections(mode, gracefulTimeout);
        return wasOpen;
    }

    /** @return live connections of this handle, over all its incarnations */
    public int connectionCount() {
        return this.incarnations.connectionCount();
    }

    /**
     * @param limit the most snapshots to return
     * @return snapshots of the first {@code limit} live connections
     */
    public List<StateSnapshot> connections(int limit) {
        return this.incarnations.connections(limit);
    }

    /** @return the live connections of this handle, over all its incarnations */
    public List<AsyncIoState> states() {
        return this.incarnations.states();
    }

    /**
     * Counters summed over every incarnation of the handle since the context started, so they only grow.
     *
     * @return a snapshot; {@code localPort} is the current or last port, -1 before the first bind
     */
    public HandleStatistics statistics() {
        return this.incarnations.statistics(this.name, isOpen(), localPort());
    }

    /**
     * @return the handle's {@code proxy-protocol} mode: that of its current (or last) incarnation, else its
     *         definition's
     */
    public dev.asyncio.core.ProxyProtocol proxyProtocol() {
        AcceptingHandle handle = this.incarnations.current();
        if (handle != null) {
            return handle.options().proxyProtocol();
        }
        HandleDefinition d = this.definition;
        return (d != null) ? d.options().proxyProtocol() : dev.asyncio.core.ProxyProtocol.OFF;
    }

    /** @return the PROXY protocol outcomes summed over every incarnation since the context started */
    public dev.asyncio.core.ProxyProtocolStatistics proxyStatistics() {
        return this.incarnations.proxyStatistics(proxyProtocol());
    }

    @Override
    public String toString() {
        return "ManagedAcceptingHandle[" + this.name + ", " + status() + ", port " + localPort() + "]";
    }
}
