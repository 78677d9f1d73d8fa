package dev.asyncio.bench.server;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Output arrays for the echo handlers of one collection, in power-of-two size classes from 64 B to 64 KiB (bigger
 * requests get an exact array that is not pooled). Connections borrow an array for one write and return it from the
 * write callback, so an idle connection holds no array and steady-state echo allocates nothing.
 *
 * <p>Loop-thread only, like everything a collection's callbacks touch: one pool per collection, no locking.
 */
public final class EchoBufferPool {

    private static final int MIN_SHIFT = 6;
    private static final int MAX_SHIFT = 16;

    private final List<ArrayDeque<byte[]>> classes = new ArrayList<>();

    /** Creates an empty pool. */
    public EchoBufferPool() {
        for (int shift = MIN_SHIFT; shift <= MAX_SHIFT; shift++) {
            classes.add(new ArrayDeque<>());
        }
    }

    /**
     * @param n the bytes needed
     * @return an array of at least {@code n} bytes, pooled when it is at most 64 KiB
     */
    byte[] take(int n) {
        int shift = Math.max(MIN_SHIFT, 32 - Integer.numberOfLeadingZeros(Math.max(1, n - 1)));
        if (shift > MAX_SHIFT) {
            return new byte[n];
        }
        byte[] b = classes.get(shift - MIN_SHIFT).poll();
        return b != null ? b : new byte[1 << shift];
    }

    /** @param b an array from {@link #take}; odd sizes are dropped */
    void give(byte[] b) {
        int shift = 31 - Integer.numberOfLeadingZeros(b.length);
        if (b.length == 1 << shift && shift >= MIN_SHIFT && shift <= MAX_SHIFT) {
            classes.get(shift - MIN_SHIFT).push(b);
        }
    }
}
