package dev.asyncio.core.internal.codec;

import dev.asyncio.core.AsyncIoState;
import dev.asyncio.core.BuffersCallback;

import java.nio.ByteBuffer;

/**
 * One frame on its way out: the header and trailer buffers and the array of one gathering write, made once and
 * reused (from {@link FrameEncoder#take}), so a frame write allocates nothing in a steady state. The record is the
 * write's own callback: it calls the caller's callback, then clears itself and returns to the completing thread's
 * pool. The header is a small heap buffer: the socket's gathering write copies it through the JDK's cached
 * temporary direct buffer, which costs less than a direct buffer's allocation and cleaner for a record made off the
 * loop thread (such records end up in the loop's pool).
 *
 * <p>A record belongs to one write at a time: taken on the writing thread, handed back on the loop thread. A write
 * that is dropped without its callback (the state closed) leaves its record to the garbage collector.
 */
public final class FrameWrite implements BuffersCallback {
    private final FrameEncoder encoder;
    private final ByteBuffer header;
    private final ByteBuffer trailer;
    private final ByteBuffer[] buffers;
    private final int payloadIndex;
    private final boolean pooled;
    private BuffersCallback callback;
    /** The pool's link. */
    private FrameWrite next;

    /**
     * @param encoder whose header and trailer
     * @param pooled whether the record is reused
     */
    FrameWrite(FrameEncoder encoder, boolean pooled) {
        this.encoder = encoder;
        this.pooled = pooled;
        int h = encoder.headerLength();
        this.header = h == 0 ? null : ByteBuffer.allocate(h);
        ByteBuffer t = encoder.trailer();
        this.trailer = t == null ? null : t.duplicate();
        this.payloadIndex = header == null ? 0 : 1;
        this.buffers = new ByteBuffer[payloadIndex + 1 + (trailer == null ? 0 : 1)];
        if (header != null) {
            buffers[0] = header;
        }
        if (trailer != null) {
            buffers[buffers.length - 1] = trailer;
        }
    }

    /** @return the buffers to write, header first; the payload is one of them */
    public ByteBuffer[] buffers() {
        return buffers;
    }

    void fill(ByteBuffer payload, BuffersCallback cb) {
        if (header != null) {
            header.clear();
            encoder.putHeader(header, payload.remaining());
        }
        if (trailer != null) {
            trailer.clear();
        }
        buffers[payloadIndex] = payload;
        callback = cb;
    }

    /** The write completed: tells the caller, then returns to the pool of this (the loop) thread. */
    @Override
    public void call(AsyncIoState state, ByteBuffer[] written, long count) {
        BuffersCallback cb = callback;
        try {
            if (cb != null) {
                cb.call(state, written, count);
            }
        } finally {
            release();
        }
    }

    /** Returns the record unused (the write was refused) or done with. */
    public void release() {
        callback = null;
        buffers[payloadIndex] = null;
        if (pooled) {
            encoder.recycle(this);
        }
    }

    /** The free records of one thread: a bounded stack through {@link #next}. */
    static final class Pool {
        private FrameWrite top;
        private int size;

        FrameWrite poll() {
            FrameWrite w = top;
            if (w != null) {
                top = w.next;
                w.next = null;
                size--;
            }
            return w;
        }

        void offer(FrameWrite w) {
            if (size < FrameEncoder.POOLED_PER_THREAD) {
                w.next = top;
                top = w;
                size++;
            }
        }
    }
}
