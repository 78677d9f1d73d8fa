package dev.asyncio.sample.kvproxy;

import dev.asyncio.sample.kv.resp.RespIntegers;
import dev.asyncio.sample.kv.resp.RespProtocolException;

/**
 * Finds where one complete RESP reply ends in a stream of bytes from a Redis-protocol server, without copying or
 * decoding it: the proxy forwards replies as the bytes they are. This is the reply framing of the {@code kv-proxy}
 * (the core's {@code Framing} has no RESP kind and no custom decoder, so it lives here).
 *
 * <p>RESP2 ({@code + - : $ *}) and, so that a server that speaks RESP3 to someone else cannot desynchronise the
 * proxy, the RESP3 types too ({@code _ , # ( = ! % ~ > |}). Nested arrays need no stack: the scanner counts the
 * elements still expected ({@code *3} adds three, each element read takes one away), and the reply is complete when
 * that count reaches zero.
 *
 * <p>Incremental: when a reply is incomplete, {@link #scan} returns {@code -1} and remembers how far it got, so the
 * next call (with the same {@code start} and more bytes after it) continues there instead of rescanning; a large
 * bulk string is skipped by its length, never byte by byte.
 *
 * <p>Bounded: a reply longer than {@code maxReplyBytes}, or one that announces more elements than that many bytes
 * could hold, is a {@link RespProtocolException}; so is a malformed header. After one, the connection it came from
 * must be closed: the scanner does not resynchronise. Not thread-safe: one per upstream connection.
 */
public final class RespReplyScanner {

    /** The longest header line (type byte, digits or status text) waited for before the input is refused. */
    static final int MAX_LINE = 64 * 1024;

    private final long maxReplyBytes;
    /** Offset from {@code start} of the next byte to examine in the reply being scanned. */
    private int offset;
    /** Elements the reply being scanned still needs; 0 between replies. */
    private long pending;

    /** @param maxReplyBytes the longest reply accepted, in bytes; positive */
    public RespReplyScanner(long maxReplyBytes) {
        if (maxReplyBytes <= 0) {
            throw new IllegalArgumentException("maxReplyBytes must be positive, got " + maxReplyBytes);
        }
        this.maxReplyBytes = maxReplyBytes;
    }

    /**
     * Scans the reply that begins at {@code start}.
     *
     * @param buffer the bytes received
     * @param start  where the reply begins; must be the same on the calls that continue one incomplete reply
     * @param end    one past the last byte received
     * @return one past the last byte of the reply, or {@code -1} when it is not complete yet
     * @throws RespProtocolException when the bytes are not a RESP reply or the reply is over the limit
     */
    public int scan(byte[] buffer, int start, int end) throws RespProtocolException {
        if (pending == 0) {
            pending = 1;
            offset = 0;
        }
        int pos = start + offset;
        while (pending > 0) {
            if (pos >= end) {
                return incomplete(start, pos);
            }
            int cr = indexOfCr(buffer, pos, end);
            if (cr < 0 || cr + 1 >= end) {
                if (end - pos > MAX_LINE) {
                    throw new RespProtocolException("upstream reply line longer than " + MAX_LINE + " bytes");
                }
                return incomplete(start, pos);
            }
            if (buffer[cr + 1] != '\n') {
                throw new RespProtocolException("upstream reply line not ended by CRLF");
            }
            byte type = buffer[pos];
            int next = cr + 2;
            switch (type) {
                case '+', '-', ':', '_', ',', '#', '(' -> pending--;
                case '$', '=', '!' -> {
                    long length = length(buffer, pos + 1, cr);
                    if (length >= 0) {
                        if ((long) next - start + length + 2 > maxReplyBytes) {
                            throw tooLong();
                        }
                        if ((long) end - next < length + 2) {
                            // Skip nothing yet: resume at this header once the whole string has arrived.
                            return incomplete(start, pos);
                        }
                        int dataEnd = next + (int) length;
                        if (buffer[dataEnd] != '\r' || buffer[dataEnd + 1] != '\n') {
                            throw new RespProtocolException("upstream bulk string not followed by CRLF");
                        }
                        next = dataEnd + 2;
                    }
                    pending--;
                }
                case '*', '~', '>' -> pending = pending - 1 + elements(buffer, pos + 1, cr, 1);
                case '%' -> pending = pending - 1 + elements(buffer, pos + 1, cr, 2);
                // An attribute map precedes the element it describes: it adds its entries and takes none.
                case '|' -> pending += elements(buffer, pos + 1, cr, 2);
                default -> throw new RespProtocolException("upstream sent '" + printable(type)
                        + "', not a RESP reply type");
            }
            if ((long) next - start > maxReplyBytes) {
                throw tooLong();
            }
            pos = next;
        }
        offset = 0;
        return pos;
    }

    /** Forgets the reply in progress (after its connection was closed). */
    public void reset() {
        pending = 0;
        offset = 0;
    }

    /** @return whether part of a reply has been scanned and the rest is awaited */
    public boolean inReply() {
        return pending > 0;
    }

    private int incomplete(int start, int pos) {
        offset = pos - start;
        return -1;
    }

    private long elements(byte[] buffer, int from, int to, int perEntry) throws RespProtocolException {
        long count = length(buffer, from, to);
        if (count < 0) {
            return 0;
        }
        // Each element takes at least 3 bytes ("_\r\n"): a count no reply within the limit could hold is refused
        // now, before the scanner waits for it.
        if (count * perEntry > maxReplyBytes / 3) {
            throw tooLong();
        }
        return count * perEntry;
    }

    /** @return the length, or -1 for a null ({@code $-1}, {@code *-1}) */
    private static long length(byte[] buffer, int from, int to) throws RespProtocolException {
        long value = RespIntegers.parse(buffer, from, to);
        if (value == RespIntegers.INVALID || value < -1) {
            throw new RespProtocolException("upstream sent an invalid length");
        }
        return value;
    }

    private RespProtocolException tooLong() {
        return new RespProtocolException("upstream reply longer than " + maxReplyBytes + " bytes");
    }

    private static int indexOfCr(byte[] buffer, int from, int end) {
        for (int i = from; i < end; i++) {
            if (buffer[i] == '\r') {
                return i;
            }
        }
        return -1;
    }

    private static char printable(byte b) {
        return b < 0x20 || b > 0x7e ? '?' : (char) b;
    }
}
