package dev.asyncio.sample.kvproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.asyncio.sample.kv.resp.RespLimits;
import dev.asyncio.sample.kv.resp.RespProtocolException;
import dev.asyncio.sample.testing.RespClient;

class RespCommandScannerTest {

    @Test
    void findsMultiBulkCommandsAndTheirNamesWhateverWayTheyAreSplit() throws Exception {
        byte[] command = RespClient.encode("set", "key", "a value");
        byte[] stream = KvProxyConnectionTest.concat(command, RespClient.encode("GET", "key"));
        for (int split = 0; split <= stream.length; split++) {
            RespCommandScanner scanner = new RespCommandScanner(RespLimits.DEFAULTS);
            int first = scanner.scan(stream, 0, split);
            int end = first >= 0 ? first : scanner.scan(stream, 0, stream.length);
            assertThat(end).as("split at %d", split).isEqualTo(command.length);
            assertThat(scanner.name()).isEqualTo("SET");
            assertThat(scanner.inline()).isFalse();
            assertThat(scanner.argumentCount()).isEqualTo(3);
            assertThat(scanner.scan(stream, end, stream.length)).isEqualTo(stream.length);
            assertThat(scanner.name()).isEqualTo("GET");
        }
    }

    @Test
    void findsInlineCommandsAndBlankLines() throws Exception {
        byte[] stream = "ping\r\n\r\n  get k\n".getBytes(StandardCharsets.US_ASCII);
        RespCommandScanner scanner = new RespCommandScanner(RespLimits.DEFAULTS);
        assertThat(scanner.scan(stream, 0, stream.length)).isEqualTo(6);
        assertThat(scanner.name()).isEqualTo("PING");
        assertThat(scanner.inline()).isTrue();
        assertThat(scanner.scan(stream, 6, stream.length)).isEqualTo(8);
        assertThat(scanner.name()).isNull();
        assertThat(scanner.scan(stream, 8, stream.length)).isEqualTo(stream.length);
        assertThat(scanner.name()).isEqualTo("GET");
        assertThat(scanner.scan(stream, 0, 3)).isEqualTo(-1);
    }

    @Test
    void emptyMultiBulkIsACommandWithoutName() throws Exception {
        RespCommandScanner scanner = new RespCommandScanner(RespLimits.DEFAULTS);
        assertThat(scanner.scan("*0\r\n".getBytes(), 0, 4)).isEqualTo(4);
        assertThat(scanner.name()).isNull();
    }

    @Test
    void enforcesTheKvHandlesLimitsWithRedisErrors() {
        RespLimits small = new RespLimits(32, 8, 2, 12);
        assertThatThrownBy(() -> new RespCommandScanner(small).scan("*3\r\n".getBytes(), 0, 4))
                .isInstanceOf(RespProtocolException.class).hasMessage("Protocol error: invalid multibulk length");
        assertThatThrownBy(() -> new RespCommandScanner(small).scan("*1\r\n$9\r\n".getBytes(), 0, 8))
                .isInstanceOf(RespProtocolException.class).hasMessage("Protocol error: invalid bulk length");
        assertThatThrownBy(() -> new RespCommandScanner(small).scan("*2\r\n$8\r\n12345678\r\n$8\r\n".getBytes(),
                0, 22)).isInstanceOf(RespProtocolException.class).hasMessage("Protocol error: too big request");
        assertThatThrownBy(() -> new RespCommandScanner(small).scan("*1\r\n:1\r\n".getBytes(), 0, 8))
                .isInstanceOf(RespProtocolException.class).hasMessage("Protocol error: expected '$', got ':'");
        assertThatThrownBy(() -> new RespCommandScanner(small).scan("x".repeat(40).getBytes(), 0, 40))
                .isInstanceOf(RespProtocolException.class).hasMessage("Protocol error: too big inline request");
        assertThatThrownBy(() -> new RespCommandScanner(small).scan("*1\r\n$1\r\nab\r\n".getBytes(), 0, 12))
                .isInstanceOf(RespProtocolException.class)
                .hasMessage("Protocol error: expected CRLF after bulk string");
    }
}
