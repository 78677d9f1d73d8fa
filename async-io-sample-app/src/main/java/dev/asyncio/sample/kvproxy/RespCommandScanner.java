package dev.asyncio.sample.kvproxy;

import java.nio.charset.StandardCharsets;

import dev.asyncio.sample.kv.resp.RespIntegers;
import dev.asyncio.sample.kv.resp.RespLimits;
import dev.asyncio.sample.kv.resp.RespProtocolException;

/**
 * Finds where one client command ends and what its name is, without copying its arguments: the proxy forwards a
 * multi-bulk command as the bytes the client sent. Inline commands ({@code GET k} typed into telnet) are found too
 * and marked {@link #inline()}; the proxy re-encodes those (the kv handle's parser splits them with Redis' quoting
 * rules).
 *
 * <p>The same bounds and the same error texts as the kv handle's {@code RespRequestParser} ({@link RespLimits}:
 * header and inline line length, bulk length, argument count, bytes per command), so a client meets one set of
 * rules whether it talks to {@code kv} or through {@code kv-proxy}. After a {@link RespProtocolException} the
 * connection must be closed.
 *
 * <p>Incremental like {@link RespReplyScanner}: an incomplete command is resumed where the scan stopped when more
 * bytes arrive after the same {@code start}. Not thread-safe: one per client connection.
 */
public final class RespCommandScanner {

    /** Command names longer than this are not upper-cased (no command is that long); they are forwarded as given. */
    private static final int MAX_NAME = 64;

    private final RespLimits limits;
    /** Offset from {@code start} of the next header to read; 0 between commands. */
    private int offset;
    /** Arguments still expected by the multi-bulk command in progress; -1 between commands. */
    private int remaining = -1;
    private int arguments;
    private long requestLength;
    private String name;
    private boolean inline;

    /** @param limits the bounds to enforce */
    public RespCommandScanner(RespLimits limits) {
        this.limits = limits;
    }

    /**
     * Scans the command that begins at {@code start}.
     *
     * @param buffer the bytes received
     * @param start  where the command begins; the same on the calls that continue one incomplete command
     * @param end    one past the last byte received
     * @return one past the command's last byte, or {@code -1} when it is incomplete; a blank line or an empty
     *         multi-bulk ({@code *0}) is a command without a {@link #name()}, which Redis ignores
     * @throws RespProtocolException with Redis' text when the command is malformed or over a limit
     */
    public int scan(byte[] buffer, int start, int end) throws RespProtocolException {
        int pos = start + offset;
        if (remaining < 0) {
            if (pos >= end) {
                return -1;
            }
            if (buffer[pos] != '*') {
                return scanInline(buffer, start, end);
            }
            int cr = findCr(buffer, pos, end, "Protocol error: too big mbulk count string");
            if (cr < 0 || cr + 1 >= end) {
                return -1;
            }
            long count = RespIntegers.parse(buffer, pos + 1, cr);
            if (count == RespIntegers.INVALID || count > limits.maxArguments()) {
                throw new RespProtocolException("Protocol error: invalid multibulk length");
            }
            inline = false;
            name = null;
            if (count <= 0) {
                arguments = 0;
                return cr + 2;
            }
            remaining = (int) count;
            arguments = remaining;
            requestLength = 0;
            pos = cr + 2;
        }
        while (remaining > 0) {
            if (pos >= end) {
                return incomplete(start, pos);
            }
            int cr = findCr(buffer, pos, end, "Protocol error: too big bulk count string");
            if (cr < 0 || cr + 1 >= end) {
                return incomplete(start, pos);
            }
            if (buffer[pos] != '$') {
                throw new RespProtocolException("Protocol error: expected '$', got '" + printable(buffer[pos]) + "'");
            }
            long length = RespIntegers.parse(buffer, pos + 1, cr);
            if (length == RespIntegers.INVALID || length < 0 || length > limits.maxBulkLength()) {
                throw new RespProtocolException("Protocol error: invalid bulk length");
            }
            if (requestLength + length > limits.maxRequestLength()) {
                throw new RespProtocolException("Protocol error: too big request");
            }
            int data = cr + 2;
            if ((long) end - data < length + 2) {
                return incomplete(start, pos);
            }
            int dataEnd = data + (int) length;
            if (buffer[dataEnd] != '\r' || buffer[dataEnd + 1] != '\n') {
                throw new RespProtocolException("Protocol error: expected CRLF after bulk string");
            }
            requestLength += length;
            if (remaining == arguments) {
                name = upperName(buffer, data, dataEnd);
            }
            remaining--;
            pos = dataEnd + 2;
        }
        remaining = -1;
        offset = 0;
        return pos;
    }

    private int scanInline(byte[] buffer, int start, int end) throws RespProtocolException {
        int newline = -1;
        for (int i = start; i < end; i++) {
            if (buffer[i] == '\n') {
                newline = i;
                break;
            }
        }
        int lineEnd = newline < 0 ? end : (newline > start && buffer[newline - 1] == '\r' ? newline - 1 : newline);
        if (lineEnd - start > limits.maxLineLength()) {
            throw new RespProtocolException("Protocol error: too big inline request");
        }
        if (newline < 0) {
            return -1;
        }
        inline = true;
        int p = start;
        while (p < lineEnd && isBlank(buffer[p])) {
            p++;
        }
        int q = p;
        while (q < lineEnd && !isBlank(buffer[q])) {
            q++;
        }
        name = p == q ? null : upperName(buffer, p, q);
        arguments = name == null ? 0 : 1;
        return newline + 1;
    }

    /** @return whether the last complete command was an inline one */
    public boolean inline() {
        return inline;
    }

    /**
     * @return the upper-cased name of the last complete command (for an inline command, its first word as typed,
     *         quotes included), or {@code null} for a blank line or an empty multi-bulk
     */
    public String name() {
        return name;
    }

    /** @return the number of arguments of the last complete multi-bulk command, the name included */
    public int argumentCount() {
        return arguments;
    }

    /** @return whether a multi-bulk command has started but is not complete */
    public boolean inCommand() {
        return remaining > 0;
    }

    private int incomplete(int start, int pos) {
        offset = pos - start;
        return -1;
    }

    private int findCr(byte[] buffer, int from, int end, String tooLong) throws RespProtocolException {
        int limit = (int) Math.min(end, (long) from + limits.maxLineLength() + 1);
        for (int i = from; i < limit; i++) {
            if (buffer[i] == '\r') {
                return i;
            }
        }
        if (end - from > limits.maxLineLength()) {
            throw new RespProtocolException(tooLong);
        }
        return -1;
    }

    private static String upperName(byte[] buffer, int from, int to) {
        if (to - from > MAX_NAME) {
            return new String(buffer, from, to - from, StandardCharsets.ISO_8859_1);
        }
        char[] chars = new char[to - from];
        for (int i = from; i < to; i++) {
            int c = buffer[i] & 0xff;
            chars[i - from] = (char) (c >= 'a' && c <= 'z' ? c - 32 : c);
        }
        return new String(chars);
    }

    private static boolean isBlank(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == 0;
    }

    private static char printable(byte b) {
        return b == '\r' || b == '\n' ? ' ' : (char) (b & 0xff);
    }
}
