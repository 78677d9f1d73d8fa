package dev.asyncio.sample.kv;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.asyncio.sample.kv.resp.HeapSizes;

/**
 * Measures the heap that the store's data really holds and compares it with {@link KeyValueStore#usedMemory()}, which
 * {@code sample.kv.max-memory} limits. Values of half a G1 region (1 MiB values with the 1 MiB regions of a 384 MB
 * heap) are the worst case: each takes a whole region, twice its length, and charging lengths let 64 MiB of them hold
 * 138 MB. The figures are printed ({@code kv data heap}).
 */
class KeyValueStoreHeapTest {

    /** A value of exactly half a region is humongous: its array (header included) takes a whole region. */
    private static final int HALF_REGION = (int) (HeapSizes.G1_REGION > 0 ? HeapSizes.G1_REGION / 2 : 1 << 20);

    @ParameterizedTest(name = "value length {0} (0 = half a G1 region)")
    @ValueSource(ints = {0, 65_536, 1_000})
    void maxMemoryChargesWhatTheHeapHolds(int length) {
        int valueLength = length == 0 ? HALF_REGION : length;
        int keys = (int) Math.max(16, Math.min(20_000, (64L << 20) / valueLength));
        KeyValueStore store = new KeyValueStore(System::currentTimeMillis);
        long before = usedHeapAfterGc();
        for (int i = 0; i < keys; i++) {
            store.set(("key:" + i).getBytes(), new byte[valueLength], KeyValueStore.NO_EXPIRY, false);
        }
        long real = usedHeapAfterGc() - before;
        long charged = store.usedMemory();
        double ratio = (double) charged / real;
        System.out.printf("kv data heap: %d values of %d B, real %d B/key, charged %d B/key, charged/real %.2f "
                + "(G1 region %d)%n", keys, valueLength, real / keys, charged / keys, ratio, HeapSizes.G1_REGION);
        assertThat(store.size()).isEqualTo(keys);
        assertThat(ratio).as("charged %d B vs real %d B", charged, real).isBetween(0.8, 1.2);
    }

    private static long usedHeapAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
