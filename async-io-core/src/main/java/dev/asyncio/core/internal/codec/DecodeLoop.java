package dev.asyncio.core.internal.codec;

import java.nio.ByteBuffer;

/**
 * Runs a {@link FrameDecoder} over one arrival of input and hands each frame to a {@link Sink} as a view of the
 * input itself, positioned on the payload: no copy. The caller then drops {@link #consumed()} bytes from the front
 * of its input (one {@code discard} per arrival, not one per frame). Not thread-safe.
 */
public final class DecodeLoop {
    /** Stopped at the end of what arrived: drop {@link #consumed()} and wait for more. */
    public static final int NEED_MORE = 0;
    /** The sink asked to stop; frames after the last one delivered stay in the input. */
    public static final int STOPPED = 1;
    /** The decoder found a bad frame it cannot skip: see {@link FrameDecoder#error()}. */
    public static final int ERROR = 2;

    /** Where frames go. */
    public interface Sink {
        /**
         * @param payload the input, its position and limit around the payload; valid only during the call
         * @return whether to go on with the next frame
         */
        boolean frame(ByteBuffer payload);

        /** A bad frame was skipped whole ({@link dev.asyncio.core.FrameErrorPolicy#DISCARD}). */
        void discarded();
    }

    private final FrameDecoder decoder;
    private int consumed;

    /** @param decoder the framing */
    public DecodeLoop(FrameDecoder decoder) {
        this.decoder = decoder;
    }

    /** @return the decoder */
    public FrameDecoder decoder() {
        return decoder;
    }

    /** @return the bytes from the front of the input the last run used up */
    public int consumed() {
        return consumed;
    }

    /**
     * Delivers every whole frame in {@code in[0, end)}.
     *
     * @param in the input (its position and limit are changed)
     * @param end the index after the last byte
     * @param sink where frames go
     * @return {@link #NEED_MORE}, {@link #STOPPED} or {@link #ERROR}
     */
    public int run(ByteBuffer in, int end, Sink sink) {
        consumed = 0;
        while (true) {
            in.limit(end).position(0);
            int r = decoder.decode(in, consumed, end);
            consumed += decoder.consumed();
            if (r == FrameDecoder.NEED_MORE) {
                return NEED_MORE;
            } else if (r == FrameDecoder.ERROR) {
                return ERROR;
            } else if (r == FrameDecoder.SKIP) {
                if (decoder.discardedFrame()) {
                    sink.discarded();
                }
            } else {
                in.limit(decoder.payloadEnd()).position(decoder.payloadStart());
                if (!sink.frame(in)) {
                    return STOPPED;
                }
            }
        }
    }

    /**
     * The stream ended with {@code in[start, end)} undiscarded, after {@link #run} delivered what it could.
     *
     * @param in the input
     * @param start the first byte {@link #run} left (its {@link #consumed()})
     * @param end the index after the last byte
     * @param sink where a final frame (raw framing) goes
     * @return {@link #NEED_MORE} for a clean end ({@link #consumed()} then counts a final frame too),
     *         {@link #ERROR} for an end inside a frame
     */
    public int endOfInput(ByteBuffer in, int start, int end, Sink sink) {
        in.limit(end).position(0);
        int r = decoder.endOfInput(in, start, end);
        consumed = start + decoder.consumed();
        if (decoder.discardedFrame()) {
            sink.discarded();
        }
        if (r == FrameDecoder.FRAME) {
            in.limit(decoder.payloadEnd()).position(decoder.payloadStart());
            sink.frame(in);
            return NEED_MORE;
        }
        return r == FrameDecoder.ERROR ? ERROR : NEED_MORE;
    }
}
