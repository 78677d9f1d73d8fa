package dev.asyncio.core;

import java.net.InetSocketAddress;

/**
 * One accepted write (or datagram send): the caller's range, how far it got, and whom to tell. Loop thread only
 * once queued; recycled through the collection's free list.
 */
final class WriteOp {
    byte[] buf;
    int start;
    int pos;
    int end;
    BufferCallback callback;
    BufferCallback errorCallback;
    StateCallback sendCallback;
    InetSocketAddress target;
    WriteOp next;

    WriteOp(byte[] buf, int start, int end, BufferCallback callback, BufferCallback errorCallback) {
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

    void clear() {
        buf = null;
        callback = null;
        errorCallback = null;
        sendCallback = null;
        target = null;
        next = null;
    }
}
