package dev.asyncio.sample.kv.resp;

import java.util.ArrayList;
import java.util.List;

/**
 * An incremental parser of Redis requests, both forms Redis accepts: multi-bulk arrays of bulk strings
 * ({@code *2\r\n$3\r\nGET\r\n$1\r\nk\r\n}) and inline commands ({@code GET k\r\n}, as typed into telnet).
 *
 * <p>It is made for {@code AsyncIoState.readWithChecking}: each call parses the undiscarded bytes of the state's
 * buffer, hands every complete command to a {@link CommandSink}, and returns how many bytes it consumed so the caller
 * can {@code discard} them. Header lines of a command that is not complete yet are consumed too (the parser remembers
 * the arguments read so far); only an incomplete line or an incomplete bulk string is left in the buffer, so no byte
 * is scanned twice except inside one header line.
 *
 * <p>Bounded: an argument is only allocated once all its bytes have arrived, the list of arguments grows with the
 * arguments actually received (never pre-sized from the peer's count), and {@link RespLimits} caps line length, bulk
 * length and argument count. Input over a bound throws {@link RespProtocolException} with Redis' own error text.
 *
 * <p>One parser per connection; not thread-safe (it runs on the connection's loop thread). After it has thrown, the
 * connection must be closed: the parser does not resynchronise.
 */
public final class RespRequestParser {

    /** Receives each complete command. */
    @FunctionalInterface
    public interface CommandSink {
        /**
         * @param arguments the command name and its arguments, never empty; the caller owns the list
         * @return {@code true} to go on parsing, {@code false} to stop after this command (for example because the
         *         connection has enough output queued)
         */
        boolean accept(List<byte[]> arguments);
    }

    private final RespLimits limits;
    /** Arguments of the multi-bulk command in progress; {@code null} between commands. */
    private List<byte[]> arguments;
    /** Bytes of the arguments of the unfinished request parsed so far. */
    private long heldArgumentBytes;
    /** Heap the unfinished request's arguments retain: the arrays with their headers, and the list. */
    private long heldArgumentHeap;
    /** Capacity of {@link #arguments}' element array, followed as ArrayList grows it (by half). */
    private int listCapacity;
    /** Arguments the multi-bulk command in progress still expects. */
    private int remaining;
    /** Length of the bulk string whose header was read; -1 when the next thing is a {@code $} header. */
    private int bulkLength = -1;
    /** Bulk bytes announced so far by the multi-bulk command in progress. */
    private long requestLength;

    /** @param limits the bounds to enforce */
    public RespRequestParser(RespLimits limits) {
        this.limits = limits;
    }

    /** @return whether a multi-bulk command has started but not finished */
    public boolean inCommand() {
        return arguments != null;
    }

    /**
     * Parses {@code buffer[start, end)}.
     *
     * @param buffer the bytes received and not yet consumed
     * @param start  where the unconsumed bytes begin
     * @param end    where they end
     * @param sink   receives each complete command, in order
     * @return the number of bytes consumed from {@code start}; the rest must be presented again, followed by new
     *         bytes, on the next call
     * @throws RespProtocolException when the input is malformed or over a limit
     */
    public int parse(byte[] buffer, int start, int end, CommandSink sink) throws RespProtocolException {
        int pos = start;
        while (true) {
            if (arguments == null) {
                if (pos >= end) {
                    break;
                }
                if (buffer[pos] == '*') {
                    int cr = findCr(buffer, pos, end, "Protocol error: too big mbulk count string");
                    if (cr < 0 || cr + 1 >= end) {
                        break;
                    }
                    long count = RespIntegers.parse(buffer, pos + 1, cr);
                    if (count == RespIntegers.INVALID || count > limits.maxArguments()) {
                        throw new RespProtocolException("Protocol error: invalid multibulk length");
                    }
                    pos = cr + 2;
                    if (count <= 0) {
                        // Redis ignores "*0" and "*-1" as empty requests.
                        continue;
                    }
                    remaining = (int) count;
                    listCapacity = Math.min(remaining, 16);
                    arguments = new ArrayList<>(listCapacity);
                    heldArgumentBytes = 0;
                    heldArgumentHeap = HeapSizes.ARRAY_LIST + HeapSizes.referenceArray(listCapacity);
                    bulkLength = -1;
                    requestLength = 0;
                } else {
                    int newline = indexOf(buffer, pos, end, (byte) '\n');
                    if (newline < 0) {
                        if (end - pos > limits.maxLineLength()) {
                            throw new RespProtocolException("Protocol error: too big inline request");
                        }
                        break;
                    }
                    int lineEnd = newline > pos && buffer[newline - 1] == '\r' ? newline - 1 : newline;
                    if (lineEnd - pos > limits.maxLineLength()) {
                        throw new RespProtocolException("Protocol error: too big inline request");
                    }
                    List<byte[]> inline = InlineArgumentSplitter.split(buffer, pos, lineEnd);
                    pos = newline + 1;
                    if (inline.isEmpty()) {
                        continue;
                    }
                    if (inline.size() > limits.maxArguments()) {
                        throw new RespProtocolException("Protocol error: invalid multibulk length");
                    }
                    if (!sink.accept(inline)) {
                        return pos - start;
                    }
                    continue;
                }
            }
            while (remaining > 0) {
                if (bulkLength < 0) {
                    if (pos >= end) {
                        return pos - start;
                    }
                    int cr = findCr(buffer, pos, end, "Protocol error: too big bulk count string");
                    if (cr < 0 || cr + 1 >= end) {
                        return pos - start;
                    }
                    if (buffer[pos] != '$') {
                        throw new RespProtocolException("Protocol error: expected '$', got '"
                                + printable(buffer[pos]) + "'");
                    }
                    long length = RespIntegers.parse(buffer, pos + 1, cr);
                    if (length == RespIntegers.INVALID || length < 0 || length > limits.maxBulkLength()) {
                        throw new RespProtocolException("Protocol error: invalid bulk length");
                    }
                    requestLength += length;
                    if (requestLength > limits.maxRequestLength()) {
                        throw new RespProtocolException("Protocol error: too big request");
                    }
                    bulkLength = (int) length;
                    pos = cr + 2;
                }
                // Wait for the whole bulk string and its CRLF before allocating anything for it.
                if ((long) end - pos < (long) bulkLength + 2) {
                    return pos - start;
                }
                int dataEnd = pos + bulkLength;
                if (buffer[dataEnd] != '\r' || buffer[dataEnd + 1] != '\n') {
                    throw new RespProtocolException("Protocol error: expected CRLF after bulk string");
                }
                byte[] argument = new byte[bulkLength];
                System.arraycopy(buffer, pos, argument, 0, bulkLength);
                arguments.add(argument);
                heldArgumentBytes += bulkLength;
                heldArgumentHeap += HeapSizes.byteArray(bulkLength);
                if (arguments.size() > listCapacity) {
                    int grown = listCapacity + Math.max(1, listCapacity >> 1);
                    heldArgumentHeap += HeapSizes.referenceArray(grown) - HeapSizes.referenceArray(listCapacity);
                    listCapacity = grown;
                }
                pos = dataEnd + 2;
                bulkLength = -1;
                remaining--;
            }
            List<byte[]> command = arguments;
            arguments = null;
            heldArgumentBytes = 0;
            if (!sink.accept(command)) {
                return pos - start;
            }
        }
        return pos - start;
    }

    /** Finds the CR ending a header line; -1 when not there yet, failing once the line is longer than allowed. */
    private int findCr(byte[] buffer, int from, int end, String tooLong) throws RespProtocolException {
        int limit = (int) Math.min(end, (long) from + limits.maxLineLength() + 1);
        int cr = indexOf(buffer, from, limit, (byte) '\r');
        if (cr < 0 && end - from > limits.maxLineLength()) {
            throw new RespProtocolException(tooLong);
        }
        return cr;
    }

    private static int indexOf(byte[] buffer, int from, int end, byte b) {
        for (int i = from; i < end; i++) {
            if (buffer[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static char printable(byte b) {
        // An error line must not carry CR or LF; Redis replaces them with blanks too.
        return b == '\r' || b == '\n' ? ' ' : (char) (b & 0xff);
    }

    /** @return bytes of the arguments of the unfinished request parsed so far (0 between requests) */
    public long heldArgumentBytes() {
        return arguments == null ? 0 : heldArgumentBytes;
    }

    /**
     * @return heap bytes the unfinished request's parsed arguments retain: each array with its header and padding,
     *         and the list holding them (0 between requests)
     */
    public long heldArgumentHeapBytes() {
        return arguments == null ? 0 : heldArgumentHeap;
    }
}
