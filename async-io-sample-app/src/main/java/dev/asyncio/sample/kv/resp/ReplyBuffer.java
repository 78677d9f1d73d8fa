package dev.asyncio.sample.kv.resp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Encodes RESP2 replies into a growing byte array: simple strings, errors, integers, bulk strings, nulls and array
 * headers. The connection collects the replies of one batch of pipelined commands here and writes them with a single
 * socket write.
 *
 * <p>Bounded: appending beyond {@code hardLimit} bytes throws {@link ReplyLimitExceededException}, the counterpart of
 * Redis' client output buffer limit (a client whose replies pile up is disconnected rather than filling the heap).
 *
 * <p>Not thread-safe: one per connection, used on its loop thread.
 */
public final class ReplyBuffer {

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] NULL_BULK = "$-1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL_ARRAY = "*-1\r\n".getBytes(StandardCharsets.US_ASCII);

    private final long hardLimit;
    private byte[] bytes = new byte[256];
    private int size;

    /** @param hardLimit the most bytes this buffer may hold; positive */
    public ReplyBuffer(long hardLimit) {
        if (hardLimit <= 0) {
            throw new IllegalArgumentException("hardLimit must be positive, got " + hardLimit);
        }
        this.hardLimit = hardLimit;
    }

    /** @return the number of bytes encoded and not yet taken */
    public int size() {
        return size;
    }

    /** @return whether nothing is waiting to be taken */
    public boolean isEmpty() {
        return size == 0;
    }

    /**
     * Takes the encoded bytes, leaving the buffer empty.
     *
     * @return a new array of exactly {@link #size()} bytes
     */
    public byte[] take() {
        byte[] out = Arrays.copyOf(bytes, size);
        size = 0;
        if (bytes.length > 64 * 1024) {
            // Don't keep a large array alive for an idle connection.
            bytes = new byte[256];
        }
        return out;
    }

    /** Discards everything encoded so far. */
    public void clear() {
        size = 0;
    }

    /**
     * @param text a status text without CR or LF, e.g. {@code OK}
     * @return this
     */
    public ReplyBuffer simple(String text) {
        return line('+', text);
    }

    /**
     * Appends an error reply. CR and LF inside {@code text} become blanks, as Redis does, so that a peer-supplied
     * string quoted in an error cannot break the framing.
     *
     * @param text the error text starting with its code, e.g. {@code ERR syntax error}
     * @return this
     */
    public ReplyBuffer error(String text) {
        return line('-', text.replace('\r', ' ').replace('\n', ' '));
    }

    /**
     * @param value the integer
     * @return this
     */
    public ReplyBuffer integer(long value) {
        return line(':', Long.toString(value));
    }

    /**
     * @param value the bytes of a bulk string, or {@code null} for the null bulk string
     * @return this
     */
    public ReplyBuffer bulk(byte[] value) {
        if (value == null) {
            return append(NULL_BULK);
        }
        line('$', Integer.toString(value.length));
        append(value);
        return append(CRLF);
    }

    /**
     * @param value a bulk string given as text (UTF-8), or {@code null}
     * @return this
     */
    public ReplyBuffer bulk(String value) {
        return bulk(value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    /** @return this, after the null bulk string {@code $-1} */
    public ReplyBuffer nullBulk() {
        return append(NULL_BULK);
    }

    /** @return this, after the null array {@code *-1} */
    public ReplyBuffer nullArray() {
        return append(NULL_ARRAY);
    }

    /**
     * @param count the number of elements that follow
     * @return this
     */
    public ReplyBuffer arrayHeader(int count) {
        return line('*', Integer.toString(count));
    }

    private ReplyBuffer line(char type, String text) {
        byte[] encoded = text.getBytes(StandardCharsets.UTF_8);
        ensure(encoded.length + 3L);
        bytes[size++] = (byte) type;
        System.arraycopy(encoded, 0, bytes, size, encoded.length);
        size += encoded.length;
        bytes[size++] = '\r';
        bytes[size++] = '\n';
        return this;
    }

    private ReplyBuffer append(byte[] data) {
        ensure(data.length);
        System.arraycopy(data, 0, bytes, size, data.length);
        size += data.length;
        return this;
    }

    private void ensure(long extra) {
        long needed = size + extra;
        if (needed > hardLimit) {
            throw new ReplyLimitExceededException(hardLimit);
        }
        if (needed > bytes.length) {
            long grown = Math.max(needed, Math.min(hardLimit, (long) bytes.length * 2));
            bytes = Arrays.copyOf(bytes, (int) Math.min(grown, Integer.MAX_VALUE - 8));
        }
    }
}
