package dev.asyncio.sample.kv.resp;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits one inline request line ({@code SET "a key" 'it\'s'}) into arguments with the rules of Redis'
 * {@code sdssplitargs}: blanks separate arguments; double quotes allow the escapes {@code \n \r \t \b \a \\ \"} and
 * {@code \xHH}; single quotes allow {@code \'}; a closing quote must be followed by a blank or the end of the line.
 *
 * <p>Stateless and thread-safe.
 */
final class InlineArgumentSplitter {

    private InlineArgumentSplitter() {
    }

    /**
     * @param line   the buffer holding the line
     * @param start  the first byte of the line
     * @param end    one past the last byte of the line (without the line terminator)
     * @return the arguments, possibly none for a blank line
     * @throws RespProtocolException with Redis' text when quotes are unbalanced
     */
    static List<byte[]> split(byte[] line, int start, int end) throws RespProtocolException {
        List<byte[]> args = new ArrayList<>();
        int p = start;
        while (true) {
            while (p < end && isSpace(line[p])) {
                p++;
            }
            if (p >= end) {
                return args;
            }
            ByteArrayOutputStream current = new ByteArrayOutputStream();
            boolean inDouble = false;
            boolean inSingle = false;
            boolean done = false;
            while (!done) {
                if (inDouble) {
                    if (p >= end) {
                        throw unbalanced();
                    }
                    byte c = line[p];
                    if (c == '\\' && p + 3 < end && line[p + 1] == 'x' && isHex(line[p + 2]) && isHex(line[p + 3])) {
                        current.write(hex(line[p + 2]) * 16 + hex(line[p + 3]));
                        p += 3;
                    } else if (c == '\\' && p + 1 < end) {
                        p++;
                        current.write(escaped(line[p]));
                    } else if (c == '"') {
                        // "foo"bar is refused: the closing quote must end the argument.
                        if (p + 1 < end && !isSpace(line[p + 1])) {
                            throw unbalanced();
                        }
                        done = true;
                    } else {
                        current.write(c);
                    }
                } else if (inSingle) {
                    if (p >= end) {
                        throw unbalanced();
                    }
                    byte c = line[p];
                    if (c == '\\' && p + 1 < end && line[p + 1] == '\'') {
                        p++;
                        current.write('\'');
                    } else if (c == '\'') {
                        if (p + 1 < end && !isSpace(line[p + 1])) {
                            throw unbalanced();
                        }
                        done = true;
                    } else {
                        current.write(c);
                    }
                } else if (p >= end) {
                    done = true;
                } else {
                    byte c = line[p];
                    switch (c) {
                        case ' ', '\n', '\r', '\t', 0 -> done = true;
                        case '"' -> inDouble = true;
                        case '\'' -> inSingle = true;
                        default -> current.write(c);
                    }
                }
                if (p < end) {
                    p++;
                }
            }
            args.add(current.toByteArray());
        }
    }

    private static RespProtocolException unbalanced() {
        return new RespProtocolException("Protocol error: unbalanced quotes in request");
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0b || c == '\f';
    }

    private static boolean isHex(byte c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static int hex(byte c) {
        return Character.digit(c, 16);
    }

    private static int escaped(byte c) {
        return switch (c) {
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'b' -> '\b';
            case 'a' -> 7;
            default -> c;
        };
    }
}
