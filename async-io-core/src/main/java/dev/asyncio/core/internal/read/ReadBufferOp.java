package dev.asyncio.core.internal.read;

import dev.asyncio.core.BufferCallback;
import dev.asyncio.core.IoStatus;
import dev.asyncio.core.internal.state.StateEngine;
import dev.asyncio.core.internal.transport.Transport;

import java.io.IOException;
import java.nio.ByteBuffer;

/** LispWorks {@code async-io-state-read-buffer}: fill the caller's range completely, then call back. */
public final class ReadBufferOp implements ReadOperation {

    private final ReadSide side;
    private final StateEngine state;
    private byte[] buf;
    private int start;
    private int end;
    private int pos;
    private BufferCallback callback;
    private BufferCallback errorCallback;

    ReadBufferOp(ReadSide side) {
        this.side = side;
        this.state = side.state();
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
        buf = buffer;
        start = from;
        end = to;
        pos = from;
        callback = cb;
        errorCallback = errorCb;
        return this;
    }

    @Override
    public boolean completesAtOnce() {
        return start == end;
    }

    @Override
    public void serveBuffered() {
        InputBuffer input = side.input();
        int n = Math.min(input.length(), end - pos);
        if (n > 0) {
            pos += input.take(buf, pos, pos + n);
        }
        if (pos == end) {
            complete(IoStatus.OK, null);
        } else if (state.kind().hasBufferedInput()) {
            readable();
        }
    }

    @Override
    public void readable() {
        Transport transport = state.kind().stream("readBuffer", "receiveMessage").transport();
        ByteBuffer d = state.loop().buffers().readDirect();
        try {
            while (pos < end) {
                d.clear();
                int want = Math.min(d.capacity(), end - pos);
                d.limit(want);
                int n = transport.read(d);
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
        BufferCallback cb = status == IoStatus.ERROR && errorCallback != null ? errorCallback : callback;
        side.ended(status, cause);
        state.call(cb, b, count);
    }

    @Override
    public void abort(BufferCallback cb, boolean callBack) {
        byte[] b = buf;
        int count = pos - start;
        side.end();
        if (callBack) {
            state.call(cb, b, count);
        }
    }

    @Override
    public void clear() {
        buf = null;
        callback = null;
        errorCallback = null;
    }
}
