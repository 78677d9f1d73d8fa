package dev.asyncio.core.internal.codec;

import dev.asyncio.core.FrameError;
import dev.asyncio.core.FrameErrorPolicy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Frames announced by a length header, with the semantics of Netty's {@code LengthFieldBasedFrameDecoder}: the
 * field of {@code fieldLength} bytes starts {@code offset} bytes into the frame; the whole frame is
 * {@code value + adjustment + offset + fieldLength} bytes from its first byte; the first {@code strip} of them are
 * dropped and the rest is the payload. The field is binary (1, 2, 3, 4 or 8 bytes, unsigned except the 8-byte one,
 * in either byte order) or, ISO 8583 style, {@code fieldLength} ASCII decimal digits.
 *
 * <p>The header is judged as soon as it is complete, before any byte of the body is waited for: a value that is
 * negative, not digits, or gives a frame shorter than its header or than {@code strip} is corrupt; a payload over
 * {@code maxFrameSize} is too long. Under {@link FrameErrorPolicy#DISCARD} a too-long frame is skipped as its bytes
 * arrive (never buffered), provided the whole frame is at most {@code maxSkip} bytes; anything else ends the read.
 */
public final class LengthFieldDecoder extends FrameDecoder {
    private final int offset;
    private final int fieldLength;
    private final boolean ascii;
    private final boolean bigEndian;
    private final long adjustment;
    private final int strip;
    private final long maxSkip;
    private final int headerEnd;
    private long skipRemaining;

    /**
     * @param offset bytes before the length field
     * @param fieldLength 1, 2, 3, 4 or 8 bytes (binary), or 1..18 digits (ASCII)
     * @param ascii whether the field is ASCII decimal digits
     * @param order the binary field's byte order
     * @param adjustment added to the field's value (Netty's {@code lengthAdjustment})
     * @param strip bytes dropped from the front of each frame (Netty's {@code initialBytesToStrip})
     * @param maxFrameSize the most payload bytes
     * @param policy what a too-long frame leads to
     * @param maxSkip the largest whole frame {@link FrameErrorPolicy#DISCARD} skips
     */
    public LengthFieldDecoder(int offset, int fieldLength, boolean ascii, ByteOrder order, long adjustment, int strip,
                              int maxFrameSize, FrameErrorPolicy policy, long maxSkip) {
        super(maxFrameSize, policy);
        if (ascii ? fieldLength < 1 || fieldLength > 18
                : fieldLength != 1 && fieldLength != 2 && fieldLength != 3 && fieldLength != 4 && fieldLength != 8) {
            throw new IllegalArgumentException("length field of " + fieldLength + (ascii ? " digits" : " bytes")
                    + ": must be 1, 2, 3, 4 or 8 bytes, or 1 to 18 digits");
        }
        if (offset < 0 || strip < 0) {
            throw new IllegalArgumentException("offset and strip must not be negative, got " + offset + ", " + strip);
        }
        this.offset = offset;
        this.fieldLength = fieldLength;
        this.ascii = ascii;
        this.bigEndian = order == ByteOrder.BIG_ENDIAN;
        this.adjustment = adjustment;
        this.strip = strip;
        this.maxSkip = maxSkip;
        this.headerEnd = offset + fieldLength;
    }

    @Override
    protected int step(ByteBuffer in, int start, int end) {
        int len = end - start;
        if (skipRemaining > 0) {
            int n = (int) Math.min(len, skipRemaining);
            skipRemaining -= n;
            return n == 0 ? NEED_MORE : skip(n, skipRemaining == 0);
        }
        if (len < headerEnd) {
            return NEED_MORE;
        }
        long value = ascii ? digits(in, start + offset) : binary(in, start + offset);
        if (value < 0) {
            return fail(FrameError.CORRUPT, value, ascii ? "the length header is not " + fieldLength
                    + " decimal digits" : "the length header is negative (" + value + ")");
        }
        // Saturates instead of overflowing: any such length is far over every limit anyway.
        long frameLength = value > (1L << 62) ? Long.MAX_VALUE : value + adjustment + headerEnd;
        if (frameLength < headerEnd) {
            return fail(FrameError.CORRUPT, value, "the length header (" + value + ") gives a frame of "
                    + frameLength + " bytes, shorter than its own header (" + headerEnd + ")");
        }
        if (frameLength < strip) {
            return fail(FrameError.CORRUPT, value, "the length header (" + value + ") gives a frame of "
                    + frameLength + " bytes, fewer than the " + strip + " to strip");
        }
        long payload = frameLength - strip;
        if (payload > maxFrameSize) {
            if (policy != FrameErrorPolicy.DISCARD) {
                return fail(FrameError.TOO_LONG, payload, tooLong(payload));
            }
            if (frameLength > maxSkip) {
                return fail(FrameError.TOO_LONG, payload, tooLong(payload) + ", and its " + frameLength
                        + " bytes are over maxSkip (" + maxSkip + ") as well");
            }
            skipRemaining = frameLength;
            return step(in, start, end);
        }
        if (len < frameLength) {
            return NEED_MORE;
        }
        int f = (int) frameLength;
        return frame(start + strip, start + f, f);
    }

    private long binary(ByteBuffer in, int at) {
        if (fieldLength == 8) {
            long v = 0;
            for (int i = 0; i < 8; i++) {
                int b = in.get(bigEndian ? at + i : at + 7 - i) & 0xff;
                v = (v << 8) | b;
            }
            return v;
        }
        long v = 0;
        for (int i = 0; i < fieldLength; i++) {
            int b = in.get(bigEndian ? at + i : at + fieldLength - 1 - i) & 0xff;
            v = (v << 8) | b;
        }
        return v;
    }

    private long digits(ByteBuffer in, int at) {
        long v = 0;
        for (int i = 0; i < fieldLength; i++) {
            int c = in.get(at + i) - '0';
            if (c < 0 || c > 9) {
                return -1;
            }
            v = v * 10 + c;
        }
        return v;
    }

    @Override
    public boolean skipping() {
        return skipRemaining > 0;
    }
}
