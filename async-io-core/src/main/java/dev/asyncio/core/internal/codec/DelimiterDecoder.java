package dev.asyncio.core.internal.codec;

import dev.asyncio.core.FrameError;
import dev.asyncio.core.FrameErrorPolicy;

import java.nio.ByteBuffer;

/**
 * Frames that end at a delimiter, a sequence of one or more bytes: {@code crlf} (a frame ends only at CR LF),
 * {@code lf}, any other delimiter, and {@code line} (LF, with one CR before it dropped as well, so LF or CR LF).
 * The delimiter is not part of the payload. A search resumes where the previous arrival's ended, so a frame that
 * arrives a byte at a time is scanned once.
 *
 * <p>Too long: a delimiter found after more than {@code maxFrameSize} payload bytes, or more than that many bytes
 * (plus a partial delimiter, plus the CR of a line) without one. Under {@link FrameErrorPolicy#DISCARD} the bytes
 * are dropped as they come, up to and including the next delimiter, holding back only a possible partial
 * delimiter.
 */
public final class DelimiterDecoder extends FrameDecoder {
    private final byte[] delimiter;
    private final boolean line;
    /** Relative to {@code start}: where the search for a delimiter resumes. */
    private int scanned;
    private boolean skipping;

    /**
     * @param delimiter the bytes that end a frame (for a line: {@code LF})
     * @param line whether a CR right before the delimiter is dropped too
     * @param maxFrameSize the most payload bytes
     * @param policy what a too-long frame leads to
     */
    public DelimiterDecoder(byte[] delimiter, boolean line, int maxFrameSize, FrameErrorPolicy policy) {
        super(maxFrameSize, policy);
        if (delimiter.length == 0) {
            throw new IllegalArgumentException("a delimiter needs at least one byte");
        }
        this.delimiter = delimiter.clone();
        this.line = line;
    }

    @Override
    protected int step(ByteBuffer in, int start, int end) {
        int len = end - start;
        int k = delimiter.length;
        int at = indexOf(in, start + scanned, end);
        if (skipping) {
            scanned = 0;
            if (at >= 0) {
                skipping = false;
                return skip(at + k - start, true);
            }
            int drop = len - Math.min(len, k - 1);
            return drop == 0 ? NEED_MORE : skip(drop, false);
        }
        if (at >= 0) {
            scanned = 0;
            int payloadEnd = line && at > start && in.get(at - 1) == '\r' ? at - 1 : at;
            int size = payloadEnd - start;
            if (size > maxFrameSize) {
                return policy == FrameErrorPolicy.DISCARD ? skip(at + k - start, true)
                        : fail(FrameError.TOO_LONG, size, tooLong(size));
            }
            return frame(start, payloadEnd, at + k - start);
        }
        scanned = Math.max(0, len - (k - 1));
        long allowance = (long) maxFrameSize + (k - 1) + (line ? 1 : 0);
        if (len > allowance) {
            if (policy != FrameErrorPolicy.DISCARD) {
                return fail(FrameError.TOO_LONG, len, "more than maxFrameSize (" + maxFrameSize
                        + ") bytes arrived without a delimiter (" + len + " so far)");
            }
            skipping = true;
            scanned = 0;
            return skip(len - (k - 1), false);
        }
        return NEED_MORE;
    }

    /** @return the index of the first whole delimiter in {@code [from, end)}, or -1 */
    private int indexOf(ByteBuffer in, int from, int end) {
        byte first = delimiter[0];
        int last = end - delimiter.length;
        outer:
        for (int i = from; i <= last; i++) {
            if (in.get(i) != first) {
                continue;
            }
            for (int j = 1; j < delimiter.length; j++) {
                if (in.get(i + j) != delimiter[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Override
    public boolean skipping() {
        return skipping;
    }
}
