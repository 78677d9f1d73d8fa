package dev.asyncio.core.internal.engine;

import dev.asyncio.core.BufferCallback;
import dev.asyncio.core.ByteBufferCallback;
import dev.asyncio.core.IoStatus;
import dev.asyncio.core.StateCallback;
import dev.asyncio.core.internal.loop.DirectBufferPool;
import dev.asyncio.core.internal.loop.Timeouts;
import dev.asyncio.core.internal.read.InputBuffer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.util.function.Supplier;

/**
 * The read direction of one state: the claim that makes a second read throw on the caller's thread, the one
 * {@link ReadOperation} in flight, its idle timeout, and the {@link InputBuffer}. Each operation kind is made once
 * per state and reused, so starting a read allocates nothing. Loop thread, except {@link #claim}.
 */
public final class ReadSide {

    private static final VarHandle BUSY;

    static {
        try {
            BUSY = MethodHandles.lookup().findVarHandle(ReadSide.class, "busy", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final StateEngine state;
    /** Made on first use ({@link #input()}): a state that reads into buffers of its own never needs one (24 B). */
    private InputBuffer input;
    // Claimed by the caller's thread (so misuse throws there), released by the loop before the callback runs.
    @SuppressWarnings("unused")
    private volatile int busy;
    private volatile int maxRead;
    private ReadOperation current;
    /** The last socket read of this wake-up filled all the room it was given: the socket may hold more. */
    private boolean lastReadFilled;
    private int generation;
    private long lastProgress;
    /** Fires at the idle timeout or the read deadline, whichever comes first. */
    private StateTimer deadline;
    /** Whether the read deadline runs, and when it is due. */
    private boolean deadlineArmed;
    private long deadlineDue;
    private ReadBufferOp readBuffer;
    private ReadWithCheckingOp checking;
    private WaitForInputOp waitForInput;
    private ByteBufferReadOp byteBufferRead;

    /**
     * @param state the state
     * @param maxRead the initial read-with-checking chunk
     */
    public ReadSide(StateEngine state, int maxRead) {
        this.state = state;
        this.maxRead = maxRead;
    }

    /** @return the state */
    public StateEngine state() {
        return state;
    }

    /** @return the buffered input, made now if this is its first use; loop thread */
    public InputBuffer input() {
        InputBuffer in = input;
        if (in == null) {
            in = new InputBuffer(state.memory());
            input = in;
        }
        return in;
    }

    /** @return how many bytes the input buffer holds, without making one (any thread: maybe a moment behind) */
    public int inputLength() {
        InputBuffer in = input;
        return in == null ? 0 : in.length();
    }

    /** @return the input buffer's array capacity, without making one (any thread: maybe a moment behind) */
    public int inputCapacity() {
        InputBuffer in = input;
        return in == null ? 0 : in.capacity();
    }

    /** @return the most bytes read between two read-with-checking callbacks */
    public int maxRead() {
        return maxRead;
    }

    /** @param n the most bytes read between two read-with-checking callbacks */
    public void maxRead(int n) {
        maxRead = n;
    }

    // ------------------------------------------------------------------ claiming (caller's thread)

    /**
     * @param what the operation, for the message
     * @throws IllegalStateException if the state is closed or closing, a TLS operation runs, or a read is active
     */
    public void claim(String what) {
        state.requireUsable(what);
        state.requireNotExclusive(what);
        if (!tryClaim()) {
            throw new IllegalStateException(state.owner() + ": " + what + " while another read operation is active "
                    + "(one read-direction operation at a time)");
        }
    }

    /** @return whether the read direction was free and is claimed now */
    public boolean tryClaim() {
        return BUSY.compareAndSet(this, 0, 1);
    }

    /** Releases the claim. */
    public void release() {
        BUSY.setVolatile(this, 0);
    }

    /** @return whether a read-direction operation is claimed or running; any thread */
    public boolean isClaimed() {
        return busy != 0;
    }

    // ------------------------------------------------------------------ the operation kinds

    // ---------------------------------------------------------- starting a read, from the façade (any thread)
    // Each claims nothing: the façade has claimed on the caller's thread (so misuse throws there). The read starts
    // at once on the loop thread, else it is queued there; no lambda is made on the loop thread, so the echo's
    // steady state allocates nothing.

    /**
     * LispWorks {@code async-io-state-read-buffer}: fills {@code buffer[from, to)}.
     *
     * @param buffer the caller's buffer
     * @param from first index
     * @param to index after the last
     * @param cb told when full, at EOF, on timeout or error
     * @param errorCb told on an error instead, or {@code null}
     */
    public void readBuffer(byte[] buffer, int from, int to, BufferCallback cb, BufferCallback errorCb) {
        if (state.loop().inLoopThread()) {
            start(readBufferOp().set(buffer, from, to, cb, errorCb));
        } else {
            state.loop().submit(() -> start(readBufferOp().set(buffer, from, to, cb, errorCb)));
        }
    }

    /**
     * LispWorks {@code async-io-state-read-with-checking}.
     *
     * @param cb told each time input arrives, or {@code null}
     * @param errorCb told on an error instead, or {@code null}
     */
    public void readWithChecking(BufferCallback cb, BufferCallback errorCb) {
        if (state.loop().inLoopThread()) {
            start(checkingOp().set(cb, errorCb));
        } else {
            state.loop().submit(() -> start(checkingOp().set(cb, errorCb)));
        }
    }

    /** @param cb told each time input arrives, with a read-only view of the undiscarded input */
    public void readWithCheckingView(ByteBufferCallback cb) {
        if (state.loop().inLoopThread()) {
            start(checkingOp().setView(cb));
        } else {
            state.loop().submit(() -> start(checkingOp().setView(cb)));
        }
    }

    /**
     * @param buffer the caller's buffer, filled from its position
     * @param fill whether to fill it up to its limit, or complete after the first bytes
     * @param cb told when done
     */
    public void readInto(ByteBuffer buffer, boolean fill, ByteBufferCallback cb) {
        if (state.loop().inLoopThread()) {
            start(byteBufferReadOp().set(buffer, fill, cb));
        } else {
            state.loop().submit(() -> start(byteBufferReadOp().set(buffer, fill, cb)));
        }
    }

    /**
     * @param pool where the buffer the input is read into comes from
     * @param cb told with the buffer, to give back to the pool
     */
    public void readPooled(DirectBufferPool pool, ByteBufferCallback cb) {
        if (state.loop().inLoopThread()) {
            start(byteBufferReadOp().setPooled(pool, cb));
        } else {
            state.loop().submit(() -> start(byteBufferReadOp().setPooled(pool, cb)));
        }
    }

    /** @param cb LispWorks {@code async-io-state-wait-for-input}: told when input is there */
    public void waitForInput(StateCallback cb) {
        state.loop().runOnLoop(() -> start(waitForInputOp().set(cb)));
    }

    /** @param op makes the operation of another kind (a datagram receive) on the loop thread, where it starts */
    public void startOnLoop(Supplier<ReadOperation> op) {
        state.loop().runOnLoop(() -> start(op.get()));
    }

    /** @return how much of the buffer the previous read-with-checking callback saw (LispWorks {@code old-length}) */
    public int oldLength() {
        return checkingOp().oldLength();
    }

    /**
     * LispWorks {@code async-io-state-discard}, from a read-with-checking callback.
     *
     * @param count bytes to drop from the front
     * @return the bytes left
     */
    public int discard(int count) {
        return checkingOp().discard(count);
    }

    /**
     * LispWorks {@code async-io-state-finish}, from a read-with-checking callback: discards, then ends the read.
     *
     * @param discard bytes to drop first
     * @return the bytes left buffered
     */
    public int finish(int discard) {
        return checkingOp().finish(discard);
    }

    /** @return this state's read-buffer operation, to be set and started */
    ReadBufferOp readBufferOp() {
        if (readBuffer == null) {
            readBuffer = new ReadBufferOp(this);
        }
        return readBuffer;
    }

    /** @return this state's read-with-checking operation */
    ReadWithCheckingOp checkingOp() {
        if (checking == null) {
            checking = new ReadWithCheckingOp(this);
        }
        return checking;
    }

    /** @return this state's ByteBuffer read operation */
    ByteBufferReadOp byteBufferReadOp() {
        if (byteBufferRead == null) {
            byteBufferRead = new ByteBufferReadOp(this);
        }
        return byteBufferRead;
    }

    /**
     * @param buffer a buffer handed to a write
     * @throws IllegalArgumentException if it is the view a read-with-checking callback is looking at
     */
    public void requireNotOwnView(java.nio.ByteBuffer buffer) {
        if (checking != null && buffer.isReadOnly() && checking.isOwnView(buffer)) {
            throw new IllegalArgumentException(state.owner() + ": the readWithCheckingView view is the state's and "
                    + "its bytes are gone after the callback; copy them before writing");
        }
    }

    /** @return this state's wait-for-input operation */
    WaitForInputOp waitForInputOp() {
        if (waitForInput == null) {
            waitForInput = new WaitForInputOp(this);
        }
        return waitForInput;
    }

    // ------------------------------------------------------------------ running one (loop thread)

    /**
     * Starts a claimed operation: it is served from the ready list when input waits in memory, else the socket is
     * selected for reading. Refused silently (the claim released) once the state is closed or closing.
     *
     * @param op the operation, already set
     */
    public void start(ReadOperation op) {
        if (!state.isOpen() || state.closeRefusesReads()) {
            op.clear();
            release();
            return;
        }
        current = op;
        generation++;
        state.status().readStatus(IoStatus.OK, null);
        if (checking != null) {
            checking.resetOldLength();
        }
        lastProgress = state.loop().now();
        if (inputLength() > 0 || op.completesAtOnce() || state.kind().hasBufferedInput()) {
            state.markReadReady();
        } else {
            state.setInterest(SelectionKey.OP_READ, true);
        }
        deadlineArmed = false;
        if (op.deadlineFromStart() || inputLength() > 0) {
            armDeadline();
        }
        if (!deadlineArmed) {
            reschedule();
        }
    }

    /** The read deadline starts now (a read started, or the first byte of a message arrived), if one is set. */
    public void armDeadline() {
        long d = state.settings().readDeadlineNanos();
        if (d == Timeouts.NONE || deadlineArmed) {
            return;
        }
        deadlineArmed = true;
        deadlineDue = state.loop().now() + d;
        reschedule();
    }

    /** A read-with-checking callback consumed every byte: the next message gets a deadline of its own. */
    public void disarmDeadline() {
        deadlineArmed = false;
    }

    private void reschedule() {
        long t = state.settings().readTimeoutNanos();
        boolean idle = t != Timeouts.NONE;
        if (!idle && !deadlineArmed) {
            if (deadline != null) {
                state.loop().deadlines().cancel(deadline);
            }
            return;
        }
        long when = idle ? lastProgress + t : deadlineDue;
        if (deadlineArmed && deadlineDue - when < 0) {
            when = deadlineDue;
        }
        if (deadline != null && deadline.isScheduled() && deadline.deadline() - when <= 0) {
            // Due no later than wanted (left from an earlier read, see stop()): when it fires, timedOut() finds the
            // timeout not yet due and moves it to the right time. So a read per message costs no heap update
            // (two sifts through the loop's timer heap per message were ~20 % of a 1,000-connection echo).
            return;
        }
        if (deadline == null) {
            deadline = new StateTimer(state) {
                @Override
                protected void fire(long now) {
                    timedOut(now);
                }
            };
        }
        state.loop().deadlines().schedule(deadline, when);
    }

    /** @return the operation in flight, or {@code null} */
    public ReadOperation current() {
        return current;
    }

    /** @return whether an operation is in flight */
    public boolean isActive() {
        return current != null;
    }

    /** @return a number that changes with every operation started, to spot a callback that started a new one */
    public int generation() {
        return generation;
    }

    /**
     * One socket read of an operation returned {@code n} bytes of the {@code room} it was given.
     *
     * @param n bytes read, 0 or more
     * @param room bytes the read could have taken
     */
    public void socketRead(int n, int room) {
        lastReadFilled = n > 0 && n == room;
    }

    /**
     * @return whether the last socket read filled all its room, so more input may wait in the socket: the loop
     *     reads again at once instead of selecting first
     */
    public boolean lastReadFilled() {
        return lastReadFilled;
    }

    /** Bytes moved: the idle timeout restarts. */
    public void progressed() {
        lastProgress = state.loop().now();
    }

    /** Served from the ready list. */
    public void serveBuffered() {
        state.setInterest(SelectionKey.OP_READ, true);
        if (current != null) {
            current.serveBuffered();
        }
    }

    /** The socket is readable. */
    public void readable() {
        lastReadFilled = false;
        if (current != null) {
            current.readable();
        } else {
            state.setInterest(SelectionKey.OP_READ, false);
        }
    }

    /**
     * Ends the operation in flight with {@code status} and counts a failure; the caller runs the callback.
     *
     * @param status how it ended
     * @param cause the failure, or {@code null}
     */
    public void ended(IoStatus status, Throwable cause) {
        state.status().readStatus(status, cause);
        state.counters().failure(status);
        end();
    }

    /** Ends the operation in flight; a new one may start from its callback. */
    public void end() {
        stop();
        state.setInterest(SelectionKey.OP_READ, false);
    }

    /**
     * Forgets the operation in flight and releases the claim. The timeout of an open state stays scheduled: the next
     * read most likely starts at once and reuses it ({@link #reschedule()}), and if it fires first, with no read in
     * flight, it does nothing. A closed state's is cancelled, so the loop's timer heap holds no closed state.
     */
    private void stop() {
        ReadOperation op = current;
        current = null;
        if (op != null) {
            op.clear();
        }
        if (deadline != null && !state.isOpen()) {
            state.loop().deadlines().cancel(deadline);
        }
        release();
    }

    private void timedOut(long now) {
        if (current == null) {
            return;
        }
        long t = state.settings().readTimeoutNanos();
        boolean idleDue = t != Timeouts.NONE && lastProgress + t - now <= 0;
        boolean deadlinePassed = deadlineArmed && deadlineDue - now <= 0;
        if (idleDue || deadlinePassed) {
            current.timedOut();
        } else {
            reschedule();
        }
    }

    /**
     * Aborts the operation in flight (LispWorks {@code async-io-state-abort}).
     *
     * @param cb the abort callback
     * @param callBack whether to call it now
     * @return whether an operation was in flight
     */
    public boolean abort(BufferCallback cb, boolean callBack) {
        ReadOperation op = current;
        if (op == null) {
            return false;
        }
        op.abort(cb, callBack);
        return true;
    }

    // ------------------------------------------------------------------ buffered input

    /** @return buffered input not yet handed over (in a read-with-checking callback: what it sees) */
    public int bufferedLength() {
        return checking != null && checking.inCallback() ? checking.presentedLength() : inputLength();
    }

    /**
     * Moves buffered input into {@code buffer[start, end)}.
     *
     * @param buffer where to
     * @param start first index
     * @param end index after the last
     * @return how many bytes moved
     */
    public int takeBuffered(byte[] buffer, int start, int end) {
        return input == null ? 0 : input.take(buffer, start, end);
    }

    /**
     * The state closed: the operation ends silently.
     *
     * @return the buffered input not yet consumed
     */
    public int close() {
        int buffered = bufferedLength();
        stop();
        return buffered;
    }
}
