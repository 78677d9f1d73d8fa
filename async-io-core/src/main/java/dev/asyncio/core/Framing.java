package dev.asyncio.core;

import dev.asyncio.core.internal.codec.DelimiterDecoder;
import dev.asyncio.core.internal.codec.FixedLengthDecoder;
import dev.asyncio.core.internal.codec.FrameDecoder;
import dev.asyncio.core.internal.codec.FrameEncoder;
import dev.asyncio.core.internal.codec.LengthFieldDecoder;
import dev.asyncio.core.internal.codec.RawDecoder;
import dev.asyncio.core.internal.codec.StxEtxDecoder;

import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * How a byte stream is cut into frames: the immutable options of a {@link FrameReader} and a {@link FrameWriter}.
 * Make one with a factory ({@link #crlf()}, {@link #lf()}, {@link #line()}, {@link #delimiter(byte...)},
 * {@link #stxEtx()}, {@link #lengthPrefix(int)}, {@link #asciiLength(int)}, {@link #fixed(int)}, {@link #raw()})
 * and adjust it with {@link #toBuilder()}; {@link FramingBuilder#build()} checks the combination and throws
 * {@link IllegalArgumentException} naming the option.
 *
 * <p><b>{@link #maxFrameSize()} counts the payload</b>, never the header, delimiter or STX/ETX (default
 * {@value #DEFAULT_MAX_FRAME_SIZE} bytes). Spring Integration's {@code maxMessageSize} counts the payload too, so
 * the two are the same number; Netty's {@code maxFrameLength} counts the whole frame before stripping, so it is
 * {@code maxFrameSize} plus the header (or plus the delimiter for {@code DelimiterBasedFrameDecoder} with
 * {@code stripDelimiter=false}). A read holds at most the limit plus the header or delimiter plus one read
 * ({@link AsyncIoState#maxRead()}), in the state's read-with-checking buffer, which is charged to the memory
 * budget; {@link StateOptions#maxBufferedInput()} must be at least {@code maxFrameSize} plus the header.
 *
 * <p>Corresponds to Spring Integration's {@code TcpCodecs} serializers and Netty's frame decoders and encoders;
 * LispWorks leaves framing to the read-with-checking callback, which is what this is built on.
 */
public final class Framing {
    /** The default {@link #maxFrameSize()}: 64 KiB of payload. */
    public static final int DEFAULT_MAX_FRAME_SIZE = 64 * 1024;
    /** The largest {@link #maxFrameSize()}: a frame and its header must fit one Java array. */
    public static final int MAX_FRAME_SIZE_LIMIT = Integer.MAX_VALUE - 64;

    /** The kinds of framing. */
    public enum Kind {
        /** A frame ends only at CR LF (Spring Integration {@code crlf}); a lone CR or LF is payload. */
        CRLF,
        /** A frame ends at LF (Spring Integration {@code lf}). */
        LF,
        /** A frame ends at LF or CR LF (Netty {@code LineBasedFrameDecoder}); written with LF. */
        LINE,
        /** A frame ends at a sequence of one or more bytes (Spring Integration's single terminator, Netty
         *  {@code DelimiterBasedFrameDecoder} with one delimiter). */
        DELIMITER,
        /** {@code STX payload ETX} (Spring Integration {@code stxetx}). */
        STX_ETX,
        /** A binary length header (Spring Integration {@code lengthHeader1/2/4}, Netty
         *  {@code LengthFieldBasedFrameDecoder}). */
        LENGTH_PREFIX,
        /** A header of N ASCII decimal digits giving the payload's length (ISO 8583 style). */
        ASCII_LENGTH,
        /** Every frame has the same length (Netty {@code FixedLengthFrameDecoder}). */
        FIXED,
        /** The whole stream, to EOF, is one frame (Spring Integration {@code raw}). */
        RAW
    }

    private final Kind kind;
    private final int maxFrameSize;
    private final FrameErrorPolicy errorPolicy;
    private final long maxSkip;
    private final byte[] delimiter;
    private final int fieldLength;
    private final ByteOrder order;
    private final int offset;
    private final long adjustment;
    private final int strip;
    private final boolean lengthIncludesHeader;

    Framing(FramingBuilder b) {
        kind = b.kind;
        maxFrameSize = b.maxFrameSize;
        errorPolicy = b.errorPolicy;
        maxSkip = b.maxSkip;
        delimiter = b.delimiter;
        fieldLength = b.fieldLength;
        order = b.order;
        offset = b.offset;
        adjustment = b.adjustment;
        strip = b.strip;
        lengthIncludesHeader = b.lengthIncludesHeader;
    }

    /** @return frames that end only at CR LF */
    public static Framing crlf() {
        return builder(Kind.CRLF).build();
    }

    /** @return frames that end at LF */
    public static Framing lf() {
        return builder(Kind.LF).build();
    }

    /** @return frames that end at LF or CR LF, written with LF */
    public static Framing line() {
        return builder(Kind.LINE).build();
    }

    /**
     * @param delimiter the bytes that end a frame: one or more, at most 64
     * @return frames that end at {@code delimiter}
     */
    public static Framing delimiter(byte... delimiter) {
        return builder(Kind.DELIMITER).delimiter(delimiter).build();
    }

    /** @return {@code STX payload ETX} frames */
    public static Framing stxEtx() {
        return builder(Kind.STX_ETX).build();
    }

    /**
     * @param bytes the header's size: 1, 2, 3, 4 or 8
     * @return frames behind a big-endian header of {@code bytes} bytes that holds the payload's length (the header
     *         excluded), the header stripped; see {@link FramingBuilder} for byte order, offset, adjustment and stripping
     */
    public static Framing lengthPrefix(int bytes) {
        return builder(Kind.LENGTH_PREFIX).lengthFieldLength(bytes).build();
    }

    /**
     * @param digits the header's size: 1 to 18 ASCII digits
     * @return frames behind a header of {@code digits} decimal digits (zero-padded) that holds the payload's length
     */
    public static Framing asciiLength(int digits) {
        return builder(Kind.ASCII_LENGTH).lengthFieldLength(digits).build();
    }

    /**
     * @param length every frame's size, at least 1; it is also the {@link #maxFrameSize()}
     * @return frames of exactly {@code length} bytes
     */
    public static Framing fixed(int length) {
        return builder(Kind.FIXED).lengthFieldLength(length).build();
    }

    /** @return the whole stream to EOF as one frame, at most {@link #maxFrameSize()} bytes */
    public static Framing raw() {
        return builder(Kind.RAW).build();
    }

    /**
     * @param kind the kind of framing
     * @return a builder with the defaults: {@value #DEFAULT_MAX_FRAME_SIZE} bytes, {@link FrameErrorPolicy#CLOSE},
     *         a 4-byte big-endian length header excluding itself, stripped
     */
    public static FramingBuilder builder(Kind kind) {
        return new FramingBuilder(Objects.requireNonNull(kind, "kind"));
    }

    /** @return a builder holding these options */
    public FramingBuilder toBuilder() {
        FramingBuilder b = new FramingBuilder(kind);
        b.maxFrameSize = maxFrameSize;
        b.errorPolicy = errorPolicy;
        // Derived defaults are derived again, so that changing the size or the header keeps them consistent.
        b.maxSkip = maxSkip == Math.min(Long.MAX_VALUE / 32, 16L * maxFrameSize) ? -1 : maxSkip;
        b.delimiter = delimiter;
        b.fieldLength = fieldLength;
        b.order = order;
        b.offset = offset;
        b.adjustment = adjustment;
        b.strip = strip == offset + fieldLength ? -1 : strip;
        b.lengthIncludesHeader = lengthIncludesHeader;
        return b;
    }

    /** @return the kind of framing */
    public Kind kind() {
        return kind;
    }

    /** @return the most payload bytes a frame may carry (header, delimiter and STX/ETX not counted) */
    public int maxFrameSize() {
        return maxFrameSize;
    }

    /** @return what a reader does at an oversized or corrupt frame */
    public FrameErrorPolicy errorPolicy() {
        return errorPolicy;
    }

    /**
     * @return under {@link FrameErrorPolicy#DISCARD}, the largest whole length-prefixed frame that is skipped
     *         rather than closed on (default 16 × {@link #maxFrameSize()}): a header announcing more is garbage, such
     *         as a TLS or HTTP client on the wrong port, and skipping it would swallow the stream
     */
    public long maxSkip() {
        return maxSkip;
    }

    /** @return a copy of the delimiter ({@link Kind#DELIMITER}; CR LF, LF or LF for the line kinds), else empty */
    public byte[] delimiterBytes() {
        return delimiter.clone();
    }

    /** @return the length field's bytes or digits, the fixed frame length, or 0 */
    public int lengthFieldLength() {
        return fieldLength;
    }

    /** @return the binary length field's byte order */
    public ByteOrder byteOrder() {
        return order;
    }

    /** @return bytes before the length field (Netty {@code lengthFieldOffset}) */
    public int lengthFieldOffset() {
        return offset;
    }

    /** @return what is added to the length field's value (Netty {@code lengthAdjustment}); see {@link FramingBuilder} */
    public long lengthAdjustment() {
        return adjustment;
    }

    /** @return bytes dropped from the front of each frame (Netty {@code initialBytesToStrip}) */
    public int initialBytesToStrip() {
        return strip;
    }

    /** @return whether the length field counts the header too (the frame from its first byte) */
    public boolean lengthIncludesHeader() {
        return lengthIncludesHeader;
    }

    /** @return the adjustment the decoder applies: {@link #lengthAdjustment()}, less the header when included */
    private long effectiveAdjustment() {
        return lengthIncludesHeader ? adjustment - offset - fieldLength : adjustment;
    }

    /** @return a new decoder for one stream */
    FrameDecoder newDecoder() {
        switch (kind) {
            case CRLF:
            case LF:
            case DELIMITER:
                return new DelimiterDecoder(delimiter, false, maxFrameSize, errorPolicy);
            case LINE:
                return new DelimiterDecoder(delimiter, true, maxFrameSize, errorPolicy);
            case STX_ETX:
                return new StxEtxDecoder(maxFrameSize, errorPolicy);
            case LENGTH_PREFIX:
            case ASCII_LENGTH:
                return new LengthFieldDecoder(offset, fieldLength, kind == Kind.ASCII_LENGTH, order,
                        effectiveAdjustment(), strip, maxFrameSize, errorPolicy, maxSkip);
            case FIXED:
                return new FixedLengthDecoder(fieldLength);
            default:
                return new RawDecoder(maxFrameSize, errorPolicy);
        }
    }

    /**
     * @return the encoder
     * @throws IllegalStateException for a length prefix with an offset or that is not stripped whole: such frames
     *     can be read, but what goes before the field is the writer's own business
     */
    FrameEncoder newEncoder() {
        switch (kind) {
            case CRLF:
            case LF:
            case DELIMITER:
                return new FrameEncoder.Delimited(delimiter, false, maxFrameSize);
            case LINE:
                return new FrameEncoder.Delimited(delimiter, true, maxFrameSize);
            case STX_ETX:
                return new FrameEncoder.StxEtx(maxFrameSize);
            case LENGTH_PREFIX:
            case ASCII_LENGTH:
                if (offset != 0 || strip != fieldLength) {
                    throw new IllegalStateException("writing length-prefixed frames needs lengthFieldOffset 0 and "
                            + "initialBytesToStrip = the header (" + fieldLength + "), got " + offset + " and "
                            + strip + ": write the header yourself");
                }
                return new FrameEncoder.LengthField(fieldLength, kind == Kind.ASCII_LENGTH, order,
                        effectiveAdjustment(), maxFrameSize);
            case FIXED:
                return new FrameEncoder.Fixed(fieldLength);
            default:
                return new FrameEncoder.Raw(maxFrameSize);
        }
    }

    @Override
    public String toString() {
        String detail;
        switch (kind) {
            case DELIMITER:
                detail = " delimiter=" + Arrays.toString(delimiter);
                break;
            case LENGTH_PREFIX:
                detail = " bytes=" + fieldLength + " order=" + order + " offset=" + offset + " adjustment="
                        + adjustment + " strip=" + strip + " includesHeader=" + lengthIncludesHeader;
                break;
            case ASCII_LENGTH:
                detail = " digits=" + fieldLength;
                break;
            case FIXED:
                detail = " length=" + fieldLength;
                break;
            default:
                detail = "";
        }
        return "Framing[" + kind + detail + " maxFrameSize=" + maxFrameSize + " onError=" + errorPolicy + "]";
    }
}
