package dev.asyncio.core.tls;

import dev.asyncio.core.AcceptOptions;
import dev.asyncio.core.AcceptingHandle;
import dev.asyncio.core.AsyncIoState;
import dev.asyncio.core.IoStatus;
import dev.asyncio.core.TlsOptions;
import dev.asyncio.core.testing.CollectionPerTest;
import dev.asyncio.core.testing.TlsFixtures;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Client-initiated TLS 1.2 renegotiation is refused by default (each one costs the server a handshake), and
 * allowed up to {@link TlsOptions#maxRenegotiations()} when asked: with the JDK's client and with openssl s_client.
 */
class TlsRenegotiationTest extends CollectionPerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    TlsRenegotiationTest() {
        super("tls-renegotiation");
    }

    private AcceptingHandle server(int maxRenegotiations, CompletableFuture<AsyncIoState> accepted) {
        return collection.acceptTcpConnections(0, (h, s) -> {
            accepted.complete(s);
            EchoHandler.start(s);
        }, AcceptOptions.builder().address("127.0.0.1").queueOutput(true)
                .tls(TlsOptions.builder().context(TlsFixtures.server()).maxRenegotiations(maxRenegotiations)
                        .build()).build());
    }

    private static SSLSocket tls12Client(int port) throws IOException {
        SSLSocket s = (SSLSocket) TlsFixtures.trustingClient().getSocketFactory()
                .createSocket(InetAddress.getLoopbackAddress(), port);
        s.setEnabledProtocols(new String[] {"TLSv1.2"});
        s.setSoTimeout((int) WAIT.toMillis());
        s.startHandshake();
        return s;
    }

    private static String echo(SSLSocket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        byte[] b = s.getInputStream().readNBytes(text.length());
        return new String(b, StandardCharsets.US_ASCII);
    }

    @Test
    void aJdkClientsRenegotiationIsRefusedAndTheConnectionEnds() throws Exception {
        CompletableFuture<AsyncIoState> accepted = new CompletableFuture<>();
        AcceptingHandle handle = server(0, accepted);
        try (SSLSocket client = tls12Client(handle.localPort())) {
            assertThat(echo(client, "before")).isEqualTo("before");

            Throwable failure = catchThrowable(() -> {
                client.startHandshake();
                echo(client, "after");
            });

            assertThat(failure).as("the renegotiation fails at the client").isInstanceOf(IOException.class);
            AsyncIoState state = accepted.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            org.awaitility.Awaitility.await().atMost(WAIT).until(() -> state.readStatus() == IoStatus.ERROR);
            assertThat(state.readFailure()).hasMessageContaining("renegotiation refused");
        }
    }

    @Test
    void aRenegotiationWithinTheAllowanceWorks() throws Exception {
        AcceptingHandle handle = server(1, new CompletableFuture<>());
        try (SSLSocket client = tls12Client(handle.localPort())) {
            assertThat(echo(client, "one")).isEqualTo("one");
            client.startHandshake();
            assertThat(echo(client, "two")).isEqualTo("two");
        }
    }

    @Test
    void opensslsRenegotiationIsRefused() throws Exception {
        Assumptions.assumeTrue(OpensslProcess.available(), "openssl is not installed: skipping the s_client check");
        CompletableFuture<AsyncIoState> accepted = new CompletableFuture<>();
        AcceptingHandle handle = server(0, accepted);
        try (OpensslProcess client = OpensslProcess.start("s_client", "-connect", "127.0.0.1:" + handle.localPort(),
                "-servername", "localhost", "-tls1_2", "-CAfile", TlsFixtures.resource("server.pem").toString())) {
            client.send("ping\n", false);
            assertThat(client.awaitLine(l -> l.equals("ping"), WAIT)).as("openssl said:%n%s", client.transcript())
                    .isNotNull();
            client.send("R\n", false);
            assertThat(client.awaitLine(l -> l.contains("RENEGOTIATING"), WAIT))
                    .as("openssl said:%n%s", client.transcript()).isNotNull();
            client.waitFor(WAIT);
            AsyncIoState state = accepted.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            org.awaitility.Awaitility.await().atMost(WAIT).until(() -> !state.isOpen());
            assertThat(state.readFailure()).hasMessageContaining("renegotiation refused");
        }
    }
}
