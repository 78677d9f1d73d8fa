package dev.asyncio.core;

import dev.asyncio.core.internal.codec.DecodeLoop;
import dev.asyncio.core.internal.codec.FrameDecoder;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Reads frames from a state continuously: each whole frame goes to a {@link FrameCallback} as it arrives, without
 * the callback starting the next read, until the stream ends, a bad frame ends it, or {@link #stop()}. Built on the
 * read-with-checking seam ({@link AsyncIoState#readWithCheckingView}, LispWorks
 * {@code async-io-state-read-with-checking}): the frame is a view of the input itself, of the loop's read buffer
 * when a frame arrives whole and of the state's buffer when it arrived in pieces, so the steady state copies
 * nothing; after each arrival the frames used up are dropped with one {@link AsyncIoState#discard(int)}. Every byte
 * held between arrivals is in the state's read-with-checking buffer and charged to the memory budget.
 *
 * <p><b>Threads.</b> {@link #start} and the other methods may be called from any thread; the callbacks run on the
 * collection's loop thread.
 *
 * <p><b>Ending.</b> A clean EOF between frames ends the read with {@link IoStatus#EOF}; an EOF inside a frame, a
 * too-long or a corrupt frame ends it with {@link IoStatus#ERROR} and a {@link FrameException} (under
 * {@link FrameErrorPolicy#DISCARD} too-long and corrupt frames that have a boundary are skipped and counted
 * instead). After a {@code FrameException} the end callback runs and then the reader closes the state, unless the
 * callback already closed it or began to. A timeout or an I/O error ends the read with that status; the state stays
 * open then. The end callback runs once, after the last frame.
 *
 * <p><b>Misuse.</b> While the reader runs it owns the state's read direction: starting another read throws
 * {@link IllegalStateException}, as the state does for any second read; a frame callback must not call
 * {@code discard} or {@code finish} itself.
 */
public final class FrameReader {
    private final AsyncIoState state;
    private final Framing framing;
    private final DecodeLoop loop;
    private final FrameCallback onFrame;
    private final BufferCallback onBytes;
    private final FrameEndCallback onEnd;
    private final OperationOptions options;
    /** The read-with-checking callback, made once: the steady state allocates nothing. */
    private final ByteBufferCallback reading = this::arrived;
    /** Where the decode loop hands frames. */
    private final DecodeLoop.Sink sink = new DecodeLoop.Sink() {
        @Override
        public boolean frame(ByteBuffer payload) {
            return deliver(payload);
        }

        @Override
        public void discarded() {
            framesDiscarded++;
        }
    };
    /** Whether our read-with-checking operation is active (written on the loop thread, except at the start). */
    private volatile boolean active;
    private volatile boolean paused;
    private volatile boolean ended;
    private volatile long framesRead;
    private volatile long framesDiscarded;

    private FrameReader(AsyncIoState state, Framing framing, FrameCallback onFrame, BufferCallback onBytes,
                        FrameEndCallback onEnd, OperationOptions options) {
        this.state = Objects.requireNonNull(state, "state");
        this.framing = Objects.requireNonNull(framing, "framing");
        this.options = Objects.requireNonNull(options, "options");
        this.onFrame = onFrame;
        this.onBytes = onBytes;
        this.onEnd = onEnd;
        this.loop = new DecodeLoop(framing.newDecoder());
    }

    /**
     * Starts reading frames from {@code state}.
     *
     * @param state a TCP (or Unix domain) state
     * @param framing how to cut the stream
     * @param onFrame {@code (state, frame)} on the loop thread for each frame: a read-only view, valid only during
     *                the call
     * @param onEnd {@code (state, status, failure)} on the loop thread once the reading ends; {@code null} = none
     * @return the reader, to stop or resume it and for its counters
     * @throws IllegalStateException if a read operation is active on the state, or it is closed or UDP
     */
    public static FrameReader start(AsyncIoState state, Framing framing, FrameCallback onFrame,
                                    FrameEndCallback onEnd) {
        return start(state, framing, onFrame, onEnd, OperationOptions.NONE);
    }

    /**
     * As {@link #start(AsyncIoState, Framing, FrameCallback, FrameEndCallback)}, with a sticky read timeout,
     * max-read and user info for the underlying read-with-checking.
     *
     * @param state a TCP (or Unix domain) state
     * @param framing how to cut the stream
     * @param onFrame {@code (state, frame)} on the loop thread for each frame
     * @param onEnd {@code (state, status, failure)} on the loop thread once the reading ends; {@code null} = none
     * @param options the read's options; no error callback (the end callback sees errors)
     * @return the reader
     * @throws IllegalStateException if a read operation is active on the state, or it is closed or UDP
     * @throws IllegalArgumentException for an error callback in the options
     */
    public static FrameReader start(AsyncIoState state, Framing framing, FrameCallback onFrame,
                                    FrameEndCallback onEnd, OperationOptions options) {
        Objects.requireNonNull(onFrame, "onFrame");
        FrameReader r = new FrameReader(state, framing, onFrame, null, onEnd, options);
        r.begin();
        return r;
    }

    /**
     * The LispWorks-style form: each frame is copied into a new array and handed to
     * {@code onFrame(state, frame, frame.length)}, so the callback may keep it. Otherwise as
     * {@link #start(AsyncIoState, Framing, FrameCallback, FrameEndCallback)}.
     *
     * @param state a TCP (or Unix domain) state
     * @param framing how to cut the stream
     * @param onFrame {@code (state, frame, length)} on the loop thread for each frame; the array is the caller's
     * @param onEnd {@code (state, status, failure)} on the loop thread once the reading ends; {@code null} = none
     * @return the reader
     * @throws IllegalStateException if a read operation is active on the state, or it is closed or UDP
     */
    public static FrameReader startCopying(AsyncIoState state, Framing framing, BufferCallback onFrame,
                                           FrameEndCallback onEnd) {
        Objects.requireNonNull(onFrame, "onFrame");
        FrameReader r = new FrameReader(state, framing, null, onFrame, onEnd, OperationOptions.NONE);
        r.begin();
        return r;
    }

    private void begin() {
        // Set first: from another thread the first callback may run before readWithCheckingView returns.
        active = true;
        try {
            state.readWithCheckingView(reading, options);
        } catch (RuntimeException e) {
            active = false;
            throw e;
        }
    }

    /**
     * Stops delivering frames. In a frame callback it takes effect after that frame; from elsewhere, at the next
     * arrival, which may take one more read's worth of input into the buffer (not delivered). The frames not
     * delivered stay buffered for {@link #resume()}. Any thread.
     */
    public void stop() {
        paused = true;
    }

    /**
     * Delivers frames again after {@link #stop()}, starting with those already buffered. Any thread; the restart
     * happens on the loop thread.
     *
     * @throws IllegalStateException if the reader has ended (its end callback ran) or the state is closed
     */
    public void resume() {
        if (ended || !state.isOpen()) {
            throw new IllegalStateException(state + ": resume of a frame reader that has ended (the state is "
                    + (state.isOpen() ? "open" : "closed") + ")");
        }
        state.collection().apply(() -> {
            paused = false;
            if (!active && !ended && state.isOpen()) {
                active = true;
                state.readWithCheckingView(reading, options);
            }
        });
    }

    /** @return whether frames are being delivered: started, not stopped and not ended */
    public boolean isReading() {
        return !paused && !ended;
    }

    /** @return whether the reader has ended (its end callback ran, or is running) */
    public boolean hasEnded() {
        return ended;
    }

    /** @return the frames delivered so far */
    public long framesRead() {
        return framesRead;
    }

    /** @return the bad frames skipped under {@link FrameErrorPolicy#DISCARD} */
    public long framesDiscarded() {
        return framesDiscarded;
    }

    /** @return the framing */
    public Framing framing() {
        return framing;
    }

    /** @return the state */
    public AsyncIoState state() {
        return state;
    }

    /** The read-with-checking callback: all input not yet consumed is {@code view[0, end)}. */
    private void arrived(AsyncIoState s, ByteBuffer view, int end) {
        IoStatus status = s.readStatus();
        if (paused) {
            // Everything stays buffered, an EOF too: the socket reports it again after resume().
            active = false;
            s.finish();
            return;
        }
        int r;
        try {
            r = loop.run(view, end, sink);
        } catch (RuntimeException | Error e) {
            // The collection's policy ends the operation; the frames before the failing one stay consumed.
            active = false;
            ended = true;
            dropConsumed(s);
            throw e;
        }
        if (!s.isOpen() || s.isClosing()) {
            // A frame callback closed the state: no more reading, and nobody left to tell.
            active = false;
            ended = true;
            return;
        }
        if (r == DecodeLoop.STOPPED) {
            active = false;
            s.finish(loop.consumed());
            return;
        }
        if (r == DecodeLoop.ERROR) {
            badFrame(s, loop.decoder());
            return;
        }
        if (status == IoStatus.OK) {
            dropConsumed(s);
            return;
        }
        int left = loop.consumed();
        if (status == IoStatus.EOF && s.isOpen()
                && loop.endOfInput(view, left, end, sink) == DecodeLoop.ERROR) {
            badFrame(s, loop.decoder());
            return;
        }
        dropConsumed(s);
        end(s, status, status == IoStatus.ERROR ? s.readFailure() : null);
    }

    private void dropConsumed(AsyncIoState s) {
        if (loop.consumed() > 0 && s.isOpen()) {
            s.discard(loop.consumed());
        }
    }

    private void badFrame(AsyncIoState s, FrameDecoder d) {
        FrameException e = new FrameException(d.error(), d.errorSize(), s + ": " + d.errorMessage()
                + " (" + framing + ")");
        try {
            end(s, IoStatus.ERROR, e);
        } finally {
            // A hostile or broken peer is disconnected even if the end callback fails.
            if (s.isOpen() && !s.isClosing()) {
                s.close();
            }
        }
    }

    private void end(AsyncIoState s, IoStatus status, Throwable failure) {
        active = false;
        ended = true;
        if (onEnd != null) {
            onEnd.ended(s, status, failure);
        }
    }

    /** @return whether to go on with the next frame */
    private boolean deliver(ByteBuffer payload) {
        framesRead++;
        if (onFrame != null) {
            onFrame.frame(state, payload);
        } else {
            byte[] copy = new byte[payload.remaining()];
            payload.get(copy);
            onBytes.call(state, copy, copy.length);
        }
        return !paused && state.isOpen() && !state.isClosing();
    }

    @Override
    public String toString() {
        return "FrameReader[" + state + " " + framing + " frames=" + framesRead + " discarded=" + framesDiscarded
                + (ended ? " ended" : paused ? " stopped" : "") + "]";
    }
}
