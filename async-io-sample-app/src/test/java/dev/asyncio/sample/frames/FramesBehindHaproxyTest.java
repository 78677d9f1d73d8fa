package dev.asyncio.sample.frames;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.asyncio.core.testing.HaproxyProcess;
import dev.asyncio.spring.actuate.endpoint.AsyncIoEndpoint;
import dev.asyncio.spring.test.LocalAsyncIoPort;

/**
 * The sample's {@code frames} handle behind a real HAProxy ({@code send-proxy-v2}), as {@code deploy/haproxy/} runs
 * it, with {@code proxy-protocol=on}: a client connecting to HAProxy from 127.0.0.2 gets its frame back, and
 * {@code /actuator/asyncio/frames} lists its connection with 127.0.0.2 as the peer and HAProxy (127.0.0.1) as the
 * proxy. Skipped where HAProxy is not installed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "async-io.handles.echo.address=127.0.0.1", "async-io.handles.kv.address=127.0.0.1",
        "async-io.handles.tls-echo.address=127.0.0.1", "async-io.handles.frames.address=127.0.0.1",
        "async-io.handles.frames.proxy-protocol=on", "spring.security.user.password=proxy-test",
        "sample.udp-echo.port=0", "sample.udp-echo.address=127.0.0.1", "spring.main.banner-mode=off"})
class FramesBehindHaproxyTest {

    @LocalAsyncIoPort("frames")
    private int port;

    @LocalServerPort
    private int httpPort;

    @Autowired
    private AsyncIoEndpoint endpoint;

    @BeforeAll
    static void haproxyInstalled() {
        assumeTrue(HaproxyProcess.available(), "haproxy is not installed at " + HaproxyProcess.BINARY
                + " (.ci/run installs Debian's haproxy package): the frames-behind-HAProxy test is skipped");
    }

    @Test
    void theEndpointShowsTheClientsAddressAndHaproxyAsTheProxy() throws Exception {
        try (HaproxyProcess haproxy = HaproxyProcess.start(new InetSocketAddress("127.0.0.1", port), 2);
                Socket client = new Socket()) {
            client.setSoTimeout(30_000);
            client.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
            client.connect(haproxy.frontend(), 10_000);
            DataOutputStream out = new DataOutputStream(client.getOutputStream());
            DataInputStream in = new DataInputStream(client.getInputStream());
            out.writeInt(5);
            out.write("hello".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(in.readInt()).as(haproxy::log).isEqualTo(5);
            assertThat(in.readNBytes(5)).isEqualTo("hello".getBytes(StandardCharsets.US_ASCII));

            String clientAddress = "127.0.0.2:" + client.getLocalPort();
            AsyncIoEndpoint.HandleDetails details = endpoint.handle("frames", 100);
            assertThat(details.handle().proxyProtocol().mode()).isEqualTo("on");
            AsyncIoEndpoint.ConnectionDescriptor c = details.connections().stream()
                    .filter(d -> clientAddress.equals(d.peer())).findFirst().orElseThrow(() ->
                            new AssertionError(clientAddress + " not among " + details.connections()));
            assertThat(c.proxy().address()).startsWith("127.0.0.1:");
            assertThat(c.proxy().version()).isEqualTo(2);
            assertThat(c.proxy().destination()).isEqualTo("127.0.0.1:" + haproxy.frontend().getPort());

            String json = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + httpPort + "/actuator/asyncio/frames"))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                            "admin:proxy-test".getBytes(StandardCharsets.UTF_8)))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(json).contains("\"peer\":\"" + clientAddress + "\"").contains("\"proxy\":{\"address\":\"127.0.0.1:")
                    .contains("\"mode\":\"on\"");
        }
    }
}
