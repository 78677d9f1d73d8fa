package dev.asyncio.sample.kvproxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

import dev.asyncio.sample.testing.RespClient;
import dev.asyncio.spring.test.LocalAsyncIoPort;

/**
 * The sample as deployed behind a load balancer ({@code SAMPLE_PROXY_PROTOCOL=on}, as {@code deploy/haproxy} runs
 * it): kv-proxy's in-process upstream client sends no PROXY header, so kv must not require one, or every command
 * through kv-proxy fails while health says the client is connected.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "SAMPLE_PROXY_PROTOCOL=on",
        "async-io.handles.echo.address=127.0.0.1", "async-io.handles.kv.address=127.0.0.1",
        "async-io.handles.tls-echo.address=127.0.0.1", "async-io.handles.frames.address=127.0.0.1",
        "async-io.handles.kv-proxy.proxy-protocol=off",
        "sample.udp-echo.port=0", "sample.udp-echo.address=127.0.0.1", "spring.main.banner-mode=off"})
class KvProxyBehindProxyProtocolTest {

    @LocalAsyncIoPort("kv-proxy")
    private int port;

    @Test
    void kvProxyStillReachesKvWhenTheOtherHandlesRequireAHeader() throws Exception {
        try (RespClient client = new RespClient("127.0.0.1", port)) {
            assertThat(client.call("SET", "behind-lb", "yes")).isEqualTo("OK");
            assertThat(client.call("GET", "behind-lb")).isEqualTo("yes");
        }
    }
}
