package dev.asyncio.core;

import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Builds a {@link Framing}: start from {@link Framing#builder(Framing.Kind)} or {@link Framing#toBuilder()}.
 * Not thread-safe; {@link #build()} checks the options and throws {@link IllegalArgumentException} naming the one
 * that is wrong.
 *
 * <p>The length-prefix options follow Netty's {@code LengthFieldBasedFrameDecoder}: a frame is
 * {@code lengthFieldOffset} bytes, the length field, then the body; its size from its first byte is
 * {@code value + lengthAdjustment + lengthFieldOffset + lengthFieldLength}; the first {@code initialBytesToStrip}
 * bytes are dropped and the rest is the payload. Two differences from Netty's defaults: the header is stripped
 * unless told otherwise ({@code initialBytesToStrip} defaults to offset plus field), and
 * {@link #lengthIncludesHeader(boolean)} says that the field counts the whole frame from its first byte (as
 * {@code lengthAdjustment = -(offset + field)} does in Netty).
 */
public final class FramingBuilder {
    final Framing.Kind kind;
    int maxFrameSize = Framing.DEFAULT_MAX_FRAME_SIZE;
    FrameErrorPolicy errorPolicy = FrameErrorPolicy.CLOSE;
    long maxSkip = -1;
    byte[] delimiter = new byte[0];
    int fieldLength = -1;
    ByteOrder order = ByteOrder.BIG_ENDIAN;
    int offset;
    long adjustment;
    int strip = -1;
    boolean lengthIncludesHeader;
    private boolean maxFrameSizeSet;

    FramingBuilder(Framing.Kind kind) {
        this.kind = kind;
    }

    /**
     * @param bytes the most payload bytes a frame may carry, 1 to {@link Framing#MAX_FRAME_SIZE_LIMIT}
     * @return this
     */
    public FramingBuilder maxFrameSize(int bytes) {
        maxFrameSize = bytes;
        maxFrameSizeSet = true;
        return this;
    }

    /**
     * @param policy what a reader does at an oversized or corrupt frame
     * @return this
     */
    public FramingBuilder errorPolicy(FrameErrorPolicy policy) {
        errorPolicy = Objects.requireNonNull(policy, "errorPolicy");
        return this;
    }

    /**
     * @param bytes the largest whole length-prefixed frame {@link FrameErrorPolicy#DISCARD} skips, at least
     *              {@code maxFrameSize}; -1 = 16 × {@code maxFrameSize}
     * @return this
     */
    public FramingBuilder maxSkip(long bytes) {
        maxSkip = bytes;
        return this;
    }

    /**
     * @param bytes the delimiter of {@link Framing.Kind#DELIMITER}: 1 to 64 bytes
     * @return this
     */
    public FramingBuilder delimiter(byte... bytes) {
        delimiter = Objects.requireNonNull(bytes, "delimiter").clone();
        return this;
    }

    /**
     * @param n the length field's bytes (1, 2, 3, 4, 8), the ASCII header's digits (1 to 18) or the fixed length
     * @return this
     */
    public FramingBuilder lengthFieldLength(int n) {
        fieldLength = n;
        return this;
    }

    /**
     * @param byteOrder the binary length field's byte order (default big-endian, network order)
     * @return this
     */
    public FramingBuilder byteOrder(ByteOrder byteOrder) {
        order = Objects.requireNonNull(byteOrder, "byteOrder");
        return this;
    }

    /**
     * @param n bytes before the length field (Netty {@code lengthFieldOffset}), default 0
     * @return this
     */
    public FramingBuilder lengthFieldOffset(int n) {
        offset = n;
        return this;
    }

    /**
     * @param n added to the field's value to get the bytes after the field (Netty {@code lengthAdjustment}),
     *          default 0
     * @return this
     */
    public FramingBuilder lengthAdjustment(long n) {
        adjustment = n;
        return this;
    }

    /**
     * @param n bytes dropped from each frame's front (Netty {@code initialBytesToStrip}); -1 (the default) = the
     *          whole header, offset and field
     * @return this
     */
    public FramingBuilder initialBytesToStrip(int n) {
        strip = n;
        return this;
    }

    /**
     * @param included whether the field's value counts the whole frame from its first byte, header included
     *                 (Spring Integration's headers do not; some protocols do)
     * @return this
     */
    public FramingBuilder lengthIncludesHeader(boolean included) {
        lengthIncludesHeader = included;
        return this;
    }

    /**
     * @return the framing
     * @throws IllegalArgumentException naming the option that is out of range or missing
     */
    public Framing build() {
        // Derived values are resolved on a copy, so that this builder may change and build again.
        return copy().resolve();
    }

    private FramingBuilder copy() {
        FramingBuilder c = new FramingBuilder(kind);
        c.maxFrameSize = maxFrameSize;
        c.errorPolicy = errorPolicy;
        c.maxSkip = maxSkip;
        c.delimiter = delimiter;
        c.fieldLength = fieldLength;
        c.order = order;
        c.offset = offset;
        c.adjustment = adjustment;
        c.strip = strip;
        c.lengthIncludesHeader = lengthIncludesHeader;
        c.maxFrameSizeSet = maxFrameSizeSet;
        return c;
    }

    private Framing resolve() {
        if (kind == Framing.Kind.FIXED) {
            require(fieldLength >= 1 && fieldLength <= Framing.MAX_FRAME_SIZE_LIMIT,
                    "fixed length must be 1.." + Framing.MAX_FRAME_SIZE_LIMIT + ", got " + fieldLength);
            require(!maxFrameSizeSet || maxFrameSize == fieldLength,
                    "maxFrameSize of a fixed framing is its length (" + fieldLength + "), got " + maxFrameSize);
            maxFrameSize = fieldLength;
        }
        require(maxFrameSize >= 1 && maxFrameSize <= Framing.MAX_FRAME_SIZE_LIMIT,
                "maxFrameSize must be 1.." + Framing.MAX_FRAME_SIZE_LIMIT + ", got " + maxFrameSize);
        if (maxSkip == -1) {
            maxSkip = Math.min(Long.MAX_VALUE / 32, 16L * maxFrameSize);
        }
        require(maxSkip >= maxFrameSize, "maxSkip must be at least maxFrameSize (" + maxFrameSize + "), got "
                + maxSkip);
        switch (kind) {
            case CRLF:
                delimiter = new byte[] {'\r', '\n'};
                break;
            case LF:
            case LINE:
                delimiter = new byte[] {'\n'};
                break;
            case DELIMITER:
                require(delimiter.length >= 1 && delimiter.length <= 64,
                        "delimiter must have 1 to 64 bytes, got " + delimiter.length);
                break;
            case LENGTH_PREFIX:
                if (fieldLength == -1) {
                    fieldLength = 4;
                }
                require(fieldLength == 1 || fieldLength == 2 || fieldLength == 3 || fieldLength == 4
                        || fieldLength == 8, "lengthFieldLength must be 1, 2, 3, 4 or 8 bytes, got " + fieldLength);
                checkHeader();
                break;
            case ASCII_LENGTH:
                require(fieldLength >= 1 && fieldLength <= 18,
                        "lengthFieldLength of an ASCII header must be 1 to 18 digits, got " + fieldLength);
                checkHeader();
                break;
            default:
                break;
        }
        if (kind != Framing.Kind.DELIMITER && kind != Framing.Kind.CRLF && kind != Framing.Kind.LF
                && kind != Framing.Kind.LINE) {
            delimiter = new byte[0];
        }
        if (kind != Framing.Kind.LENGTH_PREFIX && kind != Framing.Kind.ASCII_LENGTH) {
            strip = 0;
            offset = 0;
            adjustment = 0;
            fieldLength = kind == Framing.Kind.FIXED ? fieldLength : 0;
        }
        return new Framing(this);
    }

    private void checkHeader() {
        require(offset >= 0 && offset <= 1 << 20, "lengthFieldOffset must be 0..1048576, got " + offset);
        if (strip == -1) {
            strip = offset + fieldLength;
        }
        require(strip >= 0 && strip <= 1 << 20, "initialBytesToStrip must be 0..1048576, got " + strip);
        require(Math.abs(adjustment) <= 1L << 40, "lengthAdjustment must be within ±2^40, got " + adjustment);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
