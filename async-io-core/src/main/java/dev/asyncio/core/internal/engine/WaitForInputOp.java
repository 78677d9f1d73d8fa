package dev.asyncio.core.internal.engine;

import dev.asyncio.core.BufferCallback;
import dev.asyncio.core.IoStatus;
import dev.asyncio.core.StateCallback;

/** LispWorks {@code async-io-state-wait-for-input}: call back once input is available, without reading it. */
final class WaitForInputOp implements ReadOperation {

    private final ReadSide side;
    private StateCallback callback;

    WaitForInputOp(ReadSide side) {
        this.side = side;
    }

    /**
     * @param cb told once input is available (or on timeout)
     * @return this, to start
     */
    public WaitForInputOp set(StateCallback cb) {
        callback = cb;
        return this;
    }

    @Override
    public boolean completesAtOnce() {
        return false;
    }

    @Override
    public void serveBuffered() {
        complete(IoStatus.OK);
    }

    @Override
    public void readable() {
        complete(IoStatus.OK);
    }

    @Override
    public void timedOut() {
        complete(IoStatus.TIMEOUT);
    }

    private void complete(IoStatus status) {
        StateCallback cb = callback;
        side.ended(status, null);
        side.state().call(cb);
    }

    @Override
    public void abort(BufferCallback cb, boolean callBack) {
        side.end();
        if (callBack) {
            side.state().call(cb, null, 0);
        }
    }

    @Override
    public void clear() {
        callback = null;
    }
}
