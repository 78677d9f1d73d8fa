package dev.asyncio.core.internal.write;

import dev.asyncio.core.IoStatus;
import dev.asyncio.core.OutputLimitExceededException;
import dev.asyncio.core.StateOptions;
import dev.asyncio.core.internal.memory.BudgetCore;
import dev.asyncio.core.internal.memory.MemoryAccount;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * The output of one state: the write being written and the writes queued behind it, the count of bytes accepted
 * and not yet written, the high/low water marks with their writability flag, and the gathering flush that copies
 * the head and as many queued writes as fit into the loop's direct buffer for one system call (Netty's
 * {@code ChannelOutboundBuffer} is the model).
 *
 * <p>Threads: {@link #claim} runs on the caller's thread (so misuse throws there) and may race with the loop; the
 * byte count and the writability flag change together under the queue's lock. Everything else is loop thread only.
 */
public final class OutboundQueue {

    /** Told what happens to the output. */
    public interface Listener {
        /** {@link #isWritable()} changed; any thread. */
        void writabilityChanged();

        /**
         * Bytes reached the socket; loop thread.
         *
         * @param bytes how many
         */
        void written(int bytes);

        /**
         * A flush ended, before the callbacks of the writes it completed run; loop thread.
         *
         * @param pending whether writes are left (the socket is full)
         */
        void flushEnded(boolean pending);

        /**
         * A write left the queue: the listener runs its callback and recycles it; loop thread.
         *
         * @param op the write
         * @param status {@link IoStatus#OK}, or how it failed
         * @param cause the failure, or {@code null}
         */
        void completed(WriteOp op, IoStatus status, Throwable cause);
    }

    /** Where a flush writes to: a socket, or TLS over one. */
    public interface ByteSink {
        /**
         * @param src the bytes
         * @return how many were taken
         * @throws IOException if the socket failed
         */
        int write(ByteBuffer src) throws IOException;

        /**
         * A gathering write; by default one buffer after the other until one is not taken whole.
         *
         * @param srcs the buffers
         * @param offset first buffer
         * @param length how many
         * @return how many bytes were taken
         * @throws IOException if the socket failed
         */
        default long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            long total = 0;
            for (int i = offset; i < offset + length; i++) {
                ByteBuffer b = srcs[i];
                if (!b.hasRemaining()) {
                    continue;
                }
                total += write(b);
                if (b.hasRemaining()) {
                    break;
                }
            }
            return total;
        }

        /** @return whether {@link #transferFrom} sends files in the kernel (plain TCP); else they are read through */
        default boolean transfersFiles() {
            return false;
        }

        /**
         * Writes part of a file without copying it through user space ({@code FileChannel.transferTo}); only called
         * when {@link #transfersFiles()}.
         *
         * @param file the file
         * @param position where to read from
         * @param count the most to write
         * @return how many bytes were taken
         * @throws IOException if the file or the socket failed
         */
        default long transferFrom(java.nio.channels.FileChannel file, long position, long count) throws IOException {
            throw new UnsupportedOperationException("transferFrom without transfersFiles()");
        }
    }

    private static final VarHandle BUSY;

    static {
        try {
            BUSY = MethodHandles.lookup().findVarHandle(OutboundQueue.class, "busy", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final StateOptions limits;
    private final boolean queueOutput;
    private final Listener listener;
    private final Object owner;
    private final MemoryAccount account;

    /** Claimed by the caller of the one write of a state without {@code queueOutput}. */
    @SuppressWarnings("unused")
    private volatile int busy;
    private volatile long queued;
    /** Of {@link #queued}, the bytes of file sends still to go: not in memory, so not under maxQueuedOutput. */
    private volatile long fileQueued;
    private volatile boolean writable = true;

    private WriteOp head;
    /** The buffers of one gathering write of direct writes; made on first use, emptied after each use. */
    private ByteBuffer[] directBatch;
    private int batchedBytes;
    private static final int MAX_BATCH = 16;
    /** Keeps a batch's byte count an int. */
    private static final long MAX_BATCH_BYTES = 1L << 30;
    private ArrayDeque<WriteOp> rest;
    private int lastPartialWrite;

    /**
     * @param limits water marks and the queued-output limit
     * @param queueOutput whether more than one write may be accepted at a time
     * @param listener told of writability, progress and completions
     * @param owner how errors name the state
     */
    public OutboundQueue(StateOptions limits, boolean queueOutput, Listener listener, Object owner) {
        this(limits, queueOutput, listener, owner, MemoryAccount.NONE);
    }

    /**
     * @param limits water marks and the queued-output limit
     * @param queueOutput whether more than one write may be accepted at a time
     * @param listener told of writability, progress and completions
     * @param owner how errors name the state
     * @param account where queued bytes and write records are charged
     */
    public OutboundQueue(StateOptions limits, boolean queueOutput, Listener listener, Object owner,
                         MemoryAccount account) {
        this.limits = limits;
        this.queueOutput = queueOutput;
        this.listener = listener;
        this.owner = owner;
        this.account = account;
    }

    /**
     * Claims a place for {@code length} bytes, on the caller's thread: the one write of a state without
     * {@code queueOutput}, or room under {@link StateOptions#maxQueuedOutput()}.
     *
     * @param what the operation, for the message
     * @param length the bytes to be queued
     * @throws IllegalStateException for a second write without {@code queueOutput}
     * @throws OutputLimitExceededException when the limit is reached, or the memory budget has no room
     */
    public void claim(String what, long length) {
        claim(what, length, length, 0);
    }

    /**
     * As {@link #claim(String, long)} for a file send: its bytes count for the water marks (as Netty counts a
     * {@code FileRegion}), but they are not in memory, so neither the memory budget (only the write record) nor
     * {@link StateOptions#maxQueuedOutput()} counts them: a write queued behind a large file is accepted.
     *
     * @param what the operation, for the message
     * @param length the file's bytes to be queued
     */
    public void claimFile(String what, long length) {
        claim(what, length, 0, length);
    }

    /**
     * @param what the operation, for the message
     * @param length the bytes to be queued
     * @param heldBytes the memory they hold until the write completes
     * @param fileBytes of {@code length}, the bytes of a file
     */
    private void claim(String what, long length, long heldBytes, long fileBytes) {
        if (!account.admits(heldBytes + MemoryAccount.WRITE_BYTES)) {
            BudgetCore b = account.budget();
            throw new OutputLimitExceededException(owner + ": memory budget '" + b.name() + "' has no room for "
                    + length + " more bytes (" + b.used() + " of its hard limit " + b.hardLimit() + " are in use); "
                    + "wait until isWritable()");
        }
        if (!queueOutput) {
            if (!BUSY.compareAndSet(this, 0, 1)) {
                throw new IllegalStateException(owner + ": " + what + " while another write is active and "
                        + "queueOutput is off (one write at a time)");
            }
        } else if (inMemory() >= limits.maxQueuedOutput()) {
            throw new OutputLimitExceededException(owner + ": " + inMemory() + " bytes are queued for "
                    + "writing, the maxQueuedOutput limit is " + limits.maxQueuedOutput() + "; wait until isWritable()");
        }
        // The caller's whole range stays referenced until the write completes, however much of it went out.
        account.charge(heldBytes + MemoryAccount.WRITE_BYTES);
        add(length, fileBytes);
    }

    /** @return the queued bytes that are in memory: all but a file send's */
    private long inMemory() {
        // queued before fileQueued: add() raises fileQueued first and subtract() lowers it last, so this never
        // counts a file's bytes as memory (at worst it misses some memory that is leaving).
        long q = queued;
        return q - fileQueued;
    }

    /**
     * Queues a claimed write; loop thread.
     *
     * @param op the write
     * @return whether it is the head now (a new burst of output starts)
     */
    public boolean enqueue(WriteOp op) {
        if (head == null) {
            head = op;
            return true;
        }
        if (rest == null) {
            rest = new ArrayDeque<>(4);
        }
        rest.add(op);
        return false;
    }

    /** @return the write being written, or {@code null} */
    public WriteOp head() {
        return head;
    }

    /** @return whether no write is queued (bytes of a TLS record may still wait in the transport) */
    public boolean isEmpty() {
        return head == null;
    }

    /** @return bytes accepted and not yet written; any thread */
    public long queuedBytes() {
        return queued;
    }

    /** @return whether a write is active or queued; any thread */
    public boolean isWriting() {
        return queued > 0 || busy != 0;
    }

    /** @return false from the high water mark until the output drains to the low one; any thread */
    public boolean isWritable() {
        return writable;
    }

    /**
     * Writes as much as {@code sink} takes, gathered through {@code direct}, then tells the listener the flush
     * ended and completes the writes that were fully written, in order.
     *
     * @param sink the socket or transport
     * @param direct the loop's direct buffer
     * @return the failure that ended the flush, or {@code null}; the failed writes are still queued
     */
    public IOException flush(ByteSink sink, ByteBuffer direct) {
        WriteOp completedFirst = null;
        WriteOp completedLast = null;
        IOException failure = null;
        try {
            for (int round = 0; round < 16 && head != null; round++) {
                long fileTaken = 0;
                int offered;
                int written;
                if (batchable(head) && rest != null && !rest.isEmpty() && batchable(rest.peek())) {
                    // Several direct buffers (or gathering writes, such as framed writes: header and payload) queued
                    // in a row: one gathering system call, still without a copy.
                    int n = batchDirect();
                    offered = batchedBytes;
                    try {
                        written = (int) sink.write(directBatch, 0, n);
                    } finally {
                        java.util.Arrays.fill(directBatch, 0, n, null);
                    }
                } else if (head.direct) {
                    // The caller's own buffers (or file) go to the socket as they are: no copy.
                    offered = head.end - head.pos;
                    written = head.writeDirect(sink, direct);
                } else {
                    direct.clear();
                    if (lastPartialWrite > 0) {
                        // The socket took only this much last time: copying the whole buffer again would be wasted.
                        direct.limit(Math.min(direct.capacity(), Math.max(64 * 1024, 2 * lastPartialWrite)));
                    }
                    gather(direct);
                    direct.flip();
                    offered = direct.remaining();
                    written = sink.write(direct);
                }
                if (written > 0) {
                    listener.written(written);
                }
                int left = written;
                // Empty writes (start == end) complete as soon as they reach the head of the queue.
                while (head != null && (left > 0 || head.pos == head.end)) {
                    WriteOp w = head;
                    int take = Math.min(left, w.end - w.pos);
                    w.pos += take;
                    left -= take;
                    if (w.file != null) {
                        fileTaken += take;
                    }
                    if (w.pos == w.end && !w.nextFileWindow()) {
                        head = nextQueued();
                        w.next = null;
                        if (completedLast == null) {
                            completedFirst = w;
                        } else {
                            completedLast.next = w;
                        }
                        completedLast = w;
                    }
                }
                subtract(written, fileTaken);
                if (written < offered) {
                    lastPartialWrite = written;
                    break;
                }
                lastPartialWrite = 0;
            }
        } catch (IOException e) {
            failure = e;
        }
        if (failure == null) {
            listener.flushEnded(head != null);
        }
        for (WriteOp w = completedFirst; w != null; ) {
            WriteOp next = w.next;
            complete(w, IoStatus.OK, null);
            w = next;
        }
        return failure;
    }

    private void gather(ByteBuffer direct) {
        WriteOp op = head;
        direct.put(op.buf, op.pos, Math.min(op.end - op.pos, direct.remaining()));
        if (direct.hasRemaining() && rest != null) {
            for (WriteOp q : rest) {
                if (!direct.hasRemaining() || q.direct) {
                    break;
                }
                direct.put(q.buf, q.pos, Math.min(q.end - q.pos, direct.remaining()));
            }
        }
    }

    /** @return whether a write's buffers can join a gathering batch: direct buffers or a gathering write, no file */
    private static boolean batchable(WriteOp op) {
        return op.direct && op.file == null
                && (op.one != null || op.many != null && op.many.length - op.manyIndex <= MAX_BATCH);
    }

    /**
     * @return how many buffers of consecutive direct writes (single buffers and whole gathering writes), head first,
     *     {@link #directBatch} holds
     */
    private int batchDirect() {
        if (directBatch == null) {
            directBatch = new ByteBuffer[MAX_BATCH];
        }
        int n = addToBatch(head, 0);
        long bytes = head.end - head.pos;
        for (WriteOp q : rest) {
            if (!batchable(q) || bytes + q.remaining() > MAX_BATCH_BYTES) {
                break;
            }
            int m = addToBatch(q, n);
            if (m < 0) {
                break;
            }
            n = m;
            bytes += q.remaining();
        }
        batchedBytes = (int) bytes;
        return n;
    }

    /** @return the batch's new size with {@code op}'s buffers added at {@code n}, or -1 if they don't all fit */
    private int addToBatch(WriteOp op, int n) {
        if (op.one != null) {
            if (n == MAX_BATCH) {
                return -1;
            }
            directBatch[n] = op.one;
            return n + 1;
        }
        int count = op.many.length - op.manyIndex;
        if (n + count > MAX_BATCH) {
            return -1;
        }
        System.arraycopy(op.many, op.manyIndex, directBatch, n, count);
        return n + count;
    }

    private WriteOp nextQueued() {
        return rest != null ? rest.poll() : null;
    }

    /**
     * Removes the head after it was sent whole or failed (datagrams leave one at a time); loop thread.
     *
     * @return the head, already uncounted; the caller completes it with {@link #complete}
     */
    public WriteOp removeHead() {
        WriteOp w = head;
        head = nextQueued();
        subtract(w.unwritten(), fileLeft(w));
        return w;
    }

    /**
     * Ends every queued write with {@code status}, in order; the queue is empty before the first callback runs, so
     * a callback that writes again starts a fresh write.
     *
     * @param status how they failed
     * @param cause the failure, or {@code null}
     */
    public void failAll(IoStatus status, Throwable cause) {
        WriteOp first = null;
        WriteOp last = null;
        long unwritten = 0;
        long files = 0;
        for (WriteOp w = head; w != null; w = nextQueued()) {
            unwritten += w.unwritten();
            files += fileLeft(w);
            w.next = null;
            if (last == null) {
                first = w;
            } else {
                last.next = w;
            }
            last = w;
        }
        head = null;
        subtract(unwritten, files);
        for (WriteOp w = first; w != null; ) {
            WriteOp next = w.next;
            complete(w, status, cause);
            w = next;
        }
    }

    /**
     * Drops every queued write without callbacks (abort, close).
     *
     * @param pool where the writes go back
     */
    public void drop(WriteOpPool pool) {
        long dropped = 0;
        long files = 0;
        while (head != null) {
            WriteOp w = head;
            dropped += w.unwritten();
            files += fileLeft(w);
            head = nextQueued();
            account.release(held(w));
            pool.recycle(w);
        }
        subtract(dropped, files);
        BUSY.setVolatile(this, 0);
    }

    /**
     * A claimed write that never reached the queue (its host did not resolve): uncounts it and completes it.
     *
     * @param op the write
     * @param cause why
     */
    public void failUnqueued(WriteOp op, Throwable cause) {
        subtract(op.unwritten(), fileLeft(op));
        complete(op, IoStatus.ERROR, cause);
    }

    /**
     * Releases the one-write claim and hands the write to the listener.
     *
     * @param op a write that left the queue
     * @param status how it ended
     * @param cause the failure, or {@code null}
     */
    public void complete(WriteOp op, IoStatus status, Throwable cause) {
        account.release(held(op));
        if (!queueOutput) {
            BUSY.setVolatile(this, 0);
        }
        listener.completed(op, status, cause);
    }

    /** @return what a queued write holds in memory until it completes, as it was charged at its claim */
    private static long held(WriteOp op) {
        return (op.file != null ? 0 : op.end - op.start) + MemoryAccount.WRITE_BYTES;
    }

    /** Releases the one-write claim: the state closed. */
    public void release() {
        BUSY.setVolatile(this, 0);
    }

    // Writers on any thread add, the loop subtracts; the lock keeps the count and the writability flag in step.
    private void add(long n, long fileBytes) {
        boolean changed;
        synchronized (this) {
            fileQueued += fileBytes;
            queued += n;
            changed = writable && queued >= limits.writeHighWaterMark();
            if (changed) {
                writable = false;
            }
        }
        if (changed) {
            listener.writabilityChanged();
        }
    }

    private static long fileLeft(WriteOp w) {
        return w.file != null ? w.unwritten() : 0;
    }

    private void subtract(long n, long fileBytes) {
        if (n == 0) {
            return;
        }
        boolean changed;
        synchronized (this) {
            queued -= n;
            fileQueued -= fileBytes;
            changed = !writable && queued <= limits.writeLowWaterMark();
            if (changed) {
                writable = true;
            }
        }
        if (changed) {
            listener.writabilityChanged();
        }
    }
}
