package dev.asyncio.core.internal.codec;

import dev.asyncio.core.FrameError;
import dev.asyncio.core.FrameErrorPolicy;

import java.nio.ByteBuffer;

/**
 * Frames of the form {@code STX payload ETX} (0x02, 0x03), as Spring Integration's
 * {@code ByteArrayStxEtxSerializer}: the payload is what lies between, and may hold any byte but ETX. A frame
 * that does not start with STX is corrupt; one with more than {@code maxFrameSize} payload bytes is too long.
 * Under {@link FrameErrorPolicy#DISCARD} both are skipped through the next ETX.
 */
public final class StxEtxDecoder extends FrameDecoder {
    /** Start of text. */
    public static final byte STX = 0x02;
    /** End of text. */
    public static final byte ETX = 0x03;

    /** Relative to {@code start}: where the search for ETX resumes. */
    private int scanned;
    private boolean skipping;

    /**
     * @param maxFrameSize the most payload bytes
     * @param policy what a too-long or corrupt frame leads to
     */
    public StxEtxDecoder(int maxFrameSize, FrameErrorPolicy policy) {
        super(maxFrameSize, policy);
    }

    @Override
    protected int step(ByteBuffer in, int start, int end) {
        int len = end - start;
        if (len == 0) {
            return NEED_MORE;
        }
        if (!skipping && scanned == 0 && in.get(start) != STX) {
            String why = String.format("a frame must start with STX (0x02), got 0x%02x", in.get(start) & 0xff);
            if (policy != FrameErrorPolicy.DISCARD) {
                return fail(FrameError.CORRUPT, len, why);
            }
            skipping = true;
        }
        int at = -1;
        for (int i = start + Math.max(scanned, skipping ? 0 : 1); i < end; i++) {
            if (in.get(i) == ETX) {
                at = i;
                break;
            }
        }
        if (skipping) {
            scanned = 0;
            if (at >= 0) {
                skipping = false;
                return skip(at + 1 - start, true);
            }
            return skip(len, false);
        }
        if (at >= 0) {
            scanned = 0;
            int size = at - start - 1;
            if (size > maxFrameSize) {
                return policy == FrameErrorPolicy.DISCARD ? skip(at + 1 - start, true)
                        : fail(FrameError.TOO_LONG, size, tooLong(size));
            }
            return frame(start + 1, at, at + 1 - start);
        }
        scanned = len;
        if (len - 1 > maxFrameSize) {
            if (policy != FrameErrorPolicy.DISCARD) {
                return fail(FrameError.TOO_LONG, len - 1, "more than maxFrameSize (" + maxFrameSize
                        + ") bytes arrived without ETX (" + (len - 1) + " so far)");
            }
            skipping = true;
            scanned = 0;
            return skip(len, false);
        }
        return NEED_MORE;
    }

    @Override
    public boolean skipping() {
        return skipping;
    }
}
