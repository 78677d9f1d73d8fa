package dev.asyncio.core.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncio.core.AcceptOptions;
import dev.asyncio.core.AcceptingHandle;
import dev.asyncio.core.IoStatus;
import dev.asyncio.core.TlsFailureKind;
import dev.asyncio.core.TlsOptions;
import dev.asyncio.core.testing.CollectionPerTest;
import dev.asyncio.core.testing.ConnectFutures;
import dev.asyncio.core.testing.TlsFixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Interoperability with OpenSSL's {@code s_client} and {@code s_server} (skipped when {@code openssl} is not
 * installed). {@code s_server} listens on port 0 and reports the port it got, so no port is ever guessed.
 */
class OpensslInteropTest extends CollectionPerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Pattern ACCEPT = Pattern.compile("ACCEPT .*:(\\d+)\\s*$");

    @TempDir
    static Path keys;
    private static Path serverPem;

    OpensslInteropTest() {
        super("tls-openssl");
    }

    @BeforeAll
    static void requireOpenssl() throws Exception {
        Assumptions.assumeTrue(OpensslProcess.available(),
                "skipped: openssl is not installed (apt-get install openssl)");
        // s_server wants PEM: the key and certificate of server.p12 in one file.
        serverPem = keys.resolve("server-with-key.pem");
        OpensslProcess.run(WAIT, "pkcs12", "-in", TlsFixtures.resource("server.p12").toString(), "-nodes",
                "-passin", "pass:changeit", "-out", serverPem.toString());
    }

    // ------------------------------------------------------------------ our client, s_server

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void asyncClientTalksToOpensslServer(String protocol) throws Exception {
        List<String> args = new ArrayList<>(List.of("s_server", "-accept", "127.0.0.1:0", "-cert",
                serverPem.toString(), "-rev", "-naccept", "1"));
        args.add(protocol.equals("TLSv1.2") ? "-tls1_2" : "-tls1_3");
        try (OpensslProcess server = OpensslProcess.start(args.toArray(String[]::new))) {
            int port = acceptedPort(server);

            String line = "hello openssl\n";
            String expected = new StringBuilder("hello openssl").reverse() + "\n";
            CompletableFuture<String> reply = new CompletableFuture<>();
            CompletableFuture<String> negotiated = new CompletableFuture<>();
            collection.connectTcp("localhost", port, ConnectFutures.onSuccess(reply, state -> {
                negotiated.complete(state.sslEngine().getSession().getProtocol());
                state.writeBuffer(line.getBytes(StandardCharsets.US_ASCII), null);
                state.readBuffer(new byte[expected.length()], (s, b, n) -> {
                    reply.complete(s.readStatus() + " " + new String(b, 0, n, StandardCharsets.US_ASCII));
                    s.close();
                });
            }), TlsTestOptions.connectClient());

            assertThat(reply.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .as("openssl said:%n%s", server.transcript()).isEqualTo("OK " + expected);
            assertThat(negotiated.get(1, TimeUnit.SECONDS)).isEqualTo(protocol);
        }
    }

    private static int acceptedPort(OpensslProcess server) throws InterruptedException {
        String line = server.awaitLine(l -> ACCEPT.matcher(l).find(), WAIT);
        Assumptions.assumeTrue(line != null,
                "skipped: this openssl s_server does not report the port it listens on: " + server.transcript());
        Matcher m = ACCEPT.matcher(line);
        assertThat(m.find()).isTrue();
        int port = Integer.parseInt(m.group(1));
        assertThat(port).as("s_server reported %s", line).isPositive();
        return port;
    }

    // ------------------------------------------------------------------ s_client, our server

    /** Answers one line with the line in upper case, then closes the state (which sends close_notify). */
    private AcceptingHandle upperCaseServer(TlsOptions tls, CompletableFuture<Throwable> tlsError) {
        return collection.acceptTcpConnections(0, (h, st) -> st.readWithChecking((s, buf, end) -> {
            for (int i = 0; i < end; i++) {
                if (buf[i] == '\n') {
                    byte[] answer = new String(buf, 0, i + 1, StandardCharsets.US_ASCII).toUpperCase()
                            .getBytes(StandardCharsets.US_ASCII);
                    s.finish(i + 1);
                    s.writeBuffer(answer, 0, answer.length, (w, b, n) -> w.close());
                    return;
                }
            }
            if (s.readStatus() != IoStatus.OK) {
                s.close();
            }
        }), AcceptOptions.builder().address("127.0.0.1").tls(tls)
                .tlsErrorCallback((s, f) -> tlsError.complete(f)).build());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"-tls1_3", "-tls1_2"})
    void opensslClientTalksToTheAsyncServerAndGetsCloseNotify(String protocolFlag) throws Exception {
        AcceptingHandle handle = upperCaseServer(TlsTestOptions.server(), new CompletableFuture<>());

        try (OpensslProcess client = OpensslProcess.start("s_client", "-connect", "127.0.0.1:" + handle.localPort(),
                "-servername", "localhost", "-CAfile", TlsFixtures.resource("server.pem").toString(),
                "-verify_return_error", "-verify_hostname", "localhost", protocolFlag, "-ign_eof", "-msg")) {
            client.send("hello from openssl\n", false);

            String reply = client.awaitLine(l -> l.equals("HELLO FROM OPENSSL"), WAIT);
            assertThat(reply).as("openssl said:%n%s", client.transcript()).isNotNull();
            int exit = client.waitFor(WAIT);

            String transcript = client.transcript();
            assertThat(transcript).as("the certificate verified").contains("Verify return code: 0 (ok)");
            assertThat(transcript).as("our close sent a close_notify alert")
                    .containsPattern("<<< TLS [0-9.]+, Alert \\[length 0002\\], warning close_notify");
            assertThat(transcript).as("s_client saw no error").doesNotContain("unexpected eof");
            assertThat(exit).as("s_client's exit code; it said:%n%s", transcript).isZero();
        }
    }

    @Test
    void halfCloseOverTlsSendsCloseNotifyBeforeTheFin() throws Exception {
        // The server answers, then shuts its output down but keeps reading: over TLS the peer must get a
        // close_notify, or a strict peer such as OpenSSL 3 reports an "unexpected eof".
        closeNotifyAfterAnswer(s -> s.shutdown(dev.asyncio.core.Direction.OUTPUT));
    }

    @Test
    void gracefulCloseOverTlsSendsCloseNotify() throws Exception {
        closeNotifyAfterAnswer(s -> s.closeGracefully(Duration.ofSeconds(5), null));
    }

    private void closeNotifyAfterAnswer(java.util.function.Consumer<dev.asyncio.core.AsyncIoState> ending)
            throws Exception {
        AcceptingHandle handle = collection.acceptTcpConnections(0, (h, st) -> st.readWithChecking((s, buf, end) -> {
            if (end > 0 && buf[end - 1] == '\n') {
                byte[] answer = new String(buf, 0, end, StandardCharsets.US_ASCII).toUpperCase()
                        .getBytes(StandardCharsets.US_ASCII);
                s.discard(end);
                s.writeBuffer(answer, 0, answer.length, (w, b, n) -> ending.accept(w));
            }
            if (s.readStatus() != IoStatus.OK) {
                s.close();
            }
        }), AcceptOptions.builder().address("127.0.0.1")
                .tls(TlsTestOptions.server()).build());

        try (OpensslProcess client = OpensslProcess.start("s_client", "-connect", "127.0.0.1:" + handle.localPort(),
                "-servername", "localhost", "-CAfile", TlsFixtures.resource("server.pem").toString(),
                "-verify_return_error", "-ign_eof", "-msg")) {
            client.send("the end\n", false);

            assertThat(client.awaitLine(l -> l.equals("THE END"), WAIT)).as("openssl said:%n%s",
                    client.transcript()).isNotNull();
            client.waitFor(WAIT);
            String transcript = client.transcript();
            assertThat(transcript).as("s_client's transcript")
                    .containsPattern("<<< TLS [0-9.]+, Alert \\[length 0002\\], warning close_notify")
                    .doesNotContain("unexpected eof");
        }
    }

    @Test
    void opensslClientRejectingTheCertificateIsATlsErrorAtTheServer() throws Exception {
        CompletableFuture<Throwable> tlsError = new CompletableFuture<>();
        AcceptingHandle handle = upperCaseServer(
                TlsOptions.builder().context(TlsFixtures.untrustedServer()).build(), tlsError);

        try (OpensslProcess client = OpensslProcess.start("s_client", "-connect", "127.0.0.1:" + handle.localPort(),
                "-servername", "localhost", "-CAfile", TlsFixtures.resource("server.pem").toString(),
                "-verify_return_error")) {
            client.send("", true);
            Throwable failure = tlsError.get(WAIT.toSeconds(), TimeUnit.SECONDS);

            assertThat(TlsFailureKind.of(failure)).as("kind of %s", failure).isEqualTo(TlsFailureKind.TLS_ERROR);
            assertThat(client.waitFor(WAIT)).isNotZero();
        }
    }

    @Test
    void largeTransferWithOpensslServerIsByteForByte() throws Exception {
        try (OpensslProcess server = OpensslProcess.start("s_server", "-accept", "127.0.0.1:0", "-cert",
                serverPem.toString(), "-rev", "-naccept", "1")) {
            int port = acceptedPort(server);
            // -rev answers line by line: one long line of 16 KiB comes back reversed.
            StringBuilder sb = new StringBuilder();
            for (int i = 0; sb.length() < 16 * 1024; i++) {
                sb.append(Integer.toString(i, 36)).append(',');
            }
            String text = sb.toString();
            String expected = new StringBuilder(text).reverse() + "\n";
            CompletableFuture<String> reply = new CompletableFuture<>();
            collection.connectTcp("localhost", port, ConnectFutures.onSuccess(reply, state -> {
                state.writeBuffer((text + "\n").getBytes(StandardCharsets.US_ASCII), null);
                state.readBuffer(new byte[expected.length()], (s, b, n) ->
                        reply.complete(new String(b, 0, n, StandardCharsets.US_ASCII)));
            }), TlsTestOptions.connectClient());

            assertThat(reply.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(expected);
        }
    }

}
