package dev.asyncio.sample.kv;

import dev.asyncio.sample.kv.resp.HeapSizes;

/**
 * Follows the capacity of the array in which the core keeps a kv connection's undiscarded input, because that array,
 * not the bytes in it, is what the heap retains: it grows by doubling (from 1 KiB), so a request that waits with
 * 600 KB in it holds a 1 MiB array, and one whose 1 MiB value is all there holds 2 MiB. Charging only the bytes
 * undercounted the heap by up to 2x (more for small requests: a 50-byte remainder holds a 1 KiB array).
 *
 * <p>What the read-with-checking callback presents tells the capacity: once input was kept, the next callback is
 * handed the state's own array ({@code buffer.length} is exact); when nothing was kept, it is handed the loop's shared
 * scratch array, and what is left is copied into an array of at least 1 KiB, the way the core's input buffer does.
 *
 * <p>Loop thread only, one per connection.
 */
final class InputBufferModel {

    /** The core's first input array (InputBuffer.INITIAL); its growth doubles from here. */
    static final int INITIAL = 1024;
    /** The core drops an emptied array above this size and keeps smaller ones (InputBuffer.KEEP_AT_MOST). */
    static final int KEEP_AT_MOST = 4096;

    private int keptBefore;
    private int capacity;

    /**
     * Records one callback.
     *
     * @param presented the array the callback was given
     * @param left      the bytes left undiscarded when it returned
     */
    void presented(byte[] presented, int left) {
        if (keptBefore > 0) {
            // The core presented its own array, which it keeps: its length is the capacity.
            capacity = presented.length;
        } else if (left > 0) {
            // The loop's scratch array was presented; the core copies what is left into its own array.
            capacity = capacity == 0 ? Math.max(left, INITIAL)
                    : capacity >= left ? capacity : Math.max(left, 2 * capacity);
        }
        if (left == 0 && capacity > KEEP_AT_MOST) {
            capacity = 0;
        }
        keptBefore = left;
    }

    /** @return heap bytes of the input array while it holds input, 0 when it holds none */
    long heapBytes() {
        return keptBefore > 0 ? HeapSizes.byteArray(capacity) : 0;
    }
}
