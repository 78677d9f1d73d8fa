package dev.asyncio.core.internal.codec;

import dev.asyncio.core.FrameError;
import dev.asyncio.core.FrameErrorPolicy;

import java.nio.ByteBuffer;

/**
 * One frame per stream: everything up to EOF, as Spring Integration's {@code ByteArrayRawSerializer}, bounded by
 * {@code maxFrameSize}. A stream that ends before its first byte carries no frame (a clean EOF). Over the limit,
 * {@link FrameErrorPolicy#DISCARD} drops the rest of the stream as it comes and counts one discarded frame at EOF.
 */
public final class RawDecoder extends FrameDecoder {
    private boolean skipping;

    /**
     * @param maxFrameSize the most bytes in the stream
     * @param policy what a too-long stream leads to
     */
    public RawDecoder(int maxFrameSize, FrameErrorPolicy policy) {
        super(maxFrameSize, policy);
    }

    @Override
    protected int step(ByteBuffer in, int start, int end) {
        int len = end - start;
        if (skipping) {
            return len == 0 ? NEED_MORE : skip(len, false);
        }
        if (len > maxFrameSize) {
            if (policy != FrameErrorPolicy.DISCARD) {
                return fail(FrameError.TOO_LONG, len, "the stream is over maxFrameSize (" + maxFrameSize
                        + ") bytes (" + len + " so far)");
            }
            skipping = true;
            return skip(len, false);
        }
        return NEED_MORE;
    }

    @Override
    public int endOfInput(ByteBuffer in, int start, int end) {
        consumed = 0;
        discardedFrame = false;
        if (skipping) {
            skipping = false;
            discardedFrame = true;
            return NEED_MORE;
        }
        return end > start ? frame(start, end, end - start) : NEED_MORE;
    }

    @Override
    public boolean skipping() {
        return skipping;
    }
}
