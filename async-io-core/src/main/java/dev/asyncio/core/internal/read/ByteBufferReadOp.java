package dev.asyncio.core.internal.read;

import dev.asyncio.core.BufferCallback;
import dev.asyncio.core.ByteBufferCallback;
import dev.asyncio.core.IoStatus;
import dev.asyncio.core.internal.state.StateEngine;
import dev.asyncio.core.internal.transport.Transport;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A read into the caller's {@link ByteBuffer}, from its position to its limit: the transport reads straight into it
 * (no copy for a direct buffer on plain TCP). Either it fills the buffer (LispWorks {@code read-buffer} semantics)
 * or it calls back as soon as some bytes arrived ({@code readAvailable}). Input a read-with-checking left buffered is
 * used first.
 */
public final class ByteBufferReadOp implements ReadOperation {

    private final ReadSide side;
    private final StateEngine state;
    private ByteBuffer dst;
    private int startPosition;
    private boolean fill;
    private ByteBufferCallback callback;

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

    @Override
    public boolean completesAtOnce() {
        return !dst.hasRemaining();
    }

    @Override
    public void serveBuffered() {
        InputBuffer input = side.input();
        if (input.length() > 0 && dst.hasRemaining()) {
            takeBuffered(input);
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
        Transport transport = state.kind().stream("readBuffer", "receiveMessage").transport();
        try {
            while (dst.hasRemaining()) {
                int n = transport.read(dst);
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
        }
    }

    @Override
    public void timedOut() {
        complete(IoStatus.TIMEOUT, null);
    }

    private void complete(IoStatus status, Throwable cause) {
        ByteBuffer b = dst;
        int count = b.position() - startPosition;
        ByteBufferCallback cb = callback;
        side.ended(status, cause);
        state.context().invoker().call(cb, state.owner(), state.group(), b, count);
    }

    @Override
    public void abort(BufferCallback cb, boolean callBack) {
        int count = dst.position() - startPosition;
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
    }
}
