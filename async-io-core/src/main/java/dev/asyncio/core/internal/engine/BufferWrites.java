package dev.asyncio.core.internal.engine;

import dev.asyncio.core.BuffersCallback;
import dev.asyncio.core.ByteBufferCallback;
import dev.asyncio.core.FileSendCallback;
import dev.asyncio.core.IoStatus;
import dev.asyncio.core.OperationOptions;
import dev.asyncio.core.internal.loop.EventLoop;
import dev.asyncio.core.internal.write.WriteOp;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * The {@link ByteBuffer} and file writes of a stream state: each is one {@link WriteOp} in the same
 * {@link dev.asyncio.core.internal.write.OutboundQueue} as the {@code byte[]} writes, so all of them go out in FIFO
 * order under the same claim, limits, water marks and timeouts. A heap buffer is gathered like an array; a direct
 * buffer, a gathering write and a file are written by the transport from the caller's own memory.
 */
public final class BufferWrites {

    private BufferWrites() {
    }

    /**
     * Accepts a single-buffer write on the caller's thread and queues it.
     *
     * @param state the state
     * @param src the caller's buffer, from its position to its limit
     * @param callback told once written, or {@code null}
     * @param options sticky options
     */
    public static void write(StateEngine state, ByteBuffer src, ByteBufferCallback callback, OperationOptions options) {
        start(state, "writeBuffer");
        int length = src.remaining();
        state.output().claimWrite("writeBuffer", length, options);
        WriteOp op = take(state);
        op.one = src;
        op.bufferCallback = callback;
        if (src.hasArray() && !src.isReadOnly()) {
            // Gathered with the byte[] writes around it: small messages still share one system call.
            op.buf = src.array();
            op.start = src.arrayOffset() + src.position();
            op.end = op.start + length;
        } else {
            op.direct = true;
            op.start = 0;
            op.end = length;
        }
        op.pos = op.start;
        submit(state, op);
    }

    /**
     * Accepts a gathering write on the caller's thread and queues it.
     *
     * @param state the state
     * @param srcs the caller's buffers
     * @param total their remaining bytes, checked by the caller
     * @param callback told once written, or {@code null}
     * @param options sticky options
     */
    public static void write(StateEngine state, ByteBuffer[] srcs, int total, BuffersCallback callback,
                             OperationOptions options) {
        start(state, "writeBuffers");
        state.output().claimWrite("writeBuffers", total, options);
        WriteOp op = take(state);
        op.many = srcs;
        op.buffersCallback = callback;
        op.direct = true;
        op.start = 0;
        op.pos = 0;
        op.end = total;
        submit(state, op);
    }

    /**
     * Accepts a file send on the caller's thread and queues it.
     *
     * @param state the state
     * @param file the file
     * @param position where to start in it
     * @param count how many bytes
     * @param callback told with the bytes written
     * @param options sticky options
     */
    public static void sendFile(StateEngine state, FileChannel file, long position, long count,
                                FileSendCallback callback, OperationOptions options) {
        start(state, "sendFile");
        // A file's bytes are not in memory: only the write record is charged to the budget.
        state.output().claimFileWrite("sendFile", count, options);
        WriteOp op = take(state);
        op.file = file;
        op.filePosition = position;
        op.fileCallback = callback;
        op.direct = true;
        op.firstFileWindow(count);
        submit(state, op);
    }

    private static void start(StateEngine state, String what) {
        state.kind().transport(what, "sendMessage or sendMessageToAddress");
        state.requireUsable(what);
        state.requireNotExclusive(what);
    }

    private static WriteOp take(StateEngine state) {
        // The pool is the loop thread's: another thread makes a fresh record, as the byte[] write does.
        return state.loop().inLoopThread() ? state.context().writeOps().takeEmpty()
                : new WriteOp(null, 0, 0, null, null);
    }

    private static void submit(StateEngine state, WriteOp op) {
        EventLoop loop = state.loop();
        if (loop.inLoopThread()) {
            state.output().enqueue(op);
        } else {
            loop.submit(() -> state.output().enqueue(op));
        }
    }

    /**
     * Completes a ByteBuffer or file write: hands the caller's buffers back (a gathered heap buffer's position moves
     * past what was written now), recycles the record, then runs the callback; loop thread.
     *
     * @param state the state
     * @param op the write, off the queue
     * @param status how it ended (the callback reads the state's write status)
     */
    static void completed(StateEngine state, WriteOp op, IoStatus status) {
        long written = op.written();
        int count = (int) written; // a buffer write is one window: only a file send goes past 2 GiB
        ByteBuffer one = op.one;
        ByteBuffer[] many = op.many;
        ByteBufferCallback bufferCallback = op.bufferCallback;
        BuffersCallback buffersCallback = op.buffersCallback;
        FileSendCallback fileCallback = op.fileCallback;
        java.nio.channels.FileChannel file = op.file;
        if (one != null && !op.direct) {
            one.position(one.position() + count);
        }
        state.context().writeOps().recycle(op);
        CallbackInvoker invoker = state.context().invoker();
        if (one != null) {
            invoker.call(bufferCallback, state.owner(), state.group(), one, count);
        } else if (many != null) {
            invoker.call(buffersCallback, state.owner(), state.group(), many, count);
        } else {
            invoker.call(fileCallback, state.owner(), state.group(), file, written);
        }
    }
}
