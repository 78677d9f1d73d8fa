package dev.asyncio.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.asyncio.sample.testing.ExternalTool;
import dev.asyncio.sample.testing.RespClient;
import dev.asyncio.sample.testing.SampleProcess;
import dev.asyncio.sample.testing.WebDriverSession;

/**
 * End to end: the packaged jar runs as its own process on ephemeral ports and this test talks to it the way clients
 * and operators do: echo round trips (TCP, TLS, UDP), Redis commands (plain socket and redis-cli), the actuator with
 * and without credentials, closing and re-opening a handle, the dashboard in headless Chromium, and finally SIGTERM
 * during a transfer. One process serves every test (start-up is the slow part); the SIGTERM test runs last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SampleApplicationIT {

    private static SampleProcess app;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @BeforeAll
    static void start() throws Exception {
        app = SampleProcess.start();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    private static HttpResponse<String> http(String method, String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(app.baseUrl() + path))
                .timeout(Duration.ofSeconds(20)).method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode handle(String name) throws Exception {
        HttpResponse<String> r = http("GET", "/actuator/asyncio/" + name, app.basicAuth());
        assertThat(r.statusCode()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static Socket connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setSoTimeout(20_000);
        return s;
    }

    @Test
    @Order(1)
    void framesRoundTripAndTheEndpointShowsTheFraming() throws Exception {
        try (Socket s = connect(app.port("frames"))) {
            byte[] payload = "framed".getBytes(StandardCharsets.UTF_8);
            java.io.DataOutputStream out = new java.io.DataOutputStream(s.getOutputStream());
            java.io.DataInputStream in = new java.io.DataInputStream(s.getInputStream());
            out.writeInt(payload.length);
            out.write(payload);
            out.flush();
            assertThat(in.readInt()).isEqualTo(payload.length);
            assertThat(in.readNBytes(payload.length)).isEqualTo(payload);
            out.writeInt(1024 * 1024 + 1);
            out.flush();
            assertThat(in.read()).as("a frame over 1 MiB closes the connection").isEqualTo(-1);
        }
        JsonNode framing = handle("frames").get("handle").get("framing");
        assertThat(framing.get("type").asText()).isEqualTo("length-prefix");
        assertThat(framing.get("maxFrameSize").asInt()).isEqualTo(1024 * 1024);
    }

    @Test
    @Order(1)
    void echoRoundTrips() throws Exception {
        try (Socket a = connect(app.port("echo")); Socket b = connect(app.port("echo"))) {
            for (int i = 0; i < 3; i++) {
                byte[] message = ("round trip " + i + "\n").getBytes(StandardCharsets.UTF_8);
                a.getOutputStream().write(message);
                b.getOutputStream().write(message);
                assertThat(a.getInputStream().readNBytes(message.length)).isEqualTo(message);
                assertThat(b.getInputStream().readNBytes(message.length)).isEqualTo(message);
            }
            a.shutdownOutput();
            assertThat(a.getInputStream().read()).as("EOF after the echo").isEqualTo(-1);
        }
    }

    @Test
    @Order(2)
    void tlsEchoWithTheDemoCertificate() throws Exception {
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trustDemoCertificate(), null);
        try (SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket()) {
            s.connect(new InetSocketAddress("127.0.0.1", app.port("tls-echo")), 5000);
            s.setSoTimeout(20_000);
            SSLParameters params = s.getSSLParameters();
            // The demo certificate names localhost and 127.0.0.1: verify it as a real client would.
            params.setEndpointIdentificationAlgorithm("HTTPS");
            s.setSSLParameters(params);
            s.startHandshake();
            byte[] message = "secret echo".getBytes(StandardCharsets.UTF_8);
            s.getOutputStream().write(message);
            s.getOutputStream().flush();
            assertThat(s.getInputStream().readNBytes(message.length)).isEqualTo(message);
            assertThat(s.getSession().getPeerPrincipal().getName()).contains("DEMO ONLY");
        }
    }

    private static TrustManager[] trustDemoCertificate() throws Exception {
        Certificate demo;
        try (InputStream in = SampleApplicationIT.class.getResourceAsStream("/tls/demo-echo-tls.crt")) {
            demo = CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("demo", demo);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        return factory.getTrustManagers();
    }

    @Test
    @Order(2)
    void udpEcho() throws Exception {
        try (DatagramSocket client = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            client.setSoTimeout(10_000);
            byte[] message = "datagram".getBytes(StandardCharsets.UTF_8);
            client.send(new DatagramPacket(message, message.length, InetAddress.getLoopbackAddress(),
                    app.port("udp-echo")));
            DatagramPacket reply = new DatagramPacket(new byte[1024], 1024);
            client.receive(reply);
            assertThat(new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8))
                    .isEqualTo("datagram");
        }
        HttpResponse<String> metric = http("GET", "/actuator/metrics/sample.udp.echo.datagrams?tag=direction:sent",
                app.basicAuth());
        assertThat(JSON.readTree(metric.body()).get("measurements").get(0).get("value").asDouble())
                .isGreaterThanOrEqualTo(1.0);
    }

    @Test
    @Order(2)
    void redisCommandsOverAPlainSocket() throws Exception {
        try (RespClient c = new RespClient(app.port("kv"))) {
            assertThat(c.call("PING")).isEqualTo("PONG");
            assertThat(c.call("SET", "e2e", "value", "EX", "100")).isEqualTo("OK");
            assertThat(c.call("GET", "e2e")).isEqualTo("value");
            assertThat(c.call("TTL", "e2e")).isEqualTo(100L);
            assertThat(c.call("INCRBY", "e2e:n", "7")).isEqualTo(7L);
            assertThat(c.call("MSET", "a", "1", "b", "2")).isEqualTo("OK");
            assertThat(c.call("MGET", "a", "b")).isEqualTo(java.util.List.of("1", "2"));
            assertThat(c.call("DEL", "a", "b", "nope")).isEqualTo(2L);
            assertThat(c.call("SET", "e2e")).isEqualTo(
                    new RespClient.Error("ERR wrong number of arguments for 'set' command"));
            assertThat(c.call("QUIT")).isEqualTo("OK");
            assertThat(c.atEof()).isTrue();
        }
    }

    @Test
    @Order(2)
    void kvProxyForwardsToTheKvHandleThroughTheKvUpstreamClient() throws Exception {
        try (RespClient proxy = new RespClient(app.port("kv-proxy")); RespClient kv = new RespClient(app.port("kv"))) {
            assertThat(proxy.call("SET", "via-proxy", "yes")).isEqualTo("OK");
            assertThat(kv.call("GET", "via-proxy")).isEqualTo("yes");
            assertThat(proxy.call("MULTI").toString()).contains("not supported by kv-proxy");
        }
        JsonNode clients = JSON.readTree(http("GET", "/actuator/asyncio", app.basicAuth()).body()).get("clients");
        assertThat(clients.findValuesAsString("name")).containsExactly("kv-upstream");
        assertThat(clients.get(0).get("address").asString()).isEqualTo("127.0.0.1:" + app.port("kv"));
    }

    @Test
    @Order(2)
    void kvWithoutPasswordListensOnLoopbackOnlyAndSaysWhy() throws Exception {
        assertThat(handle("kv").get("handle").get("address").asText()).isEqualTo("127.0.0.1");
        assertThat(app.log()).contains("kv listens on 127.0.0.1:" + app.port("kv") + " only (protected mode");
    }

    @Test
    @Order(3)
    void redisCli() throws Exception {
        String cli = ExternalTool.find("redis-cli");
        assumeTrue(cli != null, "redis-cli not installed (apt-get install redis-tools): covered by the socket test");
        String port = Integer.toString(app.port("kv"));
        assertThat(ExternalTool.run(30, cli, "-h", "127.0.0.1", "-p", port, "SET", "cli", "ok").output())
                .isEqualTo("OK\n");
        assertThat(ExternalTool.run(30, cli, "-h", "127.0.0.1", "-p", port, "GET", "cli").output())
                .isEqualTo("ok\n");
    }

    @Test
    @Order(4)
    void actuatorNeedsCredentialsExceptHealth() throws Exception {
        assertThat(http("GET", "/actuator/asyncio", null).statusCode()).isEqualTo(401);
        String wrong = "Basic " + Base64.getEncoder().encodeToString("admin:wrong".getBytes(StandardCharsets.UTF_8));
        assertThat(http("GET", "/actuator/asyncio", wrong).statusCode()).isEqualTo(401);
        assertThat(http("GET", "/actuator/prometheus", null).statusCode()).isEqualTo(401);

        HttpResponse<String> list = http("GET", "/actuator/asyncio", app.basicAuth());
        assertThat(list.statusCode()).isEqualTo(200);
        JsonNode handles = JSON.readTree(list.body()).get("handles");
        assertThat(handles.findValuesAsString("name")).contains("echo", "kv", "tls-echo");

        HttpResponse<String> health = http("GET", "/actuator/health", null);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(health.body()).get("status").asString()).isEqualTo("UP");
        assertThat(http("GET", "/actuator/health/liveness", null).statusCode()).isEqualTo(200);
        HttpResponse<String> readiness = http("GET", "/actuator/health/readiness", null);
        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(readiness.body()).contains("asyncio");

        HttpResponse<String> prometheus = http("GET", "/actuator/prometheus", app.basicAuth());
        assertThat(prometheus.statusCode()).isEqualTo(200);
        assertThat(prometheus.body())
                .contains("asyncio_bytes_read_bytes_total{collection=\"default\",handle=\"echo\"}");
        assertThat(http("GET", "/actuator/metrics/asyncio.connections.active", app.basicAuth()).statusCode())
                .isEqualTo(200);
        assertThat(http("GET", "/actuator/info", app.basicAuth()).body()).contains("async-io sample");
    }

    @Test
    @Order(5)
    void closingAndReopeningAHandle() throws Exception {
        int kvPort = app.port("kv");
        assertThat(http("DELETE", "/actuator/asyncio/kv", null).statusCode()).isEqualTo(401);
        assertThat(http("DELETE", "/actuator/asyncio/nope", app.basicAuth()).statusCode()).isEqualTo(404);
        try (RespClient existing = new RespClient(kvPort)) {
            assertThat(existing.call("PING")).isEqualTo("PONG");
            HttpResponse<String> closed = http("DELETE", "/actuator/asyncio/kv", app.basicAuth());
            assertThat(closed.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(closed.body()).get("status").asString()).isEqualTo("closed");
            assertThrows(ConnectException.class, () -> connect(kvPort).close(), "the port is freed");
            assertThat(existing.call("PING")).as("live connections are kept").isEqualTo("PONG");
            assertThat(http("GET", "/actuator/health/readiness", null).statusCode())
                    .as("a handle closed through the endpoint takes the app out of the load balancer")
                    .isEqualTo(503);
        }
        assertThat(http("POST", "/actuator/asyncio/kv", null).statusCode()).isEqualTo(401);
        HttpResponse<String> reopened = http("POST", "/actuator/asyncio/kv", app.basicAuth());
        assertThat(reopened.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(reopened.body()).get("port").asInt()).isEqualTo(kvPort);
        try (RespClient again = new RespClient(kvPort)) {
            assertThat(again.call("GET", "e2e")).isEqualTo("value");
        }
        assertThat(http("GET", "/actuator/health/readiness", null).statusCode()).isEqualTo(200);
    }

    @Test
    @Order(6)
    void dashboardInHeadlessChromium() throws Exception {
        String chromium = ExternalTool.find("chromium");
        String chromedriver = ExternalTool.find("chromedriver");
        assumeTrue(chromium != null && chromedriver != null,
                "chromium and chromium-driver not installed (apt-get install chromium chromium-driver)");
        try (WebDriverSession browser = WebDriverSession.start(chromedriver, chromium);
                Socket traffic = connect(app.port("echo"))) {
            browser.navigate(app.baseUrl() + "/");
            await().atMost(20, TimeUnit.SECONDS).until(() ->
                    browser.script("return !document.getElementById('login').hidden").asBoolean());
            browser.type(browser.find("#username"), app.user());
            browser.type(browser.find("#password"), app.password());
            browser.click(browser.find("#sign-in"));
            // One row per handle: echo, tls-echo, kv, frames and kv-proxy; one client row: kv-upstream.
            await().atMost(20, TimeUnit.SECONDS).until(() -> browser.script(
                    "return document.querySelectorAll('#handles tbody tr').length").asInt() == 5);
            await().atMost(20, TimeUnit.SECONDS).until(() -> browser.script(
                    "return document.querySelector('#clients tbody tr td') ? document.querySelector("
                    + "'#clients tbody tr td').textContent : ''").asString().equals("kv-upstream"));
            assertThat(browser.script("return document.querySelector('#handles tr[data-handle=kv] .status')"
                    + ".textContent").asString()).isEqualTo("open");
            assertThat(browser.script("return document.getElementById('health').textContent").asString())
                    .isEqualTo("health: UP");

            await().atMost(20, TimeUnit.SECONDS).until(() -> browser.script(
                    "return document.getElementById('metric-line').textContent").asString()
                    .contains("UDP echo datagrams"));
            assertThat(browser.script("return document.getElementById('metric-line').textContent").asString())
                    .contains("asyncio.connections.active");

            // Traffic shows up in the chart's samples and in the connections list.
            byte[] payload = new byte[200_000];
            traffic.getOutputStream().write(payload);
            traffic.getInputStream().readNBytes(payload.length);
            await().atMost(20, TimeUnit.SECONDS).until(() -> browser.script(
                    "return window.dashboard.samples.some(s => s.read > 0)").asBoolean());

            browser.click(browser.find("#handles tr[data-handle=kv] button.close"));
            await().atMost(20, TimeUnit.SECONDS).until(() -> "closed".equals(browser.script(
                    "return document.querySelector('#handles tr[data-handle=kv] .status').textContent")
                    .asString()));
            assertThat(handle("kv").get("handle").get("open").asBoolean()).isFalse();

            browser.click(browser.find("#handles tr[data-handle=kv] button.reopen"));
            await().atMost(20, TimeUnit.SECONDS).until(() -> "open".equals(browser.script(
                    "return document.querySelector('#handles tr[data-handle=kv] .status').textContent")
                    .asString()));
            assertThat(handle("kv").get("handle").get("open").asBoolean()).isTrue();
            assertThat(browser.script("return document.getElementById('error').hidden").asBoolean()).isTrue();

            Path shot = Path.of(System.getProperty("java.io.tmpdir"), "asyncio-dashboard.png");
            Files.write(shot, browser.screenshot());
        }
    }

    @Test
    @Order(100)
    void sigtermDuringTransfersLosesNoByteAndExitsInTime() throws Exception {
        byte[] payload = new byte[128 * 1024];
        new Random(5).nextBytes(payload);
        Socket echo = new Socket();
        // A small receive window and no reading until after the signal: the server still holds part of the echo.
        echo.setReceiveBufferSize(32 * 1024);
        echo.connect(new InetSocketAddress("127.0.0.1", app.port("echo")), 5000);
        echo.setSoTimeout(30_000);
        ByteArrayOutputStream pipeline = new ByteArrayOutputStream();
        int commands = 2000;
        for (int i = 0; i < commands; i++) {
            pipeline.writeBytes(RespClient.encode("INCR", "sigterm:counter"));
        }
        try (echo; RespClient kv = new RespClient(app.port("kv"))) {
            echo.getOutputStream().write(payload);
            kv.send(pipeline.toByteArray());
            // Every byte sent has reached the server before the signal.
            awaitBytesRead("echo", echo.getLocalPort(), payload.length);
            awaitBytesRead("kv", kv.socket().getLocalPort(), pipeline.size());
            long signalled = System.nanoTime();
            app.terminate();
            byte[] echoed = echo.getInputStream().readAllBytes();
            assertThat(echoed).as("every byte sent before SIGTERM comes back, then EOF").isEqualTo(payload);
            for (long i = 1; i <= commands; i++) {
                assertThat(kv.read()).as("reply %d of the pipeline", i).isEqualTo(i);
            }
            assertThat(kv.atEof()).as("then the kv connection closes").isTrue();
            assertThat(app.process().waitFor(3 * SampleProcess.SHUTDOWN_PHASE_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                    .as("the process exits within the shutdown phases; log:\n%s", app.log()).isTrue();
            Duration took = Duration.ofNanos(System.nanoTime() - signalled);
            assertThat(took).as("no phase waited for its timeout").isLessThan(SampleProcess.SHUTDOWN_PHASE_TIMEOUT);
        }
    }

    private static void awaitBytesRead(String handleName, int clientPort, long bytes) {
        String peer = "127.0.0.1:" + clientPort;
        await().atMost(30, TimeUnit.SECONDS).until(() -> {
            for (JsonNode connection : handle(handleName).get("connections")) {
                if (peer.equals(connection.get("peer").asString())) {
                    return connection.get("bytesRead").asLong() == bytes;
                }
            }
            return false;
        });
    }
}
