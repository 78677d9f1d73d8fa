package dev.asyncio.sample.kv.resp;

/**
 * Parses decimal integers exactly as Redis' {@code string2ll} does: an optional minus sign, no plus sign, no blanks,
 * no leading zeros (except the single digit {@code 0}), and a value that fits in a signed 64-bit integer. Redis uses
 * this rule for protocol lengths and for command arguments such as {@code INCRBY}'s increment, so {@code "+1"},
 * {@code " 1"}, {@code "01"} and {@code "-0"} are all refused.
 *
 * <p>Stateless and thread-safe.
 */
public final class RespIntegers {

    /**
     * Returned for text that is not such an integer. It is {@link Long#MIN_VALUE}, so callers that accept the full
     * range use {@link #parse(byte[])} together with {@link #isInteger(byte[])}.
     */
    public static final long INVALID = Long.MIN_VALUE;

    private RespIntegers() {
    }

    /**
     * @param text the ASCII digits
     * @return whether {@code text} is an integer by Redis' rule (including {@code -9223372036854775808})
     */
    public static boolean isInteger(byte[] text) {
        return parse(text, 0, text.length) != INVALID || "-9223372036854775808".equals(ascii(text));
    }

    /**
     * @param text the ASCII digits
     * @return the value, or {@link #INVALID}
     */
    public static long parse(byte[] text) {
        return parse(text, 0, text.length);
    }

    /**
     * @param text  a buffer
     * @param start the first digit (or the minus sign)
     * @param end   one past the last digit
     * @return the value, or {@link #INVALID} (also for {@link Long#MIN_VALUE} itself; see {@link #isInteger})
     */
    public static long parse(byte[] text, int start, int end) {
        int length = end - start;
        if (length <= 0 || length > 20) {
            return INVALID;
        }
        if (length == 1 && text[start] == '0') {
            return 0;
        }
        boolean negative = text[start] == '-';
        int p = negative ? start + 1 : start;
        if (p >= end || text[p] < '1' || text[p] > '9') {
            return INVALID;
        }
        long value = 0;
        for (; p < end; p++) {
            byte c = text[p];
            if (c < '0' || c > '9') {
                return INVALID;
            }
            int digit = c - '0';
            // Accumulate negatively: the negative range is one larger than the positive one.
            if (value < (Long.MIN_VALUE + digit) / 10) {
                return INVALID;
            }
            value = value * 10 - digit;
        }
        if (negative) {
            return value == Long.MIN_VALUE ? INVALID : value;
        }
        return value == Long.MIN_VALUE ? INVALID : -value;
    }

    private static String ascii(byte[] text) {
        return new String(text, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
