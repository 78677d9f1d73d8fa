package dev.asyncio.spring.autoconfigure;

import dev.asyncio.core.FrameErrorPolicy;
import org.jspecify.annotations.Nullable;

import org.springframework.util.unit.DataSize;

/**
 * {@code async-io.handles.<name>.framing.*}: how a handle's connections cut their input into frames, mapped onto the
 * core's {@link dev.asyncio.core.Framing} by {@link FramingMapper}. Binding only checks types; the values are
 * checked at start-up, naming the property.
 */
public class FramingProperties {

    /** The kinds of framing a handle may use; {@code none} = the connection function reads bytes itself. */
    public enum Type {
        /** No framing: the connection function is a plain {@code ConnectionFunction}. */
        NONE,
        /** A frame ends only at CR LF. */
        CRLF,
        /** A frame ends at LF. */
        LF,
        /** A frame ends at LF or CR LF; written with LF. */
        LINE,
        /** A frame ends at the {@code delimiter} bytes. */
        DELIMITER,
        /** STX payload ETX. */
        STX_ETX,
        /** A binary length header ({@code length-field-length} bytes). */
        LENGTH_PREFIX,
        /** A header of {@code ascii-digits} ASCII decimal digits (ISO 8583 style). */
        ASCII_LENGTH,
        /** Every frame is {@code fixed-length} bytes. */
        FIXED,
        /** The whole stream, to EOF, is one frame. */
        RAW
    }

    /** The byte order of a binary length header. */
    public enum Order {
        /** Most significant byte first (network order). */
        BIG_ENDIAN,
        /** Least significant byte first. */
        LITTLE_ENDIAN
    }

    /** Kind of framing; none (the default) leaves the bytes to the connection function. */
    private Type type = Type.NONE;

    /** Largest payload of a frame (header, delimiter and STX/ETX not counted); default 64KB. */
    private @Nullable DataSize maxFrameSize;

    /** What an oversized or corrupt frame does: close the connection (default) or discard the frame and go on. */
    private FrameErrorPolicy onTooLong = FrameErrorPolicy.CLOSE;

    /** Under on-too-long=discard, the largest announced frame that is skipped rather than closing; default 16 x max-frame-size. */
    private @Nullable DataSize maxSkip;

    /** Delimiter of type delimiter: characters U+0000..U+00FF, one byte each; escapes \r \n \t \0 \\ and \xHH. */
    private @Nullable String delimiter;

    /** Bytes of a length-prefix header: 1, 2, 3, 4 or 8; default 4. */
    private @Nullable Integer lengthFieldLength;

    /** Byte order of a length-prefix header; default big-endian. */
    private @Nullable Order byteOrder;

    /** Whether the length header counts the whole frame from its first byte, header included. */
    private @Nullable Boolean lengthIncludesHeader;

    /** Bytes before the length field (length-prefix, ascii-length); default 0. */
    private @Nullable Integer lengthFieldOffset;

    /** Added to the length field's value to get the bytes that follow the field (Netty's lengthAdjustment). */
    private @Nullable Long lengthAdjustment;

    /** Bytes dropped from the start of each frame; default the whole header. */
    private @Nullable Integer initialBytesToStrip;

    /** Digits of an ascii-length header: 1 to 18. */
    private @Nullable Integer asciiDigits;

    /** Length of every frame of type fixed. */
    private @Nullable DataSize fixedLength;

    /** @return the kind of framing */
    public Type getType() {
        return this.type;
    }

    /** @param type the kind of framing */
    public void setType(Type type) {
        this.type = type;
    }

    /** @return the largest payload, {@code null} = the core's default */
    public @Nullable DataSize getMaxFrameSize() {
        return this.maxFrameSize;
    }

    /** @param maxFrameSize the largest payload */
    public void setMaxFrameSize(@Nullable DataSize maxFrameSize) {
        this.maxFrameSize = maxFrameSize;
    }

    /** @return the policy for oversized and corrupt frames */
    public FrameErrorPolicy getOnTooLong() {
        return this.onTooLong;
    }

    /** @param onTooLong the policy for oversized and corrupt frames */
    public void setOnTooLong(FrameErrorPolicy onTooLong) {
        this.onTooLong = onTooLong;
    }

    /** @return the largest skipped frame, {@code null} = the core's default */
    public @Nullable DataSize getMaxSkip() {
        return this.maxSkip;
    }

    /** @param maxSkip the largest skipped frame */
    public void setMaxSkip(@Nullable DataSize maxSkip) {
        this.maxSkip = maxSkip;
    }

    /** @return the delimiter, escapes not yet resolved */
    public @Nullable String getDelimiter() {
        return this.delimiter;
    }

    /** @param delimiter the delimiter */
    public void setDelimiter(@Nullable String delimiter) {
        this.delimiter = delimiter;
    }

    /** @return the length header's size in bytes */
    public @Nullable Integer getLengthFieldLength() {
        return this.lengthFieldLength;
    }

    /** @param lengthFieldLength the length header's size in bytes */
    public void setLengthFieldLength(@Nullable Integer lengthFieldLength) {
        this.lengthFieldLength = lengthFieldLength;
    }

    /** @return the length header's byte order */
    public @Nullable Order getByteOrder() {
        return this.byteOrder;
    }

    /** @param byteOrder the length header's byte order */
    public void setByteOrder(@Nullable Order byteOrder) {
        this.byteOrder = byteOrder;
    }

    /** @return whether the length counts the header */
    public @Nullable Boolean getLengthIncludesHeader() {
        return this.lengthIncludesHeader;
    }

    /** @param lengthIncludesHeader whether the length counts the header */
    public void setLengthIncludesHeader(@Nullable Boolean lengthIncludesHeader) {
        this.lengthIncludesHeader = lengthIncludesHeader;
    }

    /** @return the bytes before the length field */
    public @Nullable Integer getLengthFieldOffset() {
        return this.lengthFieldOffset;
    }

    /** @param lengthFieldOffset the bytes before the length field */
    public void setLengthFieldOffset(@Nullable Integer lengthFieldOffset) {
        this.lengthFieldOffset = lengthFieldOffset;
    }

    /** @return the length adjustment */
    public @Nullable Long getLengthAdjustment() {
        return this.lengthAdjustment;
    }

    /** @param lengthAdjustment the length adjustment */
    public void setLengthAdjustment(@Nullable Long lengthAdjustment) {
        this.lengthAdjustment = lengthAdjustment;
    }

    /** @return the bytes stripped from each frame's start */
    public @Nullable Integer getInitialBytesToStrip() {
        return this.initialBytesToStrip;
    }

    /** @param initialBytesToStrip the bytes stripped from each frame's start */
    public void setInitialBytesToStrip(@Nullable Integer initialBytesToStrip) {
        this.initialBytesToStrip = initialBytesToStrip;
    }

    /** @return the digits of an ASCII length header */
    public @Nullable Integer getAsciiDigits() {
        return this.asciiDigits;
    }

    /** @param asciiDigits the digits of an ASCII length header */
    public void setAsciiDigits(@Nullable Integer asciiDigits) {
        this.asciiDigits = asciiDigits;
    }

    /** @return the length of a fixed frame */
    public @Nullable DataSize getFixedLength() {
        return this.fixedLength;
    }

    /** @param fixedLength the length of a fixed frame */
    public void setFixedLength(@Nullable DataSize fixedLength) {
        this.fixedLength = fixedLength;
    }
}
