package dev.asyncio.sample.kv.resp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class RespRequestParserTest {

    private final List<List<String>> commands = new ArrayList<>();
    private RespRequestParser parser = new RespRequestParser(RespLimits.DEFAULTS);
    /** Bytes the parser has not consumed yet, as a read-with-checking buffer would keep them. */
    private byte[] pending = new byte[0];

    /** Appends bytes and parses, discarding what was consumed, as the connection does in its read callback. */
    private void feed(String text) throws RespProtocolException {
        feed(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private void feed(byte[] bytes) throws RespProtocolException {
        byte[] buffer = Arrays.copyOf(pending, pending.length + bytes.length);
        System.arraycopy(bytes, 0, buffer, pending.length, bytes.length);
        int consumed = parser.parse(buffer, 0, buffer.length, args -> {
            List<String> words = new ArrayList<>();
            args.forEach(a -> words.add(new String(a, StandardCharsets.ISO_8859_1)));
            commands.add(words);
            return true;
        });
        assertThat(consumed).isBetween(0, buffer.length);
        pending = Arrays.copyOfRange(buffer, consumed, buffer.length);
    }

    @Test
    void parsesMultiBulkCommand() throws Exception {
        feed("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhello\r\n");
        assertThat(commands).containsExactly(List.of("SET", "k", "hello"));
        assertThat(pending).isEmpty();
    }

    @Test
    void parsesPipelinedCommandsInOneBuffer() throws Exception {
        feed("*1\r\n$4\r\nPING\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\nPING\r\n");
        assertThat(commands).containsExactly(List.of("PING"), List.of("GET", "k"), List.of("PING"));
    }

    @Test
    void parsesEveryByteBoundaryIncrementally() throws Exception {
        String request = "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$10\r\n0123456789\r\n"
                + "ECHO \"a b\"\r\n*0\r\n*1\r\n$4\r\nPING\r\n";
        for (int i = 0; i < request.length(); i++) {
            feed(request.substring(i, i + 1));
        }
        assertThat(commands).containsExactly(List.of("SET", "key", "0123456789"), List.of("ECHO", "a b"),
                List.of("PING"));
        assertThat(pending).isEmpty();
        assertThat(parser.inCommand()).isFalse();
    }

    @Test
    void leavesOnlyTheUnfinishedBulkStringUnconsumed() throws Exception {
        feed("*2\r\n$3\r\nGET\r\n$10\r\n01234");
        assertThat(commands).isEmpty();
        assertThat(new String(pending, StandardCharsets.ISO_8859_1)).isEqualTo("01234");
        assertThat(parser.inCommand()).isTrue();
        feed("56789\r\n");
        assertThat(commands).containsExactly(List.of("GET", "0123456789"));
    }

    @Test
    void bulkStringsAreBinarySafe() throws Exception {
        feed("*2\r\n$4\r\nECHO\r\n$4\r\n\r\n\0\377\r\n");
        assertThat(commands.get(0).get(1)).isEqualTo("\r\n\0\377");
    }

    @Test
    void inlineCommandsSplitLikeRedis() throws Exception {
        feed("SET  k   v\r\n");
        feed("set \"a\\x41\\n\" 'it\\'s'\n");
        feed("   \r\n");
        assertThat(commands).containsExactly(List.of("SET", "k", "v"), List.of("set", "aA\n", "it's"));
    }

    @Test
    void ignoresEmptyAndNegativeMultiBulk() throws Exception {
        feed("*0\r\n*-1\r\n*1\r\n$4\r\nPING\r\n");
        assertThat(commands).containsExactly(List.of("PING"));
    }

    @Test
    void stopsWhenTheSinkAsks() throws Exception {
        byte[] two = "PING\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII);
        int consumed = parser.parse(two, 0, two.length, args -> false);
        assertThat(consumed).isEqualTo(6);
    }

    @Test
    void unbalancedQuotesAreAProtocolError() {
        assertThatThrownBy(() -> feed("SET \"abc\r\n")).isInstanceOf(RespProtocolException.class)
                .hasMessage("Protocol error: unbalanced quotes in request");
        parser = new RespRequestParser(RespLimits.DEFAULTS);
        pending = new byte[0];
        assertThatThrownBy(() -> feed("SET \"a\"b c\r\n")).hasMessage("Protocol error: unbalanced quotes in request");
    }

    @Test
    void wrongPayloadHeaderIsReportedLikeRedis() {
        assertThatThrownBy(() -> feed("*3\r\n$3\r\nSET\r\n$1\r\nx\r\nfooz\r\n"))
                .hasMessage("Protocol error: expected '$', got 'f'");
    }

    @Test
    void outOfRangeMultiBulkLengthIsRefused() {
        assertThatThrownBy(() -> feed("*20000000\r\n")).hasMessage("Protocol error: invalid multibulk length");
    }

    @Test
    void nonNumericMultiBulkLengthIsRefused() {
        assertThatThrownBy(() -> feed("*3x\r\n")).hasMessage("Protocol error: invalid multibulk length");
    }

    @Test
    void negativeOrHugeBulkLengthIsRefusedBeforeAnyAllocation() {
        assertThatThrownBy(() -> feed("*1\r\n$-10\r\n")).hasMessage("Protocol error: invalid bulk length");
        parser = new RespRequestParser(RespLimits.DEFAULTS);
        pending = new byte[0];
        assertThatThrownBy(() -> feed("*1\r\n$2000000000\r\n")).hasMessage("Protocol error: invalid bulk length");
        parser = new RespRequestParser(RespLimits.DEFAULTS);
        pending = new byte[0];
        assertThatThrownBy(() -> feed("*1\r\n$99999999999999999999999\r\n"))
                .hasMessage("Protocol error: invalid bulk length");
    }

    @Test
    void tooLongInlineLineIsRefused() {
        RespLimits small = new RespLimits(16, 1024, 8, 4096);
        parser = new RespRequestParser(small);
        assertThatThrownBy(() -> feed("GET " + "x".repeat(40))).hasMessage("Protocol error: too big inline request");
        parser = new RespRequestParser(small);
        pending = new byte[0];
        assertThatThrownBy(() -> feed("GET " + "x".repeat(40) + "\r\n"))
                .hasMessage("Protocol error: too big inline request");
    }

    @Test
    void tooLongHeaderLinesAreRefused() {
        RespLimits small = new RespLimits(16, 1024, 8, 4096);
        parser = new RespRequestParser(small);
        assertThatThrownBy(() -> feed("*" + "1".repeat(40))).hasMessage("Protocol error: too big mbulk count string");
        parser = new RespRequestParser(small);
        pending = new byte[0];
        assertThatThrownBy(() -> feed("*1\r\n$" + "1".repeat(40)))
                .hasMessage("Protocol error: too big bulk count string");
    }

    @Test
    void argumentCountAndRequestSizeAreBounded() {
        RespLimits small = new RespLimits(1024, 100, 4, 150);
        parser = new RespRequestParser(small);
        assertThatThrownBy(() -> feed("*5\r\n")).hasMessage("Protocol error: invalid multibulk length");
        parser = new RespRequestParser(small);
        pending = new byte[0];
        assertThatThrownBy(() -> feed("*4\r\n$100\r\n" + "x".repeat(100) + "\r\n$60\r\n"))
                .hasMessage("Protocol error: too big request");
        parser = new RespRequestParser(small);
        pending = new byte[0];
        assertThatThrownBy(() -> feed("a b c d e\r\n")).hasMessage("Protocol error: invalid multibulk length");
    }

    @Test
    void bulkMustEndWithCrLf() {
        assertThatThrownBy(() -> feed("*1\r\n$4\r\nPINGxx"))
                .hasMessage("Protocol error: expected CRLF after bulk string");
    }

    @Test
    void largeCountDoesNotPreallocate() throws Exception {
        // 65536 arguments announced, one sent: the parser holds one argument, not a 65536-slot array.
        feed("*65536\r\n$1\r\na\r\n");
        assertThat(parser.inCommand()).isTrue();
        assertThat(commands).isEmpty();
    }
}
