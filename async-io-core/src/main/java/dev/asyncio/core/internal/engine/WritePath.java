package dev.asyncio.core.internal.engine;

import dev.asyncio.core.BufferCallback;
import dev.asyncio.core.IoStatus;
import dev.asyncio.core.OperationOptions;
import dev.asyncio.core.StateCallback;
import dev.asyncio.core.StateOptions;
import dev.asyncio.core.internal.loop.EventLoop;
import dev.asyncio.core.internal.loop.Timeouts;
import dev.asyncio.core.internal.memory.MemoryAccount;
import dev.asyncio.core.internal.write.OutboundQueue;
import dev.asyncio.core.internal.write.WriteOp;

import java.nio.channels.SelectionKey;

/**
 * The write direction of one state around its {@link OutboundQueue}: accepting writes on the caller's thread,
 * queueing them on the loop, the write idle timeout, the writability callback, and the callbacks of completed
 * writes. Loop thread, except {@link #writeBuffer} and {@link #claimWrite}.
 */
public final class WritePath implements OutboundQueue.Listener {

    private final StateEngine state;
    private final EventLoop loop;
    private final OutboundQueue out;
    /** Null until set: then it replaces the options' writability callback for this state. */
    private volatile StateCallback writabilityCallback;
    private long lastProgress;
    private StateTimer timeout;

    WritePath(StateEngine state, StateOptions options, MemoryAccount memory) {
        this.state = state;
        this.loop = state.loop();
        this.out = new OutboundQueue(options, options.queueOutput(), this, state.owner(), memory);
    }

    /** @return the queue */
    public OutboundQueue queue() {
        return out;
    }

    /** @param callback replaces the options' writability callback; {@code null} = back to it */
    public void writabilityCallback(StateCallback callback) {
        writabilityCallback = callback;
    }

    /**
     * Accepts a write on the caller's thread and queues it to the loop (LispWorks
     * {@code async-io-state-write-buffer}).
     *
     * @param buffer the bytes
     * @param start first index
     * @param end index after the last
     * @param callback told once written, or {@code null}
     * @param options sticky options and the error callback
     */
    public void writeBuffer(byte[] buffer, int start, int end, BufferCallback callback, OperationOptions options) {
        state.kind().transport("writeBuffer", "sendMessage or sendMessageToAddress");
        state.requireUsable("writeBuffer");
        state.requireNotExclusive("writeBuffer");
        claimWrite("writeBuffer", end - start, options);
        if (loop.inLoopThread()) {
            enqueue(state.context().writeOps().take(buffer, start, end, callback, options.errorCallback()));
        } else {
            WriteOp op = new WriteOp(buffer, start, end, callback, options.errorCallback());
            loop.submit(() -> enqueue(op));
        }
    }

    /**
     * @param what the operation, for messages
     * @param length bytes to claim
     * @param options the operation's sticky options
     */
    public void claimWrite(String what, int length, OperationOptions options) {
        out.claim(what, length);
        state.settings().applyWriteOptions(options);
    }

    /**
     * As {@link #claimWrite(String, int, OperationOptions)} for a file send, whose bytes are not in memory.
     *
     * @param what the operation, for messages
     * @param length the file's bytes to claim
     * @param options the operation's sticky options
     */
    public void claimFileWrite(String what, long length, OperationOptions options) {
        out.claimFile(what, length);
        state.settings().applyWriteOptions(options);
    }

    /** @param op a claimed write; loop thread */
    public void enqueue(WriteOp op) {
        if (!state.isOpen()) {
            return;
        }
        if (out.enqueue(op)) {
            state.status().writeStarted();
            lastProgress = loop.now();
            long t = state.settings().writeTimeoutNanos();
            if (t != Timeouts.NONE) {
                if (timeout == null) {
                    timeout = new StateTimer(state) {
                        @Override
                        protected void fire(long now) {
                            timedOut(now);
                        }
                    };
                }
                long due = lastProgress + t;
                if (!timeout.isScheduled() || timeout.deadline() - due > 0) {
                    // One due no later (left by idle()) stays: timedOut() moves it on when it fires early, so a
                    // write per message costs no update of the loop's timer heap.
                    loop.deadlines().schedule(timeout, due);
                }
            }
        }
        state.markFlushReady();
    }

    /**
     * Ends every queued write with {@code status}: the stream is unusable after a failed or stalled write.
     *
     * @param status how they failed
     * @param cause the failure, or {@code null}
     */
    public void failAll(IoStatus status, Throwable cause) {
        state.status().writeFailed(status, cause);
        idle();
        out.failAll(status, cause);
        state.outputDrained();
    }

    /**
     * Nothing waits to be written: stop selecting for writes. The write timeout of an open state stays scheduled for
     * the next write (it does nothing if it fires with nothing queued); a closed state's is cancelled, so the loop's
     * timer heap holds no closed state.
     */
    public void idle() {
        state.setInterest(SelectionKey.OP_WRITE, false);
        if (timeout != null && !state.isOpen()) {
            loop.deadlines().cancel(timeout);
        }
    }

    private void timedOut(long now) {
        long t = state.settings().writeTimeoutNanos();
        if (out.isEmpty() || t == Timeouts.NONE) {
            return;
        }
        long due = lastProgress + t;
        if (due - now > 0) {
            loop.deadlines().schedule(timeout, due);
            return;
        }
        failAll(IoStatus.TIMEOUT, null);
    }

    @Override
    public void writabilityChanged() {
        if (!state.isOpen()) {
            // Closed (perhaps with its collection): nobody is told any more, and nothing may be queued.
            return;
        }
        StateCallback own = writabilityCallback;
        StateCallback cb = own != null ? own : state.options().writabilityCallback();
        if (cb != null) {
            loop.submit(() -> {
                if (state.isOpen()) {
                    state.call(cb);
                }
            });
        }
    }

    @Override
    public void written(int bytes) {
        state.counters().written(bytes);
        lastProgress = loop.now();
    }

    @Override
    public void flushEnded(boolean pending) {
        if (pending || state.kind().hasPendingOutput()) {
            state.setInterest(SelectionKey.OP_WRITE, true);
        } else {
            idle();
        }
    }

    @Override
    public void completed(WriteOp op, IoStatus status, Throwable cause) {
        if (!state.isOpen()) {
            // A callback closed the state: the writes completed in the same pass get no callback after close.
            state.context().writeOps().recycle(op);
            return;
        }
        if (!op.isBytes()) {
            BufferWrites.completed(state, op, status);
            return;
        }
        byte[] buf = op.buf;
        int count = op.pos - op.start;
        BufferCallback cb = status == IoStatus.ERROR && op.errorCallback != null ? op.errorCallback : op.callback;
        StateCallback sendCb = op.sendCallback;
        state.context().writeOps().recycle(op);
        if (sendCb != null && cb == null) {
            state.call(sendCb);
        } else {
            state.call(cb, buf, count);
        }
    }
}
