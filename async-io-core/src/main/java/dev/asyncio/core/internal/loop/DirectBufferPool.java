package dev.asyncio.core.internal.loop;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Direct buffers of one size for one loop, kept for reuse up to a bound (Netty's pooled allocator in miniature: one
 * size class, no arenas). A buffer beyond the bound is allocated on demand and left to the garbage collector when
 * released, so a burst never pins memory for good. Any thread: a loop's handlers use it from the loop thread, where
 * the lock is never contended.
 */
public final class DirectBufferPool {

    private final int bufferSize;
    private final int maxPooled;
    private final ArrayDeque<ByteBuffer> free;
    private long allocated;

    /**
     * @param bufferSize the capacity of every buffer
     * @param maxPooled how many released buffers are kept at most
     */
    public DirectBufferPool(int bufferSize, int maxPooled) {
        this.bufferSize = bufferSize;
        this.maxPooled = maxPooled;
        this.free = new ArrayDeque<>(Math.min(maxPooled, 64));
    }

    /** @return a cleared direct buffer of {@link #bufferSize()} bytes, pooled when one is free */
    public synchronized ByteBuffer acquire() {
        ByteBuffer b = free.pollLast();
        if (b == null) {
            allocated++;
            return ByteBuffer.allocateDirect(bufferSize);
        }
        return b.clear();
    }

    /**
     * @param buffer a buffer from {@link #acquire()}, no longer used by anyone
     * @throws IllegalArgumentException if it did not come from a pool of this size, or it was released already
     */
    public synchronized void release(ByteBuffer buffer) {
        if (!buffer.isDirect() || buffer.capacity() != bufferSize || buffer.isReadOnly()) {
            throw new IllegalArgumentException("release takes the direct " + bufferSize + "-byte buffers of acquire(), "
                    + "got " + buffer);
        }
        for (ByteBuffer b : free) {
            if (b == buffer) {
                throw new IllegalArgumentException("buffer released twice: " + buffer);
            }
        }
        if (free.size() < maxPooled) {
            free.addLast(buffer);
        }
    }

    /** @return the capacity of every buffer */
    public int bufferSize() {
        return bufferSize;
    }

    /** @return how many released buffers are kept at most */
    public int maxPooled() {
        return maxPooled;
    }

    /** @return how many buffers wait for reuse */
    public synchronized int pooled() {
        return free.size();
    }

    /** @return how many buffers were allocated so far (pooled ones are not counted again) */
    public synchronized long allocated() {
        return allocated;
    }
}
