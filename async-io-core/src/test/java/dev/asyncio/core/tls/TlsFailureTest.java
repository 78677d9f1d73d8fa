package dev.asyncio.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.asyncio.core.AcceptOptions;
import dev.asyncio.core.AcceptingHandle;
import dev.asyncio.core.AsyncIoState;
import dev.asyncio.core.ConnectOptions;
import dev.asyncio.core.IoStatus;
import dev.asyncio.core.TlsClosedException;
import dev.asyncio.core.TlsFailureKind;
import dev.asyncio.core.TlsHandshakeTimeoutException;
import dev.asyncio.core.TlsOptions;
import dev.asyncio.core.testing.CollectionPerTest;
import dev.asyncio.core.testing.ConnectFutures;
import dev.asyncio.core.testing.TlsFixtures;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;

/**
 * TLS failures on connect and accept, each with its {@link TlsFailureKind} (LispWorks
 * {@code async-io-ssl-failure-indicator-from-failure-args}): timeout, peer closed, TLS error, not TLS.
 */
class TlsFailureTest extends CollectionPerTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final java.util.concurrent.atomic.AtomicInteger connectionFunctionCalls =
            new java.util.concurrent.atomic.AtomicInteger();

    TlsFailureTest() {
        super("tls-failure");
    }

    /** What a connect or TLS error callback saw. */
    record Outcome(Throwable failure, TlsFailureKind kind, IoStatus readStatus, boolean open) {
        static Outcome of(AsyncIoState s, Throwable failure) {
            return new Outcome(failure, TlsFailureKind.of(failure), s.readStatus(), s.isOpen());
        }
    }

    private AcceptingHandle tlsServer(SSLContext ctx, Duration handshakeTimeout,
                                      CompletableFuture<Outcome> serverError) {
        return collection.acceptTcpConnections(0, (h, s) -> {
            connectionFunctionCalls.incrementAndGet();
            EchoHandler.start(s);
        }, AcceptOptions.builder()
                .address("127.0.0.1").queueOutput(true)
                .tls(TlsOptions.builder().context(ctx).handshakeTimeout(handshakeTimeout).build())
                .tlsErrorCallback((s, f) -> serverError.complete(Outcome.of(s, f)))
                .build());
    }

    private CompletableFuture<Outcome> connect(String host, int port, TlsOptions tls) {
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        collection.connectTcp(host, port, (s, f) -> outcome.complete(Outcome.of(s, f)),
                ConnectOptions.builder().tls(tls).build());
        return outcome;
    }

    // ------------------------------------------------------------------ timeout

    @Test
    void clientThatNeverSendsAClientHelloTimesOut() throws Exception {
        CompletableFuture<Outcome> serverError = new CompletableFuture<>();
        AcceptingHandle handle = tlsServer(TlsFixtures.server(), Duration.ofMillis(300), serverError);

        try (Socket silent = new Socket(LOOPBACK, handle.localPort())) {
            silent.setSoTimeout(10_000);
            Outcome o = serverError.get(10, TimeUnit.SECONDS);

            assertThat(o.kind()).isEqualTo(TlsFailureKind.TIMEOUT);
            assertThat(o.failure()).isInstanceOf(TlsHandshakeTimeoutException.class);
            assertThat(o.readStatus()).isEqualTo(IoStatus.TIMEOUT);
            assertThat(silent.getInputStream().read()).as("the server closed the connection").isEqualTo(-1);
        }
        assertThat(connectionFunctionCalls).as("no connection function without a handshake").hasValue(0);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(handle.statistics().timeouts()).as("the handle counts the handshake timeout").isEqualTo(1);
            assertThat(handle.statistics().active()).isZero();
        });
    }

    @Test
    void clientHandshakeAgainstASilentServerTimesOut() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, LOOPBACK)) {
            CompletableFuture<Outcome> outcome = connect("localhost", silent.getLocalPort(), TlsOptions.builder()
                    .context(TlsFixtures.trustingClient()).handshakeTimeout(Duration.ofMillis(300)).build());
            try (Socket accepted = silent.accept()) {
                Outcome o = outcome.get(10, TimeUnit.SECONDS);

                assertThat(o.kind()).isEqualTo(TlsFailureKind.TIMEOUT);
                assertThat(o.failure()).isInstanceOf(TlsHandshakeTimeoutException.class);
                assertThat(o.readStatus()).isEqualTo(IoStatus.TIMEOUT);
                assertThat(o.open()).as("a failed TLS connect closes the state").isFalse();
            }
        }
    }

    // ------------------------------------------------------------------ certificates

    @Test
    void untrustedCertificateIsATlsError() throws Exception {
        CompletableFuture<Outcome> serverError = new CompletableFuture<>();
        AcceptingHandle handle = tlsServer(TlsFixtures.untrustedServer(), null, serverError);

        Outcome o = connect("localhost", handle.localPort(), TlsTestOptions.client()).get(10, TimeUnit.SECONDS);

        assertThat(o.kind()).isEqualTo(TlsFailureKind.TLS_ERROR);
        assertThat(o.failure()).isInstanceOf(SSLException.class);
        assertThat(o.open()).isFalse();
        assertThat(serverError.get(10, TimeUnit.SECONDS)).as("the server's TLS error callback ran").isNotNull();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(handle.statistics().errors()).as("the handle counts the failed handshake").isEqualTo(1));
    }

    @Test
    void untrustedCertificateIsATlsErrorAtTheServerToo() throws Exception {
        CompletableFuture<Outcome> serverError = new CompletableFuture<>();
        AcceptingHandle handle = tlsServer(TlsFixtures.untrustedServer(), null, serverError);

        connect("localhost", handle.localPort(), TlsTestOptions.client())
                .get(10, TimeUnit.SECONDS);

        // The client's engine has a certificate_unknown alert for the server: the server's TLS error callback hears
        // of a TLS error, not of a peer that just went away (as it does from the JDK's SSLSocket, TlsJdkInteropTest).
        assertThat(serverError.get(10, TimeUnit.SECONDS).kind())
                .as("kind at the server").isEqualTo(TlsFailureKind.TLS_ERROR);
    }

    @Test
    void wrongHostNameIsATlsErrorWithVerification() throws Exception {
        AcceptingHandle handle = tlsServer(TlsFixtures.wrongNameServer(), null, new CompletableFuture<>());

        Outcome o = connect("localhost", handle.localPort(), TlsTestOptions.client()).get(10, TimeUnit.SECONDS);

        assertThat(o.kind()).isEqualTo(TlsFailureKind.TLS_ERROR);
        assertThat(o.open()).isFalse();
    }

    @Test
    void wrongHostNameIsAcceptedWithoutVerification() throws Exception {
        AcceptingHandle handle = tlsServer(TlsFixtures.wrongNameServer(), null, new CompletableFuture<>());
        CompletableFuture<String> echoed = new CompletableFuture<>();

        collection.connectTcp("localhost", handle.localPort(), ConnectFutures.onSuccess(echoed, state -> {
            state.writeBuffer("abc".getBytes(StandardCharsets.US_ASCII), null);
            state.readBuffer(new byte[3], (s, b, n) -> echoed.complete(new String(b, 0, n, StandardCharsets.US_ASCII)));
        }), ConnectOptions.builder().tls(TlsOptions.builder().context(TlsFixtures.trustingClient())
                .hostnameVerification(false).build()).build());

        assertThat(echoed.get(10, TimeUnit.SECONDS)).isEqualTo("abc");
    }

    private AcceptingHandle tls12OnlyServer(CompletableFuture<Outcome> serverError) {
        return collection.acceptTcpConnections(0, (h, s) -> { }, AcceptOptions.builder()
                .address("127.0.0.1")
                .tls(TlsTestOptions.server(TlsTestOptions.only("TLSv1.2")))
                .tlsErrorCallback((s, f) -> serverError.complete(Outcome.of(s, f)))
                .build());
    }

    private CompletableFuture<Outcome> connectTls13Only(int port) {
        return connect("localhost", port, TlsTestOptions.client(TlsTestOptions.only("TLSv1.3")));
    }

    @Test
    void noCommonProtocolIsATlsErrorAtTheServer() throws Exception {
        CompletableFuture<Outcome> serverError = new CompletableFuture<>();
        AcceptingHandle handle = tls12OnlyServer(serverError);

        Outcome o = connectTls13Only(handle.localPort()).get(10, TimeUnit.SECONDS);

        assertThat(o.failure()).isNotNull();
        assertThat(o.open()).isFalse();
        assertThat(serverError.get(10, TimeUnit.SECONDS).kind()).as("kind at the server")
                .isEqualTo(TlsFailureKind.TLS_ERROR);
    }

    @Test
    void noCommonProtocolIsATlsErrorAtTheClient() throws Exception {
        AcceptingHandle handle = tls12OnlyServer(new CompletableFuture<>());

        Outcome o = connectTls13Only(handle.localPort()).get(10, TimeUnit.SECONDS);

        // The server's engine sends a protocol_version alert before the connection closes, so the client has a
        // TLS error, as it has against the JDK's SSLServerSocket (TlsJdkInteropTest).
        assertThat(o.kind()).as("kind at the client, failure %s", o.failure()).isEqualTo(TlsFailureKind.TLS_ERROR);
    }

    // ------------------------------------------------------------------ peer closed

    @Test
    void serverClosingDuringTheHandshakeIsClosed() throws Exception {
        try (ServerSocket plain = new ServerSocket(0, 50, LOOPBACK)) {
            CompletableFuture<Outcome> outcome = connect("localhost", plain.getLocalPort(), TlsTestOptions.client());
            try (Socket accepted = plain.accept()) {
                // Read the ClientHello's record header first so that closing sends a clean FIN, not a reset.
                InputStream in = accepted.getInputStream();
                assertThat(in.readNBytes(5)).hasSize(5);
                accepted.shutdownOutput();

                Outcome o = outcome.get(10, TimeUnit.SECONDS);

                assertThat(o.kind()).isEqualTo(TlsFailureKind.CLOSED);
                assertThat(o.failure()).isInstanceOf(TlsClosedException.class);
                assertThat(o.readStatus()).isEqualTo(IoStatus.EOF);
                assertThat(o.open()).isFalse();
            }
        }
    }

    @Test
    void clientClosingBeforeTheHandshakeIsClosedAtTheServer() throws Exception {
        CompletableFuture<Outcome> serverError = new CompletableFuture<>();
        AcceptingHandle handle = tlsServer(TlsFixtures.server(), null, serverError);

        try (Socket quitter = new Socket(LOOPBACK, handle.localPort())) {
            quitter.shutdownOutput();
            Outcome o = serverError.get(10, TimeUnit.SECONDS);

            assertThat(o.kind()).isEqualTo(TlsFailureKind.CLOSED);
            assertThat(o.readStatus()).isEqualTo(IoStatus.EOF);
        }
    }

    // ------------------------------------------------------------------ not TLS

    @Test
    void refusedTcpConnectIsNotATlsFailure() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, LOOPBACK)) {
            closedPort = probe.getLocalPort();
        }

        Outcome o = connect("127.0.0.1", closedPort, TlsTestOptions.client()).get(10, TimeUnit.SECONDS);

        assertThat(o.failure()).isNotNull();
        assertThat(o.kind()).isEqualTo(TlsFailureKind.NOT_TLS);
        assertThat(o.open()).isFalse();
    }

    @Test
    void noFailureIsNotTls() {
        assertThat(TlsFailureKind.of(null)).isEqualTo(TlsFailureKind.NOT_TLS);
        assertThat(TlsFailureKind.of(new java.io.IOException("x", new SSLException("inner"))))
                .isEqualTo(TlsFailureKind.TLS_ERROR);
        assertThat(TlsFailureKind.of(new java.net.ConnectException("refused"))).isEqualTo(TlsFailureKind.NOT_TLS);
    }

    @Test
    void successfulHandshakeKeepsTheConnectionWorking() throws Exception {
        // Control for the failure tests above: the same server and client options succeed with the right certificate.
        AcceptingHandle handle = tlsServer(TlsFixtures.server(), Duration.ofSeconds(5), new CompletableFuture<>());
        Outcome o = connect("localhost", handle.localPort(), TlsTestOptions.client()).get(10, TimeUnit.SECONDS);

        assertThat(o.failure()).isNull();
        assertThat(o.open()).isTrue();
        assertThat(new InetSocketAddress("localhost", handle.localPort()).isUnresolved()).isFalse();
    }
}
