package dev.asyncio.core.internal.engine;

import dev.asyncio.core.BufferCallback;
import dev.asyncio.core.IoStatus;
import dev.asyncio.core.internal.transport.Transport;

import java.io.IOException;
import java.nio.ByteBuffer;

/** LispWorks {@code async-io-state-read-buffer}: fill the caller's range completely, then call back. */
final class ReadBufferOp extends RangedRead {

    private final ReadSide side;

    ReadBufferOp(ReadSide side) {
        super(side.state());
        this.side = side;
    }

    /**
     * @param buffer the caller's buffer
     * @param from first index
     * @param to index after the last
     * @param cb told once full (or ended early)
     * @param errorCb told on an error instead, or {@code null}
     * @return this, to start
     */
    public ReadBufferOp set(byte[] buffer, int from, int to, BufferCallback cb, BufferCallback errorCb) {
        setRange(buffer, from, to, cb, errorCb);
        return this;
    }

    @Override
    public boolean completesAtOnce() {
        return start == end;
    }

    @Override
    public void serveBuffered() {
        int n = Math.min(side.inputLength(), end - pos);
        if (n > 0) {
            pos += side.input().take(buf, pos, pos + n);
        }
        if (pos == end) {
            complete(IoStatus.OK, null);
        } else if (state.kind().hasBufferedInput()) {
            readable();
        }
    }

    @Override
    public void readable() {
        Transport transport = state.kind().transport("readBuffer", "receiveMessage");
        ByteBuffer d = state.loop().buffers().readDirect();
        try {
            while (pos < end) {
                d.clear();
                int want = Math.min(d.capacity(), end - pos);
                d.limit(want);
                int n = transport.read(d);
                side.socketRead(n, want);
                if (n < 0) {
                    complete(IoStatus.EOF, null);
                    return;
                }
                if (n == 0) {
                    return;
                }
                d.flip();
                d.get(buf, pos, n);
                pos += n;
                state.counters().read(n);
                side.progressed();
                if (n < want) {
                    break;
                }
            }
        } catch (IOException e) {
            complete(IoStatus.ERROR, e);
            return;
        }
        if (pos == end) {
            complete(IoStatus.OK, null);
        }
    }

    @Override
    public void timedOut() {
        complete(IoStatus.TIMEOUT, null);
    }

    private void complete(IoStatus status, Throwable cause) {
        byte[] b = buf;
        int count = pos - start;
        BufferCallback cb = callbackFor(status);
        side.ended(status, cause);
        state.call(cb, b, count);
    }
}
