package dev.asyncio.spring;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.asyncio.core.AcceptOptions;
import dev.asyncio.core.AcceptingHandle;
import dev.asyncio.core.AsyncIoState;
import dev.asyncio.core.BindFailedException;
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
 * re-opened, because its connection function is not known.
 *
 * <p>Every method is safe to call from any thread. {@link #close(HandleCloseMode, Duration)} waits (at most five
 * seconds) until the port is free unless it runs on the collection's own loop thread.
 */
public final class ManagedAcceptingHandle {

    /** How long {@link #close} waits for the loop to confirm that the listening socket is closed. */
    private static final long CLOSE_WAIT_SECONDS = 5;

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

    private final WaitStateCollection collection;

    private final @Nullable HandleDefinition definition;

    private final Object lock = new Object();

    private volatile @Nullable AcceptingHandle current;

    /** Closed incarnations that still have live connections; guarded by {@link #lock}. */
    private final List<AcceptingHandle> previous = new ArrayList<>();

    /** Counters of incarnations whose connections are all gone; guarded by {@link #lock}. */
    private final Totals retired = new Totals();

    private volatile Status status;

    private volatile @Nullable Throwable failure;

    private volatile int lastPort = -1;

    ManagedAcceptingHandle(HandleDefinition definition, WaitStateCollection collection) {
        this.name = definition.name();
        this.collection = collection;
        this.definition = definition;
        this.status = Status.NEW;
    }

    ManagedAcceptingHandle(AcceptingHandle adopted, WaitStateCollection collection) {
        this.name = adopted.name();
        this.collection = collection;
        // The core handle knows its connection function and options: enough to bind it again on its port. Only a
        // handle that hands over raw sockets cannot be re-opened.
        this.definition = adopted.connectionFunction() == null ? null
                : new HandleDefinition(adopted.name(), collection.name(), Integer.toString(adopted.localPort()),
                        adopted.connectionFunction(), adopted.options(), null);
        this.current = adopted;
        this.lastPort = adopted.localPort();
        this.status = adopted.isOpen() ? Status.OPEN : Status.CLOSED;
    }

    /** @return the handle's name (bean name, metrics tag, endpoint path segment) */
    public String name() {
        return this.name;
    }

    /** @return the collection the handle runs in */
    public WaitStateCollection collection() {
        return this.collection;
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
        return this.current;
    }

    /** @return whether the handle is bound and accepting */
    public boolean isOpen() {
        AcceptingHandle handle = this.current;
        return handle != null && handle.isOpen();
    }

    /**
     * @return the handle's status; a handle recorded as open whose socket is no longer open reports
     * {@link Status#CLOSED} (closed in code) or {@link Status#FAILED} (its loop died)
     */
    public Status status() {
        Status s = this.status;
        if (s == Status.OPEN && !isOpen()) {
            return this.collection.isAlive() ? Status.CLOSED : Status.FAILED;
        }
        return s;
    }

    /** @return why binding failed, or {@code null} */
    public @Nullable Throwable failure() {
        return this.failure;
    }

    /** @return the port the handle listens on, or listened on last; -1 before it was ever bound */
    public int localPort() {
        AcceptingHandle handle = this.current;
        return (handle != null && handle.isOpen()) ? handle.localPort() : this.lastPort;
    }

    /** @return the bound address while open, else {@code null} */
    public @Nullable InetSocketAddress localAddress() {
        AcceptingHandle handle = this.current;
        return (handle != null && handle.isOpen()) ? handle.localAddress() : null;
    }

    /** @return the Unix domain socket path the handle listens on, or {@code null} for a TCP handle */
    public java.nio.file.@Nullable Path unixSocketPath() {
        if (this.definition != null) {
            return this.definition.unixSocketPath();
        }
        AcceptingHandle handle = this.current;
        return (handle != null) ? handle.unixSocketPath() : null;
    }

    /** @return the address the handle is configured to bind ({@code null} = all interfaces) */
    public @Nullable String configuredAddress() {
        if (this.definition != null) {
            return this.definition.options().address();
        }
        AcceptingHandle handle = this.current;
        return (handle != null) ? handle.options().address() : null;
    }

    /**
     * Binds the handle (at context start) or binds it again after a close, on its configured address. A handle
     * configured with an ephemeral port re-binds the port it had before, so that clients find it again. Does
     * nothing when the handle is open.
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
        synchronized (this.lock) {
            AcceptingHandle handle = this.current;
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
            String service = def.service();
            AcceptOptions.Builder options = def.options().toBuilder().handleName(this.name);
            if (again) {
                if (this.lastPort > 0 && isEphemeral(service)) {
                    service = Integer.toString(this.lastPort);
                }
                // An operator re-opening a handle wants an answer now, not after a minute of retries.
                options.initTimeout(Duration.ZERO);
            }
            try {
                AcceptingHandle opened = (def.unixSocketPath() != null)
                        ? this.collection.acceptUnixConnections(def.unixSocketPath(), def.connectionFunction(),
                                options.build())
                        : this.collection.acceptTcpConnections(service, def.connectionFunction(), options.build());
                if (handle != null) {
                    this.previous.add(handle);
                }
                this.current = opened;
                this.lastPort = opened.localPort();
                this.status = Status.OPEN;
                this.failure = null;
                return opened;
            }
            catch (RuntimeException ex) {
                this.failure = ex;
                this.status = Status.FAILED;
                throw (again || def.propertyPrefix() == null) ? ex : configurationFailure(def, ex);
            }
        }
    }

    private static RuntimeException configurationFailure(HandleDefinition def, RuntimeException ex) {
        String prefix = def.propertyPrefix();
        String where = (def.options().address() != null) ? def.options().address() : "all interfaces";
        if (ex instanceof BindFailedException && def.unixSocketPath() != null) {
            return new AsyncIoConfigurationException(prefix + ".unix-socket-path", def.unixSocketPath(),
                    "could not be bound: " + ex.getMessage(),
                    "Stop the server that listens on it, or set " + prefix + ".unix-socket-path to another path.",
                    ex);
        }
        if (ex instanceof BindFailedException) {
            return new AsyncIoConfigurationException(prefix + ".port", def.service(),
                    "could not be bound on " + where + " within " + prefix + ".init-timeout ("
                            + def.options().initTimeout().toSeconds() + "s): " + ex.getMessage(),
                    "Stop the process that uses the port, or set " + prefix + ".port to a free port "
                            + "(0 for an ephemeral one).",
                    ex);
        }
        if (ex instanceof IllegalArgumentException) {
            return new AsyncIoConfigurationException(prefix + ".port", def.service(),
                    "cannot be used on " + where + ": " + ex.getMessage(),
                    "Check " + prefix + ".port and " + prefix + ".address.", ex);
        }
        return ex;
    }

    private static boolean isEphemeral(@Nullable String service) {
        return service == null || service.isBlank() || service.trim().equals("0");
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
        List<AcceptingHandle> incarnations;
        boolean wasOpen;
        synchronized (this.lock) {
            handle = this.current;
            wasOpen = handle != null && handle.isOpen();
            if (newStatus == Status.STOPPED || wasOpen) {
                this.status = newStatus;
            }
            incarnations = new ArrayList<>(this.previous);
            if (handle != null) {
                incarnations.add(handle);
            }
        }
        if (wasOpen) {
            closeAndWait(handle);
        }
        // Connections kept by an earlier close (or accepted before a re-open) are the handle's too: an operator
        // who closes again with "abort" or "graceful" means all of them, listener open or not.
        if (mode != HandleCloseMode.KEEP) {
            for (AcceptingHandle incarnation : incarnations) {
                for (AsyncIoState state : incarnation.states()) {
                    try {
                        if (mode == HandleCloseMode.GRACEFUL) {
                            state.closeGracefully(gracefulTimeout, null);
                        }
                        else {
                            state.abortAndClose(false, null);
                        }
                    }
                    catch (RuntimeException closedMeanwhile) {
                        // The connection or its loop closed on its own: nothing left to do for it.
                    }
                }
            }
        }
        return wasOpen;
    }

    private void closeAndWait(AcceptingHandle handle) {
        WaitStateCollection loop = handle.collection();
        if (loop == null || !loop.isAlive() || loop.inLoopThread()) {
            handle.close();
            return;
        }
        CountDownLatch closed = new CountDownLatch(1);
        handle.close((collection) -> closed.countDown());
        try {
            closed.await(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return live connections of this handle, over all its incarnations */
    public int connectionCount() {
        int count = 0;
        for (AcceptingHandle handle : incarnations()) {
            count += handle.connectionCount();
        }
        return count;
    }

    /**
     * @param limit the most snapshots to return
     * @return snapshots of the first {@code limit} live connections
     */
    public List<StateSnapshot> connections(int limit) {
        List<StateSnapshot> result = new ArrayList<>();
        for (AcceptingHandle handle : incarnations()) {
            if (result.size() >= limit) {
                break;
            }
            result.addAll(handle.connections(limit - result.size()));
        }
        return result;
    }

    /** @return the live connections of this handle, over all its incarnations */
    public List<AsyncIoState> states() {
        List<AsyncIoState> result = new ArrayList<>();
        for (AcceptingHandle handle : incarnations()) {
            result.addAll(handle.states());
        }
        return result;
    }

    private List<AcceptingHandle> incarnations() {
        synchronized (this.lock) {
            List<AcceptingHandle> all = new ArrayList<>(this.previous);
            AcceptingHandle handle = this.current;
            if (handle != null) {
                all.add(handle);
            }
            return all;
        }
    }

    /**
     * Counters summed over every incarnation of the handle since the context started, so they only grow.
     *
     * @return a snapshot; {@code localPort} is the current or last port, -1 before the first bind
     */
    public HandleStatistics statistics() {
        synchronized (this.lock) {
            Totals totals = this.retired.copy();
            Iterator<AcceptingHandle> it = this.previous.iterator();
            while (it.hasNext()) {
                HandleStatistics s = it.next().statistics();
                if (s.active() == 0) {
                    // Nothing of this incarnation can change any more: fold it in and forget it.
                    this.retired.add(s);
                    it.remove();
                }
                totals.add(s);
            }
            AcceptingHandle handle = this.current;
            boolean paused = false;
            if (handle != null) {
                HandleStatistics s = handle.statistics();
                totals.add(s);
                paused = s.paused();
            }
            return new HandleStatistics(this.name, isOpen(), localPort(), totals.accepted, totals.active,
                    totals.rejected, paused, totals.bytesRead, totals.bytesWritten, totals.timeouts, totals.errors,
                    totals.callbackFailures);
        }
    }

    @Override
    public String toString() {
        return "ManagedAcceptingHandle[" + this.name + ", " + status() + ", port " + localPort() + "]";
    }

    private static final class Totals {

        long accepted;

        int active;

        long rejected;

        long bytesRead;

        long bytesWritten;

        long timeouts;

        long errors;

        long callbackFailures;

        void add(HandleStatistics s) {
            this.accepted += s.accepted();
            this.active += s.active();
            this.rejected += s.rejected();
            this.bytesRead += s.bytesRead();
            this.bytesWritten += s.bytesWritten();
            this.timeouts += s.timeouts();
            this.errors += s.errors();
            this.callbackFailures += s.callbackFailures();
        }

        Totals copy() {
            Totals t = new Totals();
            t.accepted = this.accepted;
            t.active = this.active;
            t.rejected = this.rejected;
            t.bytesRead = this.bytesRead;
            t.bytesWritten = this.bytesWritten;
            t.timeouts = this.timeouts;
            t.errors = this.errors;
            t.callbackFailures = this.callbackFailures;
            return t;
        }
    }
}
