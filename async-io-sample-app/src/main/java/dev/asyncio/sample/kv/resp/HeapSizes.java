package dev.asyncio.sample.kv.resp;

import java.lang.management.ManagementFactory;

import com.sun.management.HotSpotDiagnosticMXBean;

/**
 * Heap bytes that arrays and lists really take on this JVM (HotSpot, 64-bit), so that memory budgets charge what
 * the heap retains rather than payload lengths: every array has a 16-byte header and is padded to 8 bytes, and a
 * reference takes 4 bytes with compressed oops (heaps under 32 GB, the default) or 8 without.
 * {@code PendingRequestHeapTest} checks the figures against the measured heap.
 */
public final class HeapSizes {

    /** Bytes of a reference: 4 with compressed oops, 8 without. */
    public static final int REFERENCE = compressedOops() ? 4 : 8;
    /** Header of an array: mark word, compressed class pointer, length. */
    public static final int ARRAY_HEADER = 16;
    /** A {@code java.util.ArrayList} without its element array: header, size, modCount, the array reference. */
    public static final int ARRAY_LIST = align(12 + 4 + 4 + REFERENCE);

    private HeapSizes() {
    }

    /**
     * @param length elements
     * @return heap bytes of a {@code byte[]} of that length
     */
    public static long byteArray(long length) {
        return align(ARRAY_HEADER + length);
    }

    /**
     * @param length elements
     * @return heap bytes of an {@code Object[]} of that length
     */
    public static long referenceArray(long length) {
        return align(ARRAY_HEADER + length * REFERENCE);
    }

    private static int align(int bytes) {
        return (bytes + 7) & ~7;
    }

    private static long align(long bytes) {
        return (bytes + 7) & ~7L;
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
