package dev.asyncio.core.internal.engine;

import dev.asyncio.core.BufferCallback;
import dev.asyncio.core.ByteBufferCallback;
import dev.asyncio.core.InputLimitExceededException;
import dev.asyncio.core.IoStatus;
import dev.asyncio.core.internal.read.InputBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * LispWorks {@code async-io-state-read-with-checking}, the streaming parser's read: every arrival calls back with
 * all undiscarded input. Undiscarded input lives in the state's {@link InputBuffer} between callbacks; during a
 * callback that started from an empty buffer it lives in the loop's shared scratch array, so idle states hold no
 * buffer at all.
 *
 * <p>The view variant ({@code readWithCheckingView}) hands the callback a read-only {@link ByteBuffer} instead: of
 * the loop's direct read buffer itself when nothing was buffered (no copy at all) or when what was buffered fits in
 * front of the read (it is copied there first: a partial frame, typically), else of the state's array. Only what the
 * callback leaves undiscarded is copied, into the state's buffer, as for the array variant.
 */
final class ReadWithCheckingOp implements ReadOperation {

    private final ReadSide side;
    private final StateEngine state;
    private BufferCallback callback;
    private BufferCallback errorCallback;
    /** Set for the view variant, instead of {@link #callback}. */
    private ByteBufferCallback viewCallback;
    /** A read-only view of the loop's direct read buffer, made once per state. */
    private ByteBuffer directView;
    /** A read-only view of {@link #viewedArray}, remade only when the state's array changes. */
    private ByteBuffer arrayView;
    private byte[] viewedArray;
    /** Presented from the loop's direct read buffer: {@link #presented} is null, bytes start at the offset. */
    private boolean presentedDirect;
    private int presentedOffset;
    private byte[] presented;
    private int presentedLength;
    private boolean inCallback;
    private int oldLength;

    ReadWithCheckingOp(ReadSide side) {
        this.side = side;
        this.state = side.state();
    }

    /**
     * @param cb told of every arrival
     * @param errorCb told on an error instead, or {@code null}
     * @return this, to start
     */
    public ReadWithCheckingOp set(BufferCallback cb, BufferCallback errorCb) {
        callback = cb;
        errorCallback = errorCb;
        viewCallback = null;
        return this;
    }

    /**
     * @param cb told of every arrival, with a read-only view of the input
     * @return this, to start
     */
    public ReadWithCheckingOp setView(ByteBufferCallback cb) {
        callback = null;
        errorCallback = null;
        viewCallback = cb;
        return this;
    }

    /** @return how much of the buffer the previous callback of this operation saw (LispWorks {@code old-length}) */
    public int oldLength() {
        return oldLength;
    }

    void resetOldLength() {
        oldLength = 0;
    }

    /** @return whether its callback (or the abort callback of one) runs now */
    public boolean inCallback() {
        return inCallback;
    }

    boolean isOwnView(ByteBuffer b) {
        return b == directView || b == arrayView;
    }

    int presentedLength() {
        return presentedLength;
    }

    @Override
    public boolean completesAtOnce() {
        return false;
    }

    @Override
    public boolean deadlineFromStart() {
        return false;
    }

    @Override
    public void serveBuffered() {
        // Buffered input is presented once per operation (its first callback); after that only new bytes call
        // back: a ready-list pass that finds nothing new must not repeat a callback.
        InputBuffer input = side.input();
        boolean unseen = input.length() > 0 && oldLength == 0;
        if (unseen && !state.kind().hasDecrypted()) {
            present(input.array(), input.length(), IoStatus.OK, null);
        } else {
            readable();
        }
    }

    @Override
    public void readable() {
        InputBuffer input = side.input();
        ByteBuffer d = state.loop().buffers().readDirect();
        byte[] scratch = state.loop().buffers().checkingScratch();
        int limit = state.options().maxBufferedInput();
        int room = limit - input.length();
        if (room <= 0) {
            present(input.array(), input.length(), IoStatus.ERROR,
                    new InputLimitExceededException(state.owner().toString(), limit));
            return;
        }
        // The view variant with a partial message held: the held bytes go in front of the read, so the callback
        // sees one contiguous view of the loop's buffer and the state's array only ever holds a remainder.
        int held = viewCallback != null && input.length() <= d.capacity() / 2 ? input.length() : 0;
        int want = Math.min(Math.min(side.maxRead(), room), d.capacity() - held);
        int n;
        try {
            d.clear();
            if (held > 0) {
                d.put(input.array(), 0, held);
            }
            d.limit(held + want);
            n = state.kind().transport("readWithChecking", "receiveMessage").read(d);
            side.socketRead(n, want);
        } catch (IOException e) {
            presentLeft(IoStatus.ERROR, e);
            return;
        }
        if (n < 0) {
            presentLeft(IoStatus.EOF, null);
            return;
        }
        if (n == 0) {
            return;
        }
        state.counters().read(n);
        d.flip();
        if (held > 0) {
            side.armDeadline();
            input.empty();
            presentDirect(d, held + n);
        } else if (input.length() == 0 && viewCallback != null) {
            presentDirect(d, n);
        } else if (input.length() == 0) {
            d.get(scratch, 0, n);
            present(scratch, n, IoStatus.OK, null);
        } else {
            input.append(d, n, limit);
            present(input.array(), input.length(), IoStatus.OK, null);
        }
    }

    @Override
    public void timedOut() {
        presentLeft(IoStatus.TIMEOUT, null);
    }

    /** The last callback of an operation that ends with {@code status}: whatever input is left, maybe none. */
    private void presentLeft(IoStatus status, Throwable cause) {
        InputBuffer input = side.input();
        present(input.length() > 0 ? input.array() : state.loop().buffers().checkingScratch(), input.length(),
                status, cause);
    }

    /**
     * Calls the callback with {@code buf[0, end)}. Afterwards whatever it left undiscarded is kept in the state's
     * own buffer; the operation ends on any status but OK, and when the callback threw.
     */
    private void present(byte[] buf, int end, IoStatus status, Throwable cause) {
        int generation = side.generation();
        if (status != IoStatus.OK) {
            state.status().readStatus(status, cause);
            state.counters().failure(status);
        } else {
            side.progressed();
            // A message starts with the first byte after the input was empty: its deadline runs from here.
            side.armDeadline();
        }
        BufferCallback cb = status == IoStatus.ERROR && errorCallback != null ? errorCallback : callback;
        InputBuffer input = side.input();
        presented = buf;
        presentedLength = end;
        inCallback = true;
        if (buf != input.array()) {
            input.length(0);
        }
        presentedDirect = false;
        presentedOffset = 0;
        boolean failed = viewCallback != null ? !callView(viewOf(buf, end), end) : !state.call(cb, buf, end);
        afterCallback(generation, status, failed);
    }

    /** The view variant's common case: the callback sees the loop's direct read buffer, {@code [0, n)}. */
    private void presentDirect(ByteBuffer d, int n) {
        int generation = side.generation();
        side.progressed();
        presented = null;
        presentedLength = n;
        presentedDirect = true;
        presentedOffset = 0;
        inCallback = true;
        if (directView == null) {
            directView = d.asReadOnlyBuffer();
        }
        directView.clear().limit(n);
        boolean failed = !callView(directView, n);
        afterCallback(generation, IoStatus.OK, failed);
    }

    private boolean callView(ByteBuffer view, int end) {
        return state.context().invoker().call(viewCallback, state.owner(), state.group(), view, end);
    }

    private ByteBuffer viewOf(byte[] buf, int end) {
        if (buf != viewedArray) {
            viewedArray = buf;
            arrayView = ByteBuffer.wrap(buf).asReadOnlyBuffer();
        }
        arrayView.clear().limit(end);
        return arrayView;
    }

    private void afterCallback(int generation, IoStatus status, boolean failed) {
        InputBuffer input = side.input();
        if (inCallback) {
            // No finish(): keep what is left, and what this callback saw is the next one's old length.
            inCallback = false;
            keepPresented();
            oldLength = input.length();
            if (generation == side.generation() && side.current() == this
                    && (status != IoStatus.OK || failed || !state.isOpen())) {
                side.end();
            } else if (input.length() == 0 && generation == side.generation()) {
                side.disarmDeadline();
            }
        }
    }

    /** Moves what a callback left undiscarded out of the shared scratch array. */
    private void keepPresented() {
        byte[] buf = presented;
        int len = presentedLength;
        presented = null;
        presentedLength = 0;
        InputBuffer input = side.input();
        if (presentedDirect) {
            presentedDirect = false;
            if (len > 0) {
                input.ensureCapacity(len, state.options().maxBufferedInput());
                ByteBuffer d = state.loop().buffers().readDirect();
                d.get(presentedOffset, input.array(), 0, len);
            }
            input.length(len);
        } else if (buf == input.array()) {
            input.length(len);
        } else if (len > 0) {
            input.ensureCapacity(len, state.options().maxBufferedInput());
            System.arraycopy(buf, 0, input.array(), 0, len);
            input.length(len);
        } else {
            input.length(0);
        }
    }

    /**
     * LispWorks {@code async-io-state-discard}.
     *
     * @param count bytes to drop from the front
     * @return the bytes left
     */
    public int discard(int count) {
        requireCallback("discard");
        if (count <= 0 || count > presentedLength) {
            throw new IllegalArgumentException(state.owner() + ": discard count must be 1.." + presentedLength
                    + ", got " + count);
        }
        if (presentedDirect) {
            // The loop's read buffer is not ours to move bytes in: the view's bytes start further on.
            presentedOffset += count;
        } else {
            System.arraycopy(presented, count, presented, 0, presentedLength - count);
        }
        presentedLength -= count;
        oldLength = Math.max(0, oldLength - count);
        return presentedLength;
    }

    /**
     * LispWorks {@code async-io-state-finish}: discards, then ends the operation.
     *
     * @param discard bytes to drop first
     * @return the bytes left buffered
     */
    public int finish(int discard) {
        requireCallback("finish");
        if (discard < 0 || discard > presentedLength) {
            throw new IllegalArgumentException(state.owner() + ": finish discard count must be 0.." + presentedLength
                    + ", got " + discard);
        }
        if (discard > 0) {
            discard(discard);
        }
        keepPresented();
        inCallback = false;
        if (side.current() == this) {
            side.end();
        }
        return side.input().length();
    }

    private void requireCallback(String what) {
        if (!inCallback || !state.loop().inLoopThread()) {
            throw new IllegalStateException(state.owner() + ": " + what + " is allowed only inside a "
                    + "read-with-checking callback (or the abort callback of one), before finish");
        }
    }

    @Override
    public void abort(BufferCallback cb, boolean callBack) {
        side.end();
        if (!callBack) {
            return;
        }
        // The abort callback may discard, as the operation's own callback may.
        InputBuffer input = side.input();
        presentedDirect = false;
        presented = input.length() > 0 ? input.array() : state.loop().buffers().checkingScratch();
        presentedLength = input.length();
        inCallback = true;
        state.call(cb, presented, presentedLength);
        if (inCallback) {
            inCallback = false;
            keepPresented();
        }
    }

    @Override
    public void clear() {
        callback = null;
        errorCallback = null;
        viewCallback = null;
    }
}
