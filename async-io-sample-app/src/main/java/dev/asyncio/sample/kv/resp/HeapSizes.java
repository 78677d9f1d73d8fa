package dev.asyncio.sample.kv.resp;

import java.lang.management.ManagementFactory;

import com.sun.management.HotSpotDiagnosticMXBean;

/**
 * Heap bytes that arrays and lists really take on this JVM (HotSpot, 64-bit), so that memory budgets charge what
 * the heap retains rather than payload lengths: every array has a 16-byte header and is padded to 8 bytes, and a
 * reference takes 4 bytes with compressed oops (heaps under 32 GB, the default) or 8 without.
 *
 * <p>Large arrays cost more than their length under G1 (the default collector): an object of half a heap region or
 * more is "humongous" and gets whole regions of its own, so its cost is its size rounded up to the region size. With
 * the 1 MiB regions of a 384 MB heap a 1 MiB value (1 MiB + 16 bytes) takes two regions, 2 MiB; with 4 MiB regions
 * a 2 MiB array takes 4 MiB. {@code PendingRequestHeapTest} and {@code KeyValueStoreHeapTest} check the figures
 * against the measured heap.
 */
public final class HeapSizes {

    /** Bytes of a reference: 4 with compressed oops, 8 without. */
    public static final int REFERENCE = compressedOops() ? 4 : 8;
    /** Header of an array: mark word, compressed class pointer, length. */
    public static final int ARRAY_HEADER = 16;
    /** A {@code java.util.ArrayList} without its element array: header, size, modCount, the array reference. */
    public static final int ARRAY_LIST = align(12 + 4 + 4 + REFERENCE);
    /** G1's heap region size in bytes; 0 with another collector (no humongous rounding then). */
    public static final long G1_REGION = g1RegionSize();

    private HeapSizes() {
    }

    /**
     * @param length elements
     * @return heap bytes of a {@code byte[]} of that length
     */
    public static long byteArray(long length) {
        return humongous(align(ARRAY_HEADER + length));
    }

    /**
     * @param length elements
     * @return heap bytes of an {@code Object[]} of that length
     */
    public static long referenceArray(long length) {
        return humongous(align(ARRAY_HEADER + length * REFERENCE));
    }

    /**
     * @param bytes an object's size
     * @return what the heap gives it: under G1, an object of half a region or more gets whole regions
     */
    static long humongous(long bytes) {
        if (G1_REGION > 0 && bytes >= G1_REGION / 2) {
            return (bytes + G1_REGION - 1) / G1_REGION * G1_REGION;
        }
        return bytes;
    }

    private static int align(int bytes) {
        return (bytes + 7) & ~7;
    }

    private static long align(long bytes) {
        return (bytes + 7) & ~7L;
    }

    private static long g1RegionSize() {
        try {
            HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            if (!Boolean.parseBoolean(vm.getVMOption("UseG1GC").getValue())) {
                return 0;
            }
            return Long.parseLong(vm.getVMOption("G1HeapRegionSize").getValue());
        } catch (RuntimeException | LinkageError notHotSpot) {
            return 0;
        }
    }

    private static boolean compressedOops() {
        try {
            return Boolean.parseBoolean(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .getVMOption("UseCompressedOops").getValue());
        } catch (RuntimeException | LinkageError notHotSpot) {
            // Not HotSpot or no management: assume the common case, a heap under 32 GB.
            return true;
        }
    }
}
