package dev.asyncio.core.internal.codec;

import dev.asyncio.core.FrameError;
import dev.asyncio.core.FrameErrorPolicy;

import java.nio.ByteBuffer;

/**
 * A frame decoder as a pure function over a buffer plus the little state a stream needs between arrivals (how far
 * a delimiter search got, how much of a bad frame is still to skip). It never copies and never holds bytes: the
 * caller keeps the undiscarded input (the state's read-with-checking buffer) and drops what {@link #consumed()}
 * says after each step. One instance per stream; not thread-safe.
 *
 * <p>Every index is absolute in the buffer handed in; {@code start} is where the undiscarded input begins, and the
 * decoder's own bookkeeping is relative to it, so the caller may move the bytes to the front between calls.
 */
public abstract class FrameDecoder {
    /** Not a whole frame yet: drop {@link #consumed()} bytes (maybe 0) and call again with more input. */
    public static final int NEED_MORE = 0;
    /** A frame: its payload is {@code [payloadStart(), payloadEnd())}; drop {@link #consumed()} bytes after it. */
    public static final int FRAME = 1;
    /** Bytes of a bad frame to drop ({@link #consumed()}); {@link #discardedFrame()} says if one ended here. */
    public static final int SKIP = 2;
    /** A bad frame under {@link FrameErrorPolicy#CLOSE}, or one that cannot be skipped: see {@link #error()}. */
    public static final int ERROR = 3;

    protected final int maxFrameSize;
    protected final FrameErrorPolicy policy;

    protected int payloadStart;
    protected int payloadEnd;
    protected int consumed;
    protected boolean discardedFrame;
    protected FrameError error;
    protected long errorSize;
    protected String errorMessage;

    /**
     * @param maxFrameSize the most payload bytes a frame may carry
     * @param policy what a bad frame leads to
     */
    protected FrameDecoder(int maxFrameSize, FrameErrorPolicy policy) {
        if (maxFrameSize < 0) {
            throw new IllegalArgumentException("maxFrameSize must not be negative, got " + maxFrameSize);
        }
        this.maxFrameSize = maxFrameSize;
        this.policy = policy;
    }

    /**
     * Looks for the next frame in {@code in[start, end)}; does not move the buffer's position or limit.
     *
     * @param in the input
     * @param start the first undiscarded byte
     * @param end the index after the last byte
     * @return {@link #NEED_MORE}, {@link #FRAME}, {@link #SKIP} or {@link #ERROR}
     */
    public final int decode(ByteBuffer in, int start, int end) {
        consumed = 0;
        discardedFrame = false;
        return step(in, start, end);
    }

    /** The decoding step proper; {@link #consumed} and {@link #discardedFrame} are reset before it. */
    protected abstract int step(ByteBuffer in, int start, int end);

    /**
     * The stream ended (EOF) with {@code in[start, end)} undiscarded and no whole frame in it.
     *
     * @return {@link #NEED_MORE} for a clean end between frames, {@link #FRAME} for a final frame (raw framing),
     *         {@link #ERROR} ({@link FrameError#TRUNCATED}) for an end inside a frame
     */
    public int endOfInput(ByteBuffer in, int start, int end) {
        consumed = 0;
        discardedFrame = false;
        if (end > start || skipping()) {
            return fail(FrameError.TRUNCATED, end - start, "the stream ended inside a frame, after "
                    + (end - start) + " bytes of it");
        }
        return NEED_MORE;
    }

    /** @return whether the decoder is in the middle of skipping a bad frame */
    public abstract boolean skipping();

    /** @return the first payload byte of the frame found */
    public final int payloadStart() {
        return payloadStart;
    }

    /** @return the index after the last payload byte of the frame found */
    public final int payloadEnd() {
        return payloadEnd;
    }

    /** @return the bytes from {@code start} the caller may drop after this step */
    public final int consumed() {
        return consumed;
    }

    /** @return after {@link #SKIP}: whether a whole bad frame was skipped by now (count it once) */
    public final boolean discardedFrame() {
        return discardedFrame;
    }

    /** @return after {@link #ERROR}: what went wrong */
    public final FrameError error() {
        return error;
    }

    /** @return after {@link #ERROR}: the announced or partial size */
    public final long errorSize() {
        return errorSize;
    }

    /** @return after {@link #ERROR}: the rule that was broken */
    public final String errorMessage() {
        return errorMessage;
    }

    /** @return the most payload bytes a frame may carry */
    public final int maxFrameSize() {
        return maxFrameSize;
    }

    protected final int frame(int from, int to, int consume) {
        payloadStart = from;
        payloadEnd = to;
        consumed = consume;
        return FRAME;
    }

    protected final int fail(FrameError kind, long size, String message) {
        error = kind;
        errorSize = size;
        errorMessage = message;
        return ERROR;
    }

    protected final int skip(int count, boolean frameDone) {
        consumed = count;
        discardedFrame = frameDone;
        return SKIP;
    }

    protected final String tooLong(long size) {
        return "a frame of " + size + " payload bytes is over maxFrameSize (" + maxFrameSize + ")";
    }
}
