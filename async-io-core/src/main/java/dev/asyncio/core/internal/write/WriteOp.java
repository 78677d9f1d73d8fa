package dev.asyncio.core.internal.write;

import dev.asyncio.core.BufferCallback;
import dev.asyncio.core.StateCallback;

import java.net.InetSocketAddress;

/**
 * One accepted write (or datagram send): the caller's range, how far it got, and whom to tell. A plain mutable
 * node, owned by the loop thread once queued and recycled through a {@link WriteOpPool}; its fields are public
 * because the stream and datagram flushes in other packages walk it on the hot path.
 */
public final class WriteOp {
    /** The caller's bytes; not copied. */
    public byte[] buf;
    /** First index of the range. */
    public int start;
    /** Next index to write. */
    public int pos;
    /** Index after the last. */
    public int end;
    /** {@code (state, buffer, count)} once written, or {@code null}. */
    public BufferCallback callback;
    /** Replaces {@link #callback} on an error, or {@code null}. */
    public BufferCallback errorCallback;
    /** {@code (state)} for a datagram send, or {@code null}. */
    public StateCallback sendCallback;
    /** Where a datagram goes on an unconnected UDP socket, else {@code null}. */
    public InetSocketAddress target;
    WriteOp next;

    /**
     * @param buf the bytes
     * @param start first index
     * @param end index after the last
     * @param callback told once written
     * @param errorCallback told on an error instead, or {@code null}
     */
    public WriteOp(byte[] buf, int start, int end, BufferCallback callback, BufferCallback errorCallback) {
        set(buf, start, end, callback, errorCallback);
    }

    void set(byte[] buf, int start, int end, BufferCallback callback, BufferCallback errorCallback) {
        this.buf = buf;
        this.start = start;
        this.pos = start;
        this.end = end;
        this.callback = callback;
        this.errorCallback = errorCallback;
    }

    /** @return bytes not yet written */
    public int remaining() {
        return end - pos;
    }

    void clear() {
        buf = null;
        callback = null;
        errorCallback = null;
        sendCallback = null;
        target = null;
        next = null;
    }
}
