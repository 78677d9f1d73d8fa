package dev.asyncio.core.internal.write;

import dev.asyncio.core.BufferCallback;

import java.util.ArrayDeque;

/**
 * Completed writes of one loop, reused by the next ones, so queued writes allocate nothing in steady state. Bounded:
 * a burst must not pin memory forever. Loop thread only.
 */
public final class WriteOpPool {
    private static final int MAX_POOLED = 1024;
    private final ArrayDeque<WriteOp> free = new ArrayDeque<>();

    /**
     * @param buf the bytes
     * @param start first index
     * @param end index after the last
     * @param callback told once written
     * @param errorCallback told on an error instead
     * @return a pooled or new write
     */
    public WriteOp take(byte[] buf, int start, int end, BufferCallback callback, BufferCallback errorCallback) {
        WriteOp op = free.poll();
        if (op == null) {
            return new WriteOp(buf, start, end, callback, errorCallback);
        }
        op.set(buf, start, end, callback, errorCallback);
        return op;
    }

    /**
     * A write whose range the caller sets (the ByteBuffer and file variants).
     *
     * @return a pooled or new write, cleared
     */
    public WriteOp takeEmpty() {
        WriteOp op = free.poll();
        return op != null ? op : new WriteOp(null, 0, 0, null, null);
    }

    /** @param op a finished write; cleared and kept for reuse if the pool has room */
    public void recycle(WriteOp op) {
        op.clear();
        if (free.size() < MAX_POOLED) {
            free.add(op);
        }
    }

    /** @return how many writes wait for reuse */
    public int size() {
        return free.size();
    }
}
