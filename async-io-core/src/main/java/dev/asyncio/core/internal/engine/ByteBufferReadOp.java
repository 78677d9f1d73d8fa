package dev.asyncio.core.internal.engine;

import dev.asyncio.core.BufferCallback;
import dev.asyncio.core.ByteBufferCallback;
import dev.asyncio.core.IoStatus;
import dev.asyncio.core.internal.loop.DirectBufferPool;
import dev.asyncio.core.internal.read.InputBuffer;
import dev.asyncio.core.internal.transport.Transport;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A read into the caller's {@link ByteBuffer}, from its position to its limit: the transport reads straight into it
 * (no copy for a direct buffer on plain TCP). Either it fills the buffer (LispWorks {@code read-buffer} semantics)
 * or it calls back as soon as some bytes arrived ({@code readAvailable}). Input a read-with-checking left buffered is
 * used first.
 *
 * <p>The pooled variant ({@code readPooled}) has no buffer until bytes are there: it takes one from the loop's
 * {@link DirectBufferPool} only when the socket is readable (or input waits in memory), so an idle connection holds
 * none; a wake-up that finds nothing gives it straight back.
 */
final class ByteBufferReadOp implements ReadOperation {

    private final ReadSide side;
    private final StateEngine state;
    private ByteBuffer dst;
    private int startPosition;
    private boolean fill;
    private ByteBufferCallback callback;
    /** The pool of the pooled variant, else {@code null}. */
    private DirectBufferPool pool;

    ByteBufferReadOp(ReadSide side) {
        this.side = side;
        this.state = side.state();
    }

    /**
     * @param buffer the caller's buffer
     * @param fillIt whether to fill it completely, or call back after the first bytes
     * @param cb told when it ends
     * @return this, to start
     */
    public ByteBufferReadOp set(ByteBuffer buffer, boolean fillIt, ByteBufferCallback cb) {
        dst = buffer;
        startPosition = buffer.position();
        fill = fillIt;
        callback = cb;
        return this;
    }

    /**
     * @param from the pool the buffer comes from once bytes are there
     * @param cb told when it ends, with the buffer (the callback's to release), or {@code null} if no byte came
     * @return this, to start
     */
    public ByteBufferReadOp setPooled(DirectBufferPool from, ByteBufferCallback cb) {
        dst = null;
        startPosition = 0;
        fill = false;
        callback = cb;
        pool = from;
        return this;
    }

    @Override
    public boolean completesAtOnce() {
        return pool == null && !dst.hasRemaining();
    }

    /** The pooled variant takes its buffer now that bytes are there. */
    private void takeBuffer() {
        if (dst == null) {
            dst = pool.acquire();
            startPosition = 0;
        }
    }

    @Override
    public void serveBuffered() {
        if (pool != null && side.inputLength() > 0) {
            takeBuffer();
        }
        if (dst == null) {
            readable();
            return;
        }
        if (side.inputLength() > 0 && dst.hasRemaining()) {
            takeBuffered(side.input());
        }
        if (!dst.hasRemaining() || (!fill && dst.position() > startPosition)) {
            complete(IoStatus.OK, null);
        } else if (state.kind().hasBufferedInput()) {
            readable();
        }
    }

    /** Rare (input left by a read-with-checking or a TLS detach): through the loop's scratch array. */
    private void takeBuffered(InputBuffer input) {
        byte[] scratch = state.loop().buffers().checkingScratch();
        while (input.length() > 0 && dst.hasRemaining()) {
            int n = input.take(scratch, 0, Math.min(scratch.length, dst.remaining()));
            dst.put(scratch, 0, n);
        }
    }

    @Override
    public void readable() {
        Transport transport = state.kind().transport("readBuffer", "receiveMessage");
        if (pool != null) {
            takeBuffer();
        }
        try {
            while (dst.hasRemaining()) {
                int room = dst.remaining();
                int n = transport.read(dst);
                side.socketRead(n, room);
                if (n < 0) {
                    complete(IoStatus.EOF, null);
                    return;
                }
                if (n == 0) {
                    break;
                }
                state.counters().read(n);
                side.progressed();
                if (!fill) {
                    break;
                }
            }
        } catch (IOException e) {
            complete(IoStatus.ERROR, e);
            return;
        }
        if (!dst.hasRemaining() || (!fill && dst.position() > startPosition)) {
            complete(IoStatus.OK, null);
        } else if (pool != null && dst.position() == 0) {
            // Woken for nothing: an idle connection holds no buffer.
            pool.release(dst);
            dst = null;
        }
    }

    @Override
    public void timedOut() {
        complete(IoStatus.TIMEOUT, null);
    }

    private void complete(IoStatus status, Throwable cause) {
        ByteBuffer b = dst;
        int count = b == null ? 0 : b.position() - startPosition;
        if (pool != null && b != null && count == 0) {
            // Nothing read (EOF, timeout, error): the callback gets no buffer to release.
            pool.release(b);
            b = null;
        }
        ByteBufferCallback cb = callback;
        side.ended(status, cause);
        state.context().invoker().call(cb, state.owner(), state.group(), b, count);
    }

    @Override
    public void abort(BufferCallback cb, boolean callBack) {
        int count = dst == null ? 0 : dst.position() - startPosition;
        if (pool != null && dst != null) {
            pool.release(dst);
        }
        side.end();
        if (callBack) {
            // The abort callback takes arrays: a ByteBuffer read hands it no buffer, only the count.
            state.call(cb, null, count);
        }
    }

    @Override
    public void clear() {
        dst = null;
        callback = null;
        pool = null;
    }
}
