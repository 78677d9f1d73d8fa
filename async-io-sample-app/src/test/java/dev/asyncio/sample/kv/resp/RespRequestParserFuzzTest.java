package dev.asyncio.sample.kv.resp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * Hostile input, generated from fixed seeds: whatever arrives, in whatever pieces, the parser either consumes a valid
 * prefix or throws {@link RespProtocolException}; it never throws anything else, never claims more bytes than it was
 * given, and never holds more than the limits allow.
 */
class RespRequestParserFuzzTest {

    private static final RespLimits SMALL = new RespLimits(256, 1024, 64, 8 * 1024);
    private static final byte[] ALPHABET = "*$\r\n0123456789-+ \"'\\xABCDEFGHIJ".getBytes(StandardCharsets.ISO_8859_1);

    @Test
    void randomBytesOnlyEverCauseProtocolErrors() {
        for (int seed = 0; seed < 300; seed++) {
            Random random = new Random(seed);
            byte[] input = new byte[random.nextInt(4096)];
            for (int i = 0; i < input.length; i++) {
                // Mostly protocol-looking bytes, so the parser gets deep into its states, plus raw noise.
                input[i] = random.nextInt(4) == 0 ? (byte) random.nextInt(256)
                        : ALPHABET[random.nextInt(ALPHABET.length)];
            }
            feedInRandomPieces(input, random);
        }
    }

    @Test
    void mutatedValidRequestsOnlyEverCauseProtocolErrors() {
        byte[] valid = ("*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\nGET key\r\n*1\r\n$4\r\nPING\r\n"
                + "SET \"a b\" 'c'\r\n").getBytes(StandardCharsets.ISO_8859_1);
        for (int seed = 0; seed < 300; seed++) {
            Random random = new Random(seed);
            byte[] input = Arrays.copyOf(valid, valid.length);
            for (int m = 0; m < 1 + random.nextInt(4); m++) {
                input[random.nextInt(input.length)] = ALPHABET[random.nextInt(ALPHABET.length)];
            }
            feedInRandomPieces(input, random);
        }
    }

    private static void feedInRandomPieces(byte[] input, Random random) {
        RespRequestParser parser = new RespRequestParser(SMALL);
        byte[] pending = new byte[0];
        int at = 0;
        try {
            while (at < input.length) {
                int piece = 1 + random.nextInt(64);
                int end = Math.min(input.length, at + piece);
                byte[] buffer = Arrays.copyOf(pending, pending.length + end - at);
                System.arraycopy(input, at, buffer, pending.length, end - at);
                at = end;
                int consumed = parser.parse(buffer, 0, buffer.length, args -> {
                    assertThat(args).isNotEmpty().hasSizeLessThanOrEqualTo(SMALL.maxArguments());
                    args.forEach(a -> assertThat(a.length).isLessThanOrEqualTo(SMALL.maxBulkLength()));
                    return true;
                });
                assertThat(consumed).isBetween(0, buffer.length);
                pending = Arrays.copyOfRange(buffer, consumed, buffer.length);
                // Unconsumed input is at most one line or one bulk string (plus its CRLF and header) long.
                assertThat(pending.length).isLessThanOrEqualTo(SMALL.maxBulkLength() + SMALL.maxLineLength() + 66);
            }
        } catch (RespProtocolException expected) {
            assertThat(expected.getMessage()).startsWith("Protocol error: ").doesNotContain("\r").doesNotContain("\n");
        }
    }
}
