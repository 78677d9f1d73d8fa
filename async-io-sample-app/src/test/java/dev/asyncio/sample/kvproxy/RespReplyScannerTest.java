package dev.asyncio.sample.kvproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import dev.asyncio.sample.kv.resp.RespProtocolException;

class RespReplyScannerTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"+OK\r\n", "-ERR no\r\n", ":42\r\n", "$5\r\nhello\r\n", "$-1\r\n", "$0\r\n\r\n", "*-1\r\n",
            "*0\r\n", "*2\r\n$1\r\na\r\n$-1\r\n", "*2\r\n*2\r\n:1\r\n:2\r\n*1\r\n+x\r\n",
            "*3\r\n$2\r\n\r\n\r\n*0\r\n-E\r\n", "_\r\n", ",1.5\r\n", "#t\r\n", "(123\r\n", "=7\r\ntxt:abc\r\n",
            "%2\r\n+a\r\n:1\r\n+b\r\n:2\r\n", "~1\r\n+x\r\n", ">2\r\n+message\r\n+x\r\n", "|1\r\n+k\r\n+v\r\n+OK\r\n"})
    void findsTheEndOfEachReplyTypeWhateverWayItIsSplit(String reply) throws Exception {
        byte[] whole = bytes(reply + "+NEXT\r\n");
        int expected = bytes(reply).length;
        for (int split = 0; split <= whole.length; split++) {
            RespReplyScanner scanner = new RespReplyScanner(1 << 20);
            // Bytes arrive in two reads: the scan must resume, not restart, and never see past its reply.
            int first = scanner.scan(whole, 0, Math.min(split, whole.length));
            int end = first >= 0 ? first : scanner.scan(whole, 0, whole.length);
            assertThat(end).as("split at %d", split).isEqualTo(expected);
            assertThat(scanner.inReply()).isFalse();
        }
    }

    @Test
    void scansRepliesOneAfterAnotherFromAnyStart() throws Exception {
        byte[] stream = bytes("xx+OK\r\n:1\r\n$3\r\nabc\r\n");
        RespReplyScanner scanner = new RespReplyScanner(1024);
        assertThat(scanner.scan(stream, 2, stream.length)).isEqualTo(7);
        assertThat(scanner.scan(stream, 7, stream.length)).isEqualTo(11);
        assertThat(scanner.scan(stream, 11, stream.length)).isEqualTo(stream.length);
        assertThat(scanner.scan(stream, stream.length, stream.length)).isEqualTo(-1);
    }

    @Test
    void refusesWhatIsNotAReply() {
        assertThatThrownBy(() -> new RespReplyScanner(1024).scan(bytes("hello\r\n"), 0, 7))
                .isInstanceOf(RespProtocolException.class).hasMessageContaining("not a RESP reply type");
        assertThatThrownBy(() -> new RespReplyScanner(1024).scan(bytes("$x\r\n"), 0, 4))
                .isInstanceOf(RespProtocolException.class).hasMessageContaining("invalid length");
        assertThatThrownBy(() -> new RespReplyScanner(1024).scan(bytes("$1\r\nab\r\n"), 0, 8))
                .isInstanceOf(RespProtocolException.class).hasMessageContaining("CRLF");
    }

    @Test
    void refusesRepliesOverTheLimitFromTheirHeader() {
        // Nothing of the announced size has arrived: the header alone is enough to refuse.
        assertThatThrownBy(() -> new RespReplyScanner(1024).scan(bytes("$2000\r\n"), 0, 7))
                .isInstanceOf(RespProtocolException.class).hasMessageContaining("longer than 1024");
        assertThatThrownBy(() -> new RespReplyScanner(1024).scan(bytes("*2147483647\r\n"), 0, 13))
                .isInstanceOf(RespProtocolException.class).hasMessageContaining("longer than 1024");
        assertThatThrownBy(() -> new RespReplyScanner(1024).scan(bytes("+" + "a".repeat(70_000)), 0, 70_001))
                .isInstanceOf(RespProtocolException.class).hasMessageContaining("line longer");
    }
}
