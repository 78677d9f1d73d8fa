package dev.asyncio.core.internal.engine;

import dev.asyncio.core.BufferCallback;
import dev.asyncio.core.IoStatus;
import dev.asyncio.core.MessageCallback;
import dev.asyncio.core.MessageTruncatedException;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/** LispWorks {@code async-io-state-receive-message}: one datagram into the caller's range, with its sender. */
final class DatagramReceiveOp extends RangedRead {

    private final DatagramKind kind;
    private MessageCallback messageCallback;

    DatagramReceiveOp(StateEngine state, DatagramKind kind) {
        super(state);
        this.kind = kind;
    }

    /**
     * @param buffer the caller's buffer
     * @param from first index
     * @param to index after the last
     * @param cb {@code (state, buffer, count)}, or {@code null} when {@code messageCb} is given
     * @param messageCb {@code (state, buffer, count, sender)}, or {@code null}
     * @param errorCb told on an error instead, or {@code null}
     * @return this, to start
     */
    public DatagramReceiveOp set(byte[] buffer, int from, int to, BufferCallback cb, MessageCallback messageCb,
                                 BufferCallback errorCb) {
        setRange(buffer, from, to, cb, errorCb);
        messageCallback = messageCb;
        return this;
    }

    @Override
    public boolean completesAtOnce() {
        return false;
    }

    @Override
    public void serveBuffered() {
        // Datagrams are never buffered: wait for the socket.
    }

    @Override
    public void readable() {
        ByteBuffer d = state.loop().buffers().readDirect();
        SocketAddress from;
        try {
            d.clear();
            from = kind.socket().receive(d);
        } catch (IOException e) {
            complete(IoStatus.ERROR, e, null);
            return;
        }
        if (from == null) {
            return;
        }
        InetSocketAddress sender = (InetSocketAddress) from;
        if (kind.ignores(sender)) {
            return;
        }
        int n = d.position();
        d.flip();
        int room = end - start;
        int take = Math.min(n, room);
        d.get(buf, start, take);
        pos = start + take;
        state.counters().read(n);
        state.read().progressed();
        if (n > room) {
            complete(IoStatus.ERROR, new MessageTruncatedException(n, room), sender);
        } else {
            complete(IoStatus.OK, null, sender);
        }
    }

    @Override
    public void timedOut() {
        complete(IoStatus.TIMEOUT, null, null);
    }

    private void complete(IoStatus status, Throwable cause, InetSocketAddress sender) {
        byte[] b = buf;
        int count = pos - start;
        BufferCallback cb = callbackFor(status);
        MessageCallback messageCb = status == IoStatus.ERROR && hasErrorCallback() ? null : messageCallback;
        ReadSide side = state.read();
        side.ended(status, cause);
        if (messageCb != null) {
            state.context().invoker().call(messageCb, state.owner(), state.group(), b, count, sender);
        } else {
            state.call(cb, b, count);
        }
    }

    @Override
    public void clear() {
        super.clear();
        messageCallback = null;
    }
}
