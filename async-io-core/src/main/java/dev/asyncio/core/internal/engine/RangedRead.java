package dev.asyncio.core.internal.engine;

import dev.asyncio.core.BufferCallback;
import dev.asyncio.core.IoStatus;

/**
 * A read into the caller's range {@code buffer[start, end)} (read-buffer, datagram receive): the range, how far it
 * got, the callback and the error callback, and the abort that hands the partial range to the abort callback.
 */
abstract class RangedRead implements ReadOperation {

    /** The state reading. */
    protected final StateEngine state;
    /** The caller's buffer; {@code null} between operations. */
    protected byte[] buf;
    /** First index of the range. */
    protected int start;
    /** Index after the last. */
    protected int end;
    /** Next index to fill. */
    protected int pos;
    private BufferCallback callback;
    private BufferCallback errorCallback;

    /** @param state the state reading */
    protected RangedRead(StateEngine state) {
        this.state = state;
    }

    /**
     * @param buffer the caller's buffer
     * @param from first index
     * @param to index after the last
     * @param cb told when it ends, or {@code null}
     * @param errorCb told on an error instead, or {@code null}
     */
    protected final void setRange(byte[] buffer, int from, int to, BufferCallback cb, BufferCallback errorCb) {
        buf = buffer;
        start = from;
        end = to;
        pos = from;
        callback = cb;
        errorCallback = errorCb;
    }

    /**
     * @param status how the operation ended
     * @return the callback to tell: the error callback for an error, if there is one
     */
    protected final BufferCallback callbackFor(IoStatus status) {
        return status == IoStatus.ERROR && errorCallback != null ? errorCallback : callback;
    }

    /** @return whether an error goes to an error callback */
    protected final boolean hasErrorCallback() {
        return errorCallback != null;
    }

    @Override
    public final void abort(BufferCallback cb, boolean callBack) {
        byte[] b = buf;
        int count = pos - start;
        state.read().end();
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
