package dev.asyncio.core;

import dev.asyncio.core.internal.loop.DirectBufferPool;

import java.nio.ByteBuffer;

/**
 * A collection's pool of direct buffers, all of one size ({@link WaitStateCollection.Builder#bufferPool}: 64 KiB by
 * default, at most 64 kept), for handlers that read into and write from direct buffers without allocating: an echo
 * or a proxy reads with {@link AsyncIoState#readPooled} (which takes a buffer only once bytes are there) or with
 * {@link AsyncIoState#readAvailable} into an {@link #acquire() acquired} buffer, writes it
 * with {@link AsyncIoState#writeBuffer(ByteBuffer, ByteBufferCallback)} and {@link #release releases} it in the
 * write's callback. The pool is bounded: beyond {@link #maxPooled()} free buffers a released one is left to the
 * garbage collector.
 *
 * <p><b>Ownership.</b> An acquired buffer is the caller's until it releases it, once, and must not be used after
 * that. Don't release a buffer an operation still owns (before its callback ran). A write that a close or an abort drops
 * never calls back, so the buffer it held is not released: it is left to the garbage collector and the pool
 * allocates a fresh one when it runs short ({@link #allocated()} counts them); the pool stays bounded either way. Callable from any thread; meant
 * for the loop thread, where it never contends.
 */
public final class BufferPool {

    private final DirectBufferPool pool;

    BufferPool(DirectBufferPool pool) {
        this.pool = pool;
    }

    /** @return the engine's pool, for {@link AsyncIoState#readPooled} */
    DirectBufferPool engine() {
        return pool;
    }

    /** @return a cleared direct buffer of {@link #bufferSize()} bytes, from the pool when one is free */
    public ByteBuffer acquire() {
        return pool.acquire();
    }

    /**
     * Gives a buffer back for reuse. Release each acquired buffer once, the buffer object itself: the pool keeps no
     * record of the buffers it handed out (that would pin the ones a dropped write leaves to the garbage
     * collector), so it catches a second release only while the buffer still waits in the pool. A second release
     * after the buffer was acquired again, or the release of a {@code duplicate()} or {@code slice()} of a pooled
     * buffer, looks like a correct one and would give the memory two owners.
     *
     * @param buffer a buffer from {@link #acquire()} that nothing uses any more
     * @throws IllegalArgumentException if it is not a direct, writable buffer of this pool's size, or it waits in
     *     the pool already (released twice)
     */
    public void release(ByteBuffer buffer) {
        java.util.Objects.requireNonNull(buffer, "buffer");
        pool.release(buffer);
    }

    /** @return the capacity of every buffer */
    public int bufferSize() {
        return pool.bufferSize();
    }

    /** @return how many released buffers are kept at most */
    public int maxPooled() {
        return pool.maxPooled();
    }

    /** @return how many buffers wait for reuse now */
    public int pooled() {
        return pool.pooled();
    }

    /** @return how many buffers the pool has allocated so far: flat in a steady state */
    public long allocated() {
        return pool.allocated();
    }
}
