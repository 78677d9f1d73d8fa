package dev.asyncio.spring;

import java.util.concurrent.TimeUnit;

import java.util.Set;

import java.util.IdentityHashMap;

import java.util.Collections;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.asyncio.core.AcceptingHandle;
import dev.asyncio.core.AsyncIoState;
import dev.asyncio.core.CallbackErrorPolicy;
import dev.asyncio.core.WaitStateCollection;
import org.jspecify.annotations.Nullable;

/**
 * The collections and accepting handles of one application context: those configured under {@code async-io.*},
 * those registered in code, and {@link AcceptingHandle} beans the application made itself. Metrics, the actuator
 * endpoint, the health indicator and the lifecycle all work from this one list.
 *
 * <p>Collections are created on demand, each with its own loop thread ({@link WaitStateCollection#createAndRun}).
 * Only the configured names and {@value #DEFAULT_COLLECTION} may be asked for, so that a typo in a handle's
 * {@code collection} property fails instead of silently starting another thread.
 *
 * <p>All methods are safe to call from any thread; none may be called from a collection's loop thread while it
 * waits for that loop (closing a handle from inside a callback is fine: it does not wait).
 */
public class AsyncIoRegistry {

    /** The name of the collection that handles use when they name none. */
    public static final String DEFAULT_COLLECTION = "default";

    private static final System.Logger LOGGER = System.getLogger(AsyncIoRegistry.class.getName());

    private final Map<String, CallbackErrorPolicy> policies;

    private final Object lock = new Object();

    /** Collections this registry created and closes; guarded by {@link #lock}. */
    private final Map<String, WaitStateCollection> owned = new LinkedHashMap<>();

    /** Collections of adopted handles, owned by the application; guarded by {@link #lock}. */
    private final List<WaitStateCollection> external = new ArrayList<>();

    /** Guarded by {@link #lock}. */
    private final Map<String, ManagedAcceptingHandle> handles = new LinkedHashMap<>();

    private final List<AsyncIoRegistryListener> listeners = new CopyOnWriteArrayList<>();

    private volatile boolean started;

    private volatile boolean stopped;

    /**
     * @param policies the configured collections with their callback error policies; {@value #DEFAULT_COLLECTION}
     * is always allowed (with {@link CallbackErrorPolicy#LOG} unless configured)
     */
    public AsyncIoRegistry(Map<String, CallbackErrorPolicy> policies) {
        Map<String, CallbackErrorPolicy> all = new LinkedHashMap<>(policies);
        all.putIfAbsent(DEFAULT_COLLECTION, CallbackErrorPolicy.LOG);
        this.policies = Map.copyOf(all);
    }

    /** @return the names of the collections this registry may create */
    public java.util.Set<String> collectionNames() {
        return this.policies.keySet();
    }

    /**
     * Returns the named collection, creating it (and its loop thread) on first use.
     *
     * @param name a configured collection name or {@value #DEFAULT_COLLECTION}
     * @return the running collection
     * @throws IllegalArgumentException if the name is not configured
     * @throws IllegalStateException if the registry has been stopped
     */
    public WaitStateCollection collection(String name) {
        Objects.requireNonNull(name, "name");
        CallbackErrorPolicy policy = this.policies.get(name);
        if (policy == null) {
            throw new IllegalArgumentException("No collection named '" + name + "': configure async-io.collections."
                    + name + " or use one of " + this.policies.keySet());
        }
        WaitStateCollection collection;
        boolean created = false;
        synchronized (this.lock) {
            checkNotStopped();
            collection = this.owned.get(name);
            if (collection == null) {
                collection = WaitStateCollection.createAndRun(name, policy);
                this.owned.put(name, collection);
                created = true;
            }
        }
        if (created) {
            for (AsyncIoRegistryListener listener : this.listeners) {
                listener.collectionAdded(collection);
            }
        }
        return collection;
    }

    /** @return every collection known: those created here, then those of adopted handles */
    public List<WaitStateCollection> collections() {
        synchronized (this.lock) {
            List<WaitStateCollection> all = new ArrayList<>(this.owned.values());
            all.addAll(this.external);
            return all;
        }
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
     * Registers a handle to be bound when the context starts, or at once if it has already started.
     *
     * @param definition how to bind it
     * @return the managed handle
     * @throws IllegalArgumentException if a handle of that name exists or the collection is unknown
     */
    public ManagedAcceptingHandle register(HandleDefinition definition) {
        WaitStateCollection collection = collection(definition.collection());
        ManagedAcceptingHandle handle = new ManagedAcceptingHandle(definition, collection);
        add(handle);
        if (this.started) {
            handle.open(false);
        }
        return handle;
    }

    /**
     * Adopts a handle the application bound itself (for instance an {@link AcceptingHandle} bean), so that
     * metrics, the endpoint and shutdown see it. Adopting the same handle twice returns the first registration.
     * The handle's collection stays the application's: the registry drains its connections on shutdown but does not
     * close the collection.
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
        boolean newCollection = false;
        synchronized (this.lock) {
            if (!this.owned.containsValue(collection) && !this.external.contains(collection)) {
                this.external.add(collection);
                newCollection = true;
            }
        }
        if (newCollection) {
            for (AsyncIoRegistryListener listener : this.listeners) {
                listener.collectionAdded(collection);
            }
        }
        ManagedAcceptingHandle managed = new ManagedAcceptingHandle(handle, collection);
        add(managed);
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
        for (AsyncIoRegistryListener listener : this.listeners) {
            listener.handleAdded(handle);
        }
    }

    private void checkNotStopped() {
        if (this.stopped) {
            throw new IllegalStateException("The async-io registry is stopped: the application context is closing");
        }
    }

    /**
     * Adds a listener and tells it, at once, about every collection and handle known so far.
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
     * closed gracefully whether quiet or not; what is still open at the end is left to {@link #stop()}.
     *
     * <p>Waiting for quiet rather than closing at once is what keeps a transfer in flight intact: bytes a peer sent
     * just before shutdown are still read and answered.
     *
     * @param timeout the whole drain's limit (the shutdown phase timeout)
     * @param quietPeriod how long a connection must be idle to be closed before the limit
     * @param done called once everything is closed or the time is up
     */
    public void drain(Duration timeout, Duration quietPeriod, Runnable done) {
        stopAccepting();
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        // The graceful closes need the last part of the phase themselves: flush, FIN, the peer's EOF.
        long forceAt = deadline - Math.min(timeout.toNanos() / 4, TimeUnit.SECONDS.toNanos(2));
        long quietNanos = quietPeriod.toNanos();
        Map<AsyncIoState, long[]> activity = new IdentityHashMap<>();
        Set<AsyncIoState> closing = Collections.newSetFromMap(new IdentityHashMap<>());
        boolean logged = false;
        try {
            while (true) {
                List<AsyncIoState> open = openStates();
                if (open.isEmpty()) {
                    break;
                }
                if (!logged) {
                    int count = open.size();
                    LOGGER.log(Level.INFO, () -> "Draining " + count + " async-io connection(s), at most " + timeout);
                    logged = true;
                }
                long now = System.nanoTime();
                if (now - deadline >= 0) {
                    break;
                }
                boolean force = now - forceAt >= 0;
                for (AsyncIoState state : open) {
                    if (closing.contains(state)) {
                        continue;
                    }
                    long moved = state.bytesRead() + state.bytesWritten();
                    long[] seen = activity.computeIfAbsent(state, (s) -> new long[] { moved, now });
                    if (seen[0] != moved) {
                        seen[0] = moved;
                        seen[1] = now;
                    }
                    boolean quiet = now - seen[1] >= quietNanos && state.queuedOutput() == 0;
                    if (quiet || force) {
                        closing.add(state);
                        Duration left = Duration.ofNanos(Math.max(deadline - now, 1));
                        try {
                            state.closeGracefully(left, null);
                        }
                        catch (RuntimeException ex) {
                            // Closed meanwhile (the peer hung up, its loop ended): nothing left to wait for.
                        }
                    }
                }
                // Polling a few states' counters is cheap, and simpler than a callback per byte.
                Thread.sleep(Math.min(50, Math.max(1, quietPeriod.toMillis() / 4)));
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        done.run();
    }

    private List<AsyncIoState> openStates() {
        List<AsyncIoState> states = new ArrayList<>();
        for (WaitStateCollection collection : collections()) {
            if (!collection.isClosed()) {
                for (AsyncIoState state : collection.states()) {
                    if (state.isOpen()) {
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
        List<WaitStateCollection> ownedCollections;
        synchronized (this.lock) {
            if (this.stopped) {
                return;
            }
            this.stopped = true;
            allHandles = new ArrayList<>(this.handles.values());
            ownedCollections = new ArrayList<>(this.owned.values());
        }
        for (ManagedAcceptingHandle handle : allHandles) {
            try {
                handle.close(HandleCloseMode.ABORT, Duration.ZERO, ManagedAcceptingHandle.Status.STOPPED);
            }
            catch (RuntimeException ex) {
                LOGGER.log(Level.WARNING, "Closing async-io handle '" + handle.name() + "' failed", ex);
            }
            for (AsyncIoRegistryListener listener : this.listeners) {
                listener.handleRemoved(handle);
            }
        }
        for (WaitStateCollection collection : ownedCollections) {
            try {
                collection.close();
            }
            catch (RuntimeException ex) {
                LOGGER.log(Level.WARNING, "Closing async-io collection '" + collection.name() + "' failed", ex);
            }
            for (AsyncIoRegistryListener listener : this.listeners) {
                listener.collectionRemoved(collection);
            }
        }
    }
}
