package dev.asyncio.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import dev.asyncio.core.AcceptingHandle;
import dev.asyncio.core.AsyncIoState;
import dev.asyncio.core.CallbackErrorPolicy;
import dev.asyncio.core.MemoryBudget;
import dev.asyncio.core.WaitStateCollection;
import org.jspecify.annotations.Nullable;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The collections and accepting handles of one application context: those configured under {@code async-io.*},
 * those registered in code, and {@link AcceptingHandle} beans the application made itself. Metrics, the actuator
 * endpoint, the health indicator and the lifecycle all work from this one list.
 *
 * <p>Collections are created on demand, each with its own loop thread ({@link WaitStateCollection#createAndRun}).
 * Only the configured names and {@value #DEFAULT_COLLECTION} may be asked for, so that a typo in a handle's
 * {@code collection} property fails instead of silently starting another thread. A handle whose {@code collection}
 * is its own name gets a group of collections made for it alone ({@link HandleDefinition}). Every collection the
 * registry creates is charged to its {@link #memoryBudget()}.
 *
 * <p>This class keeps the list of handles and the start/stop order; the collections are {@link CollectionPool}'s,
 * the listeners {@link RegistryListeners}', a drain is one {@link ConnectionDrain}.
 *
 * <p>All methods are safe to call from any thread; none may be called from a collection's loop thread while it
 * waits for that loop (closing a handle from inside a callback is fine: it does not wait).
 */
public class AsyncIoRegistry {

    /** The name of the collection that handles use when they name none. */
    public static final String DEFAULT_COLLECTION = "default";

    // Commons Logging, as Spring itself: it stays connected to the log configuration through the whole shutdown.
    private static final Log LOGGER = LogFactory.getLog(AsyncIoRegistry.class);

    private final CollectionPool collections;

    private final List<HandleDefinitionCustomizer> customizers;

    private final RegistryListeners listeners = new RegistryListeners();

    private final PortBinder binder = new PortBinder(this::holderOf);

    /** Guards {@link #handles}. */
    private final Object lock = new Object();

    /** Serialises {@link #restartDeadLoops()}. */
    private final Object restartLock = new Object();

    private final Map<String, ManagedAcceptingHandle> handles = new LinkedHashMap<>();

    private volatile boolean started;

    private volatile boolean stopped;

    /**
     * @param policies the configured collections with their callback error policies; {@value #DEFAULT_COLLECTION}
     * is always allowed (with {@link CallbackErrorPolicy#LOG} unless configured)
     */
    public AsyncIoRegistry(Map<String, CallbackErrorPolicy> policies) {
        this(policies, List.of());
    }

    /**
     * @param policies the configured collections with their callback error policies
     * @param customizers applied, in order, to every definition {@linkplain #register registered}
     */
    public AsyncIoRegistry(Map<String, CallbackErrorPolicy> policies, List<HandleDefinitionCustomizer> customizers) {
        this(policies, customizers, MemoryBudget.processDefault());
    }

    /**
     * @param policies the configured collections with their callback error policies
     * @param customizers applied, in order, to every definition {@linkplain #register registered}
     * @param memoryBudget the budget every collection this registry creates is charged to
     */
    public AsyncIoRegistry(Map<String, CallbackErrorPolicy> policies, List<HandleDefinitionCustomizer> customizers,
            MemoryBudget memoryBudget) {
        this(policies, customizers, memoryBudget, CollectionTransports.PROCESS_DEFAULT);
    }

    /**
     * @param policies the configured collections with their callback error policies
     * @param customizers applied, in order, to every definition {@linkplain #register registered}
     * @param memoryBudget the budget every collection this registry creates is charged to
     * @param transports the transport (NIO or native) of every collection this registry creates
     */
    public AsyncIoRegistry(Map<String, CallbackErrorPolicy> policies, List<HandleDefinitionCustomizer> customizers,
            MemoryBudget memoryBudget, CollectionTransports transports) {
        this.collections = new CollectionPool(policies, memoryBudget, transports);
        this.customizers = List.copyOf(customizers);
    }

    /** @return the memory budget shared by every collection this registry creates */
    public MemoryBudget memoryBudget() {
        return this.collections.memoryBudget();
    }

    /** @return the names of the collections this registry may create */
    public Set<String> collectionNames() {
        return this.collections.names();
    }

    /**
     * Returns the named collection, creating it (and its loop thread) on first use; also returns a collection of a
     * handle's own group once that handle is registered.
     *
     * @param name a configured collection name, {@value #DEFAULT_COLLECTION}, or the name of a created collection
     * @return the running collection
     * @throws IllegalArgumentException if the name is not configured
     * @throws IllegalStateException if the registry has been stopped
     */
    public WaitStateCollection collection(String name) {
        CollectionPool.Obtained obtained = this.collections.obtain(name, this::checkNotStopped);
        if (obtained.created()) {
            this.listeners.fire((listener) -> listener.collectionAdded(obtained.collection()));
        }
        return obtained.collection();
    }

    /**
     * Finds the collections this registry created whose loop thread has ended although the registry was not stopped
     * (a loop "never dies", so this is a bug or someone stopped it behind the registry's back), and restarts each:
     * a new collection of the same name, policy and memory budget takes its place, and every handle that ran on it
     * and was serving is bound again on its port (connections on the dead loop are gone; those on the other loops of
     * a handle's group are kept). Each restart is logged as a WARN line; a handle that cannot be bound again is
     * logged too and stays {@link ManagedAcceptingHandle.Status#FAILED}. Collections of adopted handles are the
     * application's and are left alone. {@link LoopWatchdog} calls this every second.
     *
     * @return how many collections were restarted
     */
    public int restartDeadLoops() {
        synchronized (this.restartLock) {
            int restarted = 0;
            for (WaitStateCollection dead : this.collections.owned()) {
                if (dead.isAlive() || this.stopped) {
                    continue;
                }
                WaitStateCollection fresh;
                try {
                    fresh = this.collections.replaceDead(dead, this::checkNotStopped);
                }
                catch (IllegalStateException stopping) {
                    return restarted;
                }
                if (fresh == null) {
                    continue;
                }
                restarted++;
                int count = this.collections.restarts(dead.name());
                LOGGER.warn("async-io collection '" + dead.name() + "': its loop thread ended while the application "
                        + "runs; started a new one (restart " + count + ")");
                this.listeners.fire((listener) -> listener.collectionRemoved(dead));
                this.listeners.fire((listener) -> listener.collectionAdded(fresh));
                for (ManagedAcceptingHandle handle : handles()) {
                    try {
                        if (handle.relocate(dead, fresh)) {
                            LOGGER.warn("async-io handle '" + handle.name() + "' re-opened on port "
                                    + handle.localPort() + " after the loop of collection '" + dead.name()
                                    + "' ended");
                        }
                    }
                    catch (RuntimeException ex) {
                        LOGGER.warn("async-io handle '" + handle.name() + "' could not be re-opened after the loop of "
                                + "collection '" + dead.name() + "' ended", ex);
                    }
                }
            }
            return restarted;
        }
    }

    /**
     * Binds again every handle whose listening socket was closed behind its back
     * ({@link ManagedAcceptingHandle#listenerDied()}), on its port; each is logged as a WARN line, and one that cannot
     * be bound again (or cannot be re-opened at all: an adopted handle that hands over raw sockets) is logged and
     * stays {@link ManagedAcceptingHandle.Status#FAILED}, which health reports as {@code DOWN}.
     * {@link LoopWatchdog} calls this every second.
     *
     * @return how many handles were bound again
     */
    public int reopenDeadListeners() {
        synchronized (this.restartLock) {
            int reopened = 0;
            for (ManagedAcceptingHandle handle : handles()) {
                if (this.stopped || !handle.listenerDied()) {
                    continue;
                }
                try {
                    if (handle.reopenIfListenerDied()) {
                        reopened++;
                        LOGGER.warn("async-io handle '" + handle.name() + "': its listening socket was closed "
                                + "behind its back; bound it again on port " + handle.localPort());
                    }
                    else if (handle.listenerDied()) {
                        LOGGER.warn("async-io handle '" + handle.name() + "': its listening socket was closed "
                                + "behind its back and it cannot be re-opened (adopted, hands over raw sockets)");
                    }
                }
                catch (RuntimeException ex) {
                    LOGGER.warn("async-io handle '" + handle.name() + "': its listening socket was closed behind its "
                            + "back and binding it again failed", ex);
                }
            }
            return reopened;
        }
    }

    /**
     * @param collection a collection of this registry
     * @return how often it was restarted after its loop ended ({@link #restartDeadLoops()})
     */
    public int restarts(WaitStateCollection collection) {
        return this.collections.restarts(collection.name());
    }

    /** @return every collection known: those created here, then those of adopted handles */
    public List<WaitStateCollection> collections() {
        return this.collections.all();
    }

    /** @return every handle known, in registration order */
    public List<ManagedAcceptingHandle> handles() {
        synchronized (this.lock) {
            return new ArrayList<>(this.handles.values());
        }
    }

    /**
     * @param name a handle name
     * @return the handle, or {@code null} if none has that name
     */
    public @Nullable ManagedAcceptingHandle handle(String name) {
        synchronized (this.lock) {
            return this.handles.get(name);
        }
    }

    /**
     * Registers a handle to be bound when the context starts, or at once if it has already started. The registry's
     * {@link HandleDefinitionCustomizer}s are applied first.
     *
     * @param definition how to bind it
     * @return the managed handle
     * @throws IllegalArgumentException if a handle of that name exists, the collection is unknown, a shared
     * collection is asked for with more than one loop, or a collection of the handle's own group exists already
     */
    public ManagedAcceptingHandle register(HandleDefinition definition) {
        HandleDefinition customized = definition;
        for (HandleDefinitionCustomizer customizer : this.customizers) {
            customized = Objects.requireNonNull(customizer.customize(customized), "customized definition");
        }
        synchronized (this.lock) {
            if (this.handles.containsKey(customized.name())) {
                throw new IllegalArgumentException("A handle named '" + customized.name()
                        + "' is already registered");
            }
        }
        List<WaitStateCollection> group = collectionsOf(customized);
        ManagedAcceptingHandle handle = new ManagedAcceptingHandle(customized, group, this.binder, this::bound);
        add(handle);
        if (this.started) {
            handle.open(false);
        }
        return handle;
    }

    /**
     * @return the collections a definition's handle runs in: the shared one, or its own group (created here)
     */
    private List<WaitStateCollection> collectionsOf(HandleDefinition definition) {
        boolean shared = this.collections.names().contains(definition.collection());
        if (shared || !definition.ownsCollections()) {
            if (definition.loops() > 1) {
                throw new IllegalArgumentException("Handle '" + definition.name() + "' shares the collection '"
                        + definition.collection() + "' and cannot spread over " + definition.loops()
                        + " loops: only a handle in collections of its own (collection = its name) can");
            }
            return List.of(collection(definition.collection()));
        }
        List<WaitStateCollection> group = this.collections
            .createGroup(HandleDefinition.groupNames(definition.name(), definition.loops()), this::checkNotStopped);
        for (WaitStateCollection created : group) {
            this.listeners.fire((listener) -> listener.collectionAdded(created));
        }
        return group;
    }

    /**
     * Adopts a handle the application bound itself (for instance an {@link AcceptingHandle} bean), so that
     * metrics, the endpoint and shutdown see it. Adopting the same handle twice returns the first registration.
     * The handle's collection (and those it spreads its connections over) stay the application's: the registry drains
     * their connections on shutdown but does not close them.
     *
     * @param handle an accepting handle
     * @return the managed handle
     * @throws IllegalArgumentException if another handle with the same name is registered
     */
    public ManagedAcceptingHandle adopt(AcceptingHandle handle) {
        Objects.requireNonNull(handle, "handle");
        synchronized (this.lock) {
            ManagedAcceptingHandle existing = this.handles.get(handle.name());
            if (existing != null && existing.handle() == handle) {
                return existing;
            }
        }
        WaitStateCollection collection = handle.collection();
        if (collection == null) {
            throw new IllegalArgumentException("Handle '" + handle.name() + "' is closed; adopt open handles only");
        }
        List<WaitStateCollection> group = new ArrayList<>();
        group.add(collection);
        for (WaitStateCollection worker : handle.options().spreadOver()) {
            if (!group.contains(worker)) {
                group.add(worker);
            }
        }
        for (WaitStateCollection member : group) {
            if (this.collections.adoptExternal(member)) {
                this.listeners.fire((listener) -> listener.collectionAdded(member));
            }
        }
        ManagedAcceptingHandle managed = new ManagedAcceptingHandle(handle, group, this.binder, this::bound);
        add(managed);
        if (managed.isOpen()) {
            bound(managed);
        }
        return managed;
    }

    private void add(ManagedAcceptingHandle handle) {
        synchronized (this.lock) {
            checkNotStopped();
            if (this.handles.containsKey(handle.name())) {
                throw new IllegalArgumentException("A handle named '" + handle.name() + "' is already registered");
            }
            this.handles.put(handle.name(), handle);
        }
        this.listeners.fire((listener) -> listener.handleAdded(handle));
    }

    private void bound(ManagedAcceptingHandle handle) {
        this.listeners.fire((listener) -> listener.handleBound(handle));
    }

    /** @return the name of an open handle of this registry listening on {@code port}, or {@code null} */
    private @Nullable String holderOf(int port) {
        for (ManagedAcceptingHandle handle : handles()) {
            if (handle.isOpen() && handle.localPort() == port) {
                return handle.name();
            }
        }
        return null;
    }

    private void checkNotStopped() {
        if (this.stopped) {
            throw new IllegalStateException("The async-io registry is stopped: the application context is closing");
        }
    }

    /**
     * Adds a listener and tells it, at once, about every collection and handle known so far (and about every handle
     * bound so far).
     *
     * @param listener the listener
     */
    public void addListener(AsyncIoRegistryListener listener) {
        this.listeners.add(listener);
        for (WaitStateCollection collection : collections()) {
            listener.collectionAdded(collection);
        }
        for (ManagedAcceptingHandle handle : handles()) {
            listener.handleAdded(handle);
            if (handle.isOpen()) {
                listener.handleBound(handle);
            }
        }
    }

    /** @param listener a listener added before; it hears nothing more */
    public void removeListener(AsyncIoRegistryListener listener) {
        this.listeners.remove(listener);
    }

    /** @return whether {@link #start()} has run and {@link #stop()} has not */
    public boolean isRunning() {
        return this.started && !this.stopped;
    }

    /** @return whether {@link #stop()} has run: everything is closed for good */
    public boolean isStopped() {
        return this.stopped;
    }

    /**
     * Binds every registered handle that is not bound yet, in registration order. Handles registered later bind
     * at once.
     *
     * @throws RuntimeException the first bind failure (the handles bound before it stay open until {@link #stop()})
     */
    public void start() {
        this.started = true;
        for (ManagedAcceptingHandle handle : handles()) {
            if (handle.status() == ManagedAcceptingHandle.Status.NEW) {
                handle.open(false);
            }
        }
    }

    /**
     * Stops accepting on every handle and waits until their ports are free. Connections stay open.
     */
    public void stopAccepting() {
        for (ManagedAcceptingHandle handle : handles()) {
            handle.close(HandleCloseMode.KEEP, Duration.ZERO, ManagedAcceptingHandle.Status.STOPPED);
        }
    }

    /**
     * Drains on the calling thread, then runs {@code done}: stops accepting, lets every live connection go on
     * working until it is quiet — no byte read or written for {@code quietPeriod} and no output queued — and closes
     * it gracefully then ({@link AsyncIoState#closeGracefully}: what it accepted for writing is written, the peer
     * gets EOF). Connections the peers close themselves are simply gone. Near the end of {@code timeout} the rest are
     * closed gracefully whether quiet or not; what is still open at the end is left to {@link #stop()}. Logs one INFO
     * line with the outcome (see {@link ConnectionDrain}).
     *
     * @param timeout the whole drain's limit (the shutdown phase timeout)
     * @param quietPeriod how long a connection must be idle to be closed before the limit
     * @param done called once everything is closed or the time is up
     */
    public void drain(Duration timeout, Duration quietPeriod, Runnable done) {
        stopAccepting();
        new ConnectionDrain(openStates(), timeout, quietPeriod).run();
        done.run();
    }

    private List<AsyncIoState> openStates() {
        List<AsyncIoState> states = new ArrayList<>();
        for (WaitStateCollection collection : collections()) {
            if (!collection.isClosed()) {
                for (AsyncIoState state : collection.states()) {
                    // A client's connections are closed by the clients' own, later phase (ManagedAsyncIoClient).
                    if (state.isOpen() && !ManagedAsyncIoClient.isClientConnection(state)) {
                        states.add(state);
                    }
                }
            }
        }
        return states;
    }

    /**
     * Closes everything for good: every handle (connections aborted), then every collection this registry
     * created (loop threads end). Adopted handles are closed; their collections are left to the application.
     * Listeners hear {@link AsyncIoRegistryListener#handleRemoved} and
     * {@link AsyncIoRegistryListener#collectionRemoved}. Safe to call twice.
     */
    public void stop() {
        List<ManagedAcceptingHandle> allHandles;
        synchronized (this.lock) {
            if (this.stopped) {
                return;
            }
            this.stopped = true;
            allHandles = new ArrayList<>(this.handles.values());
        }
        for (ManagedAcceptingHandle handle : allHandles) {
            try {
                handle.close(HandleCloseMode.ABORT, Duration.ZERO, ManagedAcceptingHandle.Status.STOPPED);
            }
            catch (RuntimeException ex) {
                LOGGER.warn("Closing async-io handle '" + handle.name() + "' failed", ex);
            }
            this.listeners.fire((listener) -> listener.handleRemoved(handle));
        }
        for (WaitStateCollection collection : this.collections.owned()) {
            try {
                collection.close();
            }
            catch (RuntimeException ex) {
                LOGGER.warn("Closing async-io collection '" + collection.name() + "' failed", ex);
            }
            this.listeners.fire((listener) -> listener.collectionRemoved(collection));
        }
    }
}
