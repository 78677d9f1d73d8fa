package dev.asyncio.spring;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import dev.asyncio.core.CallbackErrorPolicy;
import dev.asyncio.core.MemoryBudget;
import dev.asyncio.core.WaitStateCollection;
import org.jspecify.annotations.Nullable;

/**
 * The collections of one {@link AsyncIoRegistry}: those it creates on demand from the configured names (and owns),
 * the groups it creates for handles that run in collections of their own (owns too), and those of adopted handles
 * (owned by the application). Only configured names, {@value AsyncIoRegistry#DEFAULT_COLLECTION} and a handle's own
 * group may be created, so that a typo in a handle's {@code collection} fails instead of silently starting another
 * loop thread. A group's collections take the callback error policy of {@value AsyncIoRegistry#DEFAULT_COLLECTION}.
 *
 * <p>Every collection the pool creates is charged to one {@link MemoryBudget}.
 *
 * <p>Thread-safe; every method may be called from any thread.
 */
final class CollectionPool {

    private final Map<String, CallbackErrorPolicy> policies;

    private final MemoryBudget memoryBudget;

    /** Guards {@link #owned} and {@link #external}. */
    private final Object lock = new Object();

    private final Map<String, WaitStateCollection> owned = new LinkedHashMap<>();

    private final List<WaitStateCollection> external = new ArrayList<>();

    /** How often each owned collection was restarted after its loop ended; guarded by {@link #lock}. */
    private final Map<String, Integer> restarts = new LinkedHashMap<>();

    /** The transport of each collection the pool creates. */
    private final CollectionTransports transports;

    CollectionPool(Map<String, CallbackErrorPolicy> policies, MemoryBudget memoryBudget) {
        this(policies, memoryBudget, CollectionTransports.PROCESS_DEFAULT);
    }

    CollectionPool(Map<String, CallbackErrorPolicy> policies, MemoryBudget memoryBudget,
            CollectionTransports transports) {
        this.transports = Objects.requireNonNull(transports, "transports");
        this.memoryBudget = Objects.requireNonNull(memoryBudget, "memoryBudget");
        Map<String, CallbackErrorPolicy> all = new LinkedHashMap<>(policies);
        all.putIfAbsent(AsyncIoRegistry.DEFAULT_COLLECTION, CallbackErrorPolicy.LOG);
        this.policies = Map.copyOf(all);
    }

    MemoryBudget memoryBudget() {
        return this.memoryBudget;
    }

    Set<String> names() {
        return this.policies.keySet();
    }

    /**
     * @param name a configured name
     * @param checkNotStopped run (and allowed to throw) under the lock, so that no collection is created after the registry stopped
     * @return the collection and whether this call created it
     * @throws IllegalArgumentException for a name that is not configured
     */
    Obtained obtain(String name, Runnable checkNotStopped) {
        Objects.requireNonNull(name, "name");
        CallbackErrorPolicy policy = this.policies.get(name);
        if (policy == null) {
            synchronized (this.lock) {
                WaitStateCollection existing = this.owned.get(name);
                if (existing != null) {
                    return new Obtained(existing, false);
                }
            }
            throw new IllegalArgumentException("No collection named '" + name + "': configure async-io.collections."
                    + name + " or use one of " + this.policies.keySet());
        }
        synchronized (this.lock) {
            checkNotStopped.run();
            WaitStateCollection collection = this.owned.get(name);
            if (collection != null) {
                return new Obtained(collection, false);
            }
            collection = create(name, policy);
            this.owned.put(name, collection);
            return new Obtained(collection, true);
        }
    }

    /**
     * Creates the collections of a handle's own group, all at once.
     *
     * @param names the group's names (see {@link HandleDefinition#groupNames})
     * @param checkNotStopped run (and allowed to throw) under the lock
     * @return the new collections, in order
     * @throws IllegalArgumentException if a name is a configured collection's or already taken by another group
     */
    List<WaitStateCollection> createGroup(List<String> names, Runnable checkNotStopped) {
        CallbackErrorPolicy policy = this.policies.get(AsyncIoRegistry.DEFAULT_COLLECTION);
        synchronized (this.lock) {
            checkNotStopped.run();
            for (String name : names) {
                if (this.policies.containsKey(name) || this.owned.containsKey(name)) {
                    throw new IllegalArgumentException("Cannot create the collection '" + name + "' of handle '"
                            + names.get(0) + "': a collection of that name exists already "
                            + (this.policies.containsKey(name) ? "(configured)" : "(another handle's)"));
                }
            }
            List<WaitStateCollection> group = new ArrayList<>(names.size());
            for (String name : names) {
                WaitStateCollection collection = create(name, policy);
                this.owned.put(name, collection);
                group.add(collection);
            }
            return group;
        }
    }

    /**
     * Replaces an owned collection whose loop thread has ended with a new, running one of the same name, callback
     * error policy and memory budget.
     *
     * @param dead a collection of this pool
     * @param checkNotStopped run (and allowed to throw) under the lock
     * @return the new collection, or {@code null} if {@code dead} is not (or no longer) this pool's or still runs
     */
    @Nullable WaitStateCollection replaceDead(WaitStateCollection dead, Runnable checkNotStopped) {
        synchronized (this.lock) {
            checkNotStopped.run();
            if (this.owned.get(dead.name()) != dead || dead.isAlive()) {
                return null;
            }
            WaitStateCollection fresh = create(dead.name(), dead.callbackErrorPolicy());
            this.owned.put(dead.name(), fresh);
            this.restarts.merge(dead.name(), 1, Integer::sum);
            return fresh;
        }
    }

    /**
     * @param name a collection's name
     * @return how often the pool restarted it after its loop ended
     */
    int restarts(String name) {
        synchronized (this.lock) {
            return this.restarts.getOrDefault(name, 0);
        }
    }

    private WaitStateCollection create(String name, CallbackErrorPolicy policy) {
        return this.transports.apply(name, WaitStateCollection.builder(name))
            .callbackErrorPolicy(policy)
            .memoryBudget(this.memoryBudget)
            .createAndRun();
    }

    /** @return whether the collection was new to this pool (it is then kept as the application's) */
    boolean adoptExternal(WaitStateCollection collection) {
        synchronized (this.lock) {
            if (this.owned.containsValue(collection) || this.external.contains(collection)) {
                return false;
            }
            this.external.add(collection);
            return true;
        }
    }

    /** @return the owned collections, then the external ones */
    List<WaitStateCollection> all() {
        synchronized (this.lock) {
            List<WaitStateCollection> all = new ArrayList<>(this.owned.values());
            all.addAll(this.external);
            return all;
        }
    }

    /** @return the collections this pool created, which its owner closes on stop */
    List<WaitStateCollection> owned() {
        synchronized (this.lock) {
            return new ArrayList<>(this.owned.values());
        }
    }

    record Obtained(WaitStateCollection collection, boolean created) {
    }
}
