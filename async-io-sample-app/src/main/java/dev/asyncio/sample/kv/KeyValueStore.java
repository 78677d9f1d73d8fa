package dev.asyncio.sample.kv;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

import dev.asyncio.sample.kv.resp.HeapSizes;

/**
 * The in-memory data of the key-value server: binary keys mapped to binary string values, each with an optional
 * absolute expiry time in milliseconds.
 *
 * <p>Expiry works as in Redis: a key is gone once the clock is past its expiry time. Reads check that lazily (an
 * expired key is removed when touched), and {@link #sweep(int)} removes expired keys nobody touches; the server runs
 * it periodically on the loop thread.
 *
 * <p><b>Threads.</b> Not thread-safe, on purpose: like Redis, the store is confined to one thread, the loop thread of
 * the collection whose connections use it, so commands need no locks and run in arrival order. Calling it from
 * another thread is a programming error that this class does not detect.
 *
 * <p><b>Memory.</b> {@link #usedMemory()} is what the heap holds for the data: the keys' and values' arrays as the heap
 * lays them out ({@link HeapSizes#byteArray}: header, padding, and whole G1 regions for arrays of half a region or
 * more) plus a fixed per-entry overhead. The command layer refuses writes beyond its {@code maxmemory}, as Redis does
 * with {@code OOM}. (Charging payload lengths instead let 64 MiB of 1 MiB values hold 138 MB of heap.)
 */
public final class KeyValueStore {

    /** Estimated bytes of bookkeeping per entry (map node, entry object, key wrapper). */
    static final int ENTRY_OVERHEAD = 96;

    /** No expiry. */
    public static final long NO_EXPIRY = 0;

    private static final class Entry {
        byte[] value;
        long expiresAt = NO_EXPIRY;
        int expiringIndex = -1;
    }

    private final LongSupplier clock;
    private final Map<StoreKey, Entry> entries = new HashMap<>();
    /** Keys with an expiry time, each entry knowing its index, so adding and removing are O(1). */
    private final List<StoreKey> expiring = new ArrayList<>();
    private int sweepCursor;
    private long usedMemory;
    private long expiredKeys;

    /**
     * @param clock the current time in milliseconds since the epoch; {@code System::currentTimeMillis} in production
     */
    public KeyValueStore(LongSupplier clock) {
        this.clock = clock;
    }

    /** @return the store's current time in milliseconds */
    public long now() {
        return clock.getAsLong();
    }

    /**
     * @param key the key
     * @return the value, or {@code null} when the key does not exist or has expired
     */
    public byte[] get(byte[] key) {
        Entry e = live(new StoreKey(key));
        return e == null ? null : e.value;
    }

    /**
     * @param key the key
     * @return whether the key exists (and has not expired)
     */
    public boolean exists(byte[] key) {
        return live(new StoreKey(key)) != null;
    }

    /**
     * Sets a value.
     *
     * @param key       the key
     * @param value     the value
     * @param expiresAt the absolute expiry time in milliseconds, or {@link #NO_EXPIRY}
     * @param keepTtl   whether an existing key keeps its expiry time ({@code expiresAt} is then ignored)
     */
    public void set(byte[] key, byte[] value, long expiresAt, boolean keepTtl) {
        StoreKey k = new StoreKey(key);
        Entry e = live(k);
        if (e == null) {
            e = new Entry();
            entries.put(k, e);
            usedMemory += ENTRY_OVERHEAD + HeapSizes.byteArray(key.length);
        } else {
            usedMemory -= HeapSizes.byteArray(e.value.length);
        }
        e.value = value;
        usedMemory += HeapSizes.byteArray(value.length);
        if (!keepTtl) {
            setExpiry(k, e, expiresAt);
        }
    }

    /**
     * @param key the key
     * @return whether a live key was removed
     */
    public boolean delete(byte[] key) {
        StoreKey k = new StoreKey(key);
        Entry e = live(k);
        if (e == null) {
            return false;
        }
        remove(k, e);
        return true;
    }

    /**
     * @param key the key
     * @return the expiry time in milliseconds; {@link #NO_EXPIRY} for a key without one; -1 when the key does not exist
     */
    public long expiresAt(byte[] key) {
        Entry e = live(new StoreKey(key));
        if (e == null) {
            return -1;
        }
        return e.expiresAt;
    }

    /**
     * Sets or clears the expiry time of an existing key; a time not after {@link #now()} deletes the key at once.
     *
     * @param key       the key
     * @param expiresAt absolute milliseconds, or {@link #NO_EXPIRY} to make the key persistent
     * @return whether the key existed
     */
    public boolean expireAt(byte[] key, long expiresAt) {
        StoreKey k = new StoreKey(key);
        Entry e = live(k);
        if (e == null) {
            return false;
        }
        if (expiresAt != NO_EXPIRY && expiresAt <= now()) {
            remove(k, e);
        } else {
            setExpiry(k, e, expiresAt);
        }
        return true;
    }

    /** @return the number of keys, including expired ones not removed yet (as Redis' {@code DBSIZE}) */
    public int size() {
        return entries.size();
    }

    /** @return the number of keys that have an expiry time */
    public int expiringSize() {
        return expiring.size();
    }

    /** @return heap bytes held by keys, values and their entries */
    public long usedMemory() {
        return usedMemory;
    }

    /** @return keys removed because they expired, lazily or by a sweep, since the store was created */
    public long expiredKeys() {
        return expiredKeys;
    }

    /** Removes every key. */
    public void clear() {
        entries.clear();
        expiring.clear();
        sweepCursor = 0;
        usedMemory = 0;
    }

    /**
     * Looks at up to {@code budget} keys that have an expiry time, continuing where the last sweep stopped, and
     * removes those that have expired. Bounded work per call keeps the loop thread responsive however many keys
     * expire at once.
     *
     * @param budget the most keys to examine; positive
     * @return the number of keys removed
     */
    public int sweep(int budget) {
        long now = now();
        int removed = 0;
        for (int examined = 0; examined < budget && !expiring.isEmpty(); examined++) {
            if (sweepCursor >= expiring.size()) {
                sweepCursor = 0;
            }
            StoreKey k = expiring.get(sweepCursor);
            Entry e = entries.get(k);
            if (now > e.expiresAt) {
                // remove() moves the last key into this slot: look at the same index again.
                remove(k, e);
                expiredKeys++;
                removed++;
            } else {
                sweepCursor++;
            }
        }
        return removed;
    }

    private Entry live(StoreKey k) {
        Entry e = entries.get(k);
        if (e != null && e.expiresAt != NO_EXPIRY && now() > e.expiresAt) {
            remove(k, e);
            expiredKeys++;
            return null;
        }
        return e;
    }

    private void setExpiry(StoreKey k, Entry e, long expiresAt) {
        if (expiresAt == NO_EXPIRY) {
            if (e.expiringIndex >= 0) {
                unlinkExpiring(e);
            }
        } else if (e.expiringIndex < 0) {
            e.expiringIndex = expiring.size();
            expiring.add(k);
        }
        e.expiresAt = expiresAt;
    }

    private void remove(StoreKey k, Entry e) {
        entries.remove(k);
        usedMemory -= ENTRY_OVERHEAD + HeapSizes.byteArray(k.bytes().length) + HeapSizes.byteArray(e.value.length);
        if (e.expiringIndex >= 0) {
            unlinkExpiring(e);
        }
    }

    private void unlinkExpiring(Entry e) {
        int index = e.expiringIndex;
        int last = expiring.size() - 1;
        StoreKey moved = expiring.remove(last);
        if (index != last) {
            expiring.set(index, moved);
            entries.get(moved).expiringIndex = index;
        }
        e.expiringIndex = -1;
    }
}
