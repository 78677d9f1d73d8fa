package dev.asyncio.sample.kv;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class KeyValueStoreTest {

    private final AtomicLong clock = new AtomicLong(1000);
    private final KeyValueStore store = new KeyValueStore(clock::get);

    @Test
    void sweepRemovesExpiredKeysWithinItsBudget() {
        for (int i = 0; i < 100; i++) {
            store.set(key("e" + i), key("v"), 2000, false);
            store.set(key("p" + i), key("v"), KeyValueStore.NO_EXPIRY, false);
        }
        store.set(key("late"), key("v"), 10_000, false);
        clock.set(2001);
        int first = store.sweep(30);
        // Each sweep examines at most its budget, so it removes at most that many.
        assertThat(first).isBetween(1, 30);
        assertThat(store.size()).isEqualTo(201 - first);
        int removed = first;
        for (int sweeps = 0; store.expiringSize() > 1 && sweeps < 100; sweeps++) {
            removed += store.sweep(30);
        }
        assertThat(removed).isEqualTo(100);
        assertThat(store.size()).isEqualTo(101);
        assertThat(store.exists(key("late"))).isTrue();
        assertThat(store.expiredKeys()).isEqualTo(100);
    }

    @Test
    void memoryAccountingFollowsWritesAndDeletes() {
        store.set(key("k"), new byte[100], KeyValueStore.NO_EXPIRY, false);
        long one = store.usedMemory();
        // Arrays as the heap lays them out: a 16-byte header, padded to 8 bytes.
        assertThat(one).isEqualTo(KeyValueStore.ENTRY_OVERHEAD + 24 + 120);
        store.set(key("k"), new byte[10], KeyValueStore.NO_EXPIRY, false);
        assertThat(store.usedMemory()).isEqualTo(one - 120 + 32);
        store.delete(key("k"));
        assertThat(store.usedMemory()).isZero();
    }

    @Test
    void persistingAndReexpiringKeepsTheIndexConsistent() {
        store.set(key("a"), key("1"), 5000, false);
        store.set(key("b"), key("2"), 5000, false);
        store.set(key("c"), key("3"), 5000, false);
        store.expireAt(key("a"), KeyValueStore.NO_EXPIRY);
        store.delete(key("b"));
        assertThat(store.expiringSize()).isEqualTo(1);
        clock.set(6000);
        assertThat(store.sweep(10)).isEqualTo(1);
        assertThat(store.exists(key("a"))).isTrue();
        assertThat(store.size()).isEqualTo(1);
    }

    private static byte[] key(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
