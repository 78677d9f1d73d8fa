package dev.asyncio.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.asyncio.core.AcceptOptions;
import dev.asyncio.core.AcceptingHandle;
import dev.asyncio.core.TlsFailureKind;
import dev.asyncio.core.TlsOptions;
import dev.asyncio.core.testing.CollectionPerTest;
import dev.asyncio.core.testing.ConnectFutures;
import dev.asyncio.core.testing.TlsFixtures;
import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Interoperability with a TLS implementation no one here wrote: the JDK's blocking {@code SSLSocket}. */
class TlsJdkInteropTest extends CollectionPerTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private ExecutorService peerThreads;

    TlsJdkInteropTest() {
        super("tls-jdk");
    }

    @BeforeEach
    void start() {
        peerThreads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "jdk-tls-peer");
            t.setDaemon(true);
            return t;
        });
    }

    @AfterEach
    void stop() {
        peerThreads.shutdownNow();
    }

    private AcceptingHandle echoServer(String protocol) {
        return collection.acceptTcpConnections(0, EchoHandler.connectionFunction(), AcceptOptions.builder()
                .address("127.0.0.1").queueOutput(true)
                .tls(TlsTestOptions.server(TlsTestOptions.only(protocol)))
                .build());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void sslSocketClientTalksToTheAsyncServer(String protocol) throws Exception {
        AcceptingHandle handle = echoServer(protocol);
        byte[] data = TlsEchoTest.randomBytes(300_000, 7);

        try (SSLSocket socket = (SSLSocket) TlsFixtures.trustingClient().getSocketFactory()
                .createSocket("localhost", handle.localPort())) {
            socket.setSoTimeout(10_000);
            Future<?> writer = peerThreads.submit(() -> {
                OutputStream out = socket.getOutputStream();
                out.write(data);
                out.flush();
                return null;
            });
            byte[] back = new byte[data.length];
            new DataInputStream(socket.getInputStream()).readFully(back);
            writer.get(10, TimeUnit.SECONDS);

            assertThat(back).isEqualTo(data);
            assertThat(socket.getSession().getProtocol()).isEqualTo(protocol);

            // Our side closes after the EOF it reads: the SSLSocket sees a clean end of stream.
            socket.shutdownOutput();
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void asyncClientTalksToAnSslServerSocketAndCloseSendsCloseNotify(String protocol) throws Exception {
        try (SSLServerSocket server = (SSLServerSocket) TlsFixtures.server().getServerSocketFactory()
                .createServerSocket(0, 50, LOOPBACK)) {
            server.setEnabledProtocols(new String[] {protocol});
            Future<String> peer = peerThreads.submit(() -> {
                try (SSLSocket s = (SSLSocket) server.accept()) {
                    s.setSoTimeout(10_000);
                    InputStream in = s.getInputStream();
                    byte[] ping = in.readNBytes(4);
                    s.getOutputStream().write("pong".getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                    // A clean close (close_notify) is an end of stream; a broken one would throw here.
                    int eof = in.read();
                    return new String(ping, StandardCharsets.US_ASCII) + " " + eof + " "
                            + s.getSession().getProtocol();
                }
            });

            CompletableFuture<String> reply = new CompletableFuture<>();
            collection.connectTcp("localhost", server.getLocalPort(), ConnectFutures.onSuccess(reply, state -> {
                state.writeBuffer("ping".getBytes(StandardCharsets.US_ASCII), null);
                state.readBuffer(new byte[4], (s, b, n) -> {
                    reply.complete(s.readStatus() + " " + new String(b, 0, n, StandardCharsets.US_ASCII));
                    s.close();
                });
            }), TlsTestOptions.connectClient());

            assertThat(reply.get(10, TimeUnit.SECONDS)).isEqualTo("OK pong");
            assertThat(peer.get(10, TimeUnit.SECONDS)).isEqualTo("ping -1 " + protocol);
        }
    }

    @Test
    void asyncServerCloseIsACleanEndOfStreamForTheSslSocket() throws Exception {
        AcceptingHandle handle = collection.acceptTcpConnections(0, (h, state) ->
                state.writeBuffer("bye".getBytes(StandardCharsets.US_ASCII), 0, 3, (s, b, n) -> s.close()),
                AcceptOptions.builder().address("127.0.0.1")
                        .tls(TlsTestOptions.server()).build());

        try (SSLSocket socket = (SSLSocket) TlsFixtures.trustingClient().getSocketFactory()
                .createSocket("localhost", handle.localPort())) {
            socket.setSoTimeout(10_000);
            InputStream in = socket.getInputStream();
            assertThat(new String(in.readNBytes(3), StandardCharsets.US_ASCII)).isEqualTo("bye");
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void asyncClientGetsATlsErrorFromAnSslServerSocketWithNoCommonProtocol() throws Exception {
        try (SSLServerSocket server = (SSLServerSocket) TlsFixtures.server().getServerSocketFactory()
                .createServerSocket(0, 50, LOOPBACK)) {
            server.setEnabledProtocols(new String[] {"TLSv1.2"});
            Future<Throwable> peer = peerThreads.submit(() -> {
                try (SSLSocket s = (SSLSocket) server.accept()) {
                    s.setSoTimeout(10_000);
                    return catchThrowable(s::startHandshake);
                }
            });
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            collection.connectTcp("localhost", server.getLocalPort(), (s, f) -> outcome.complete(f),
                    TlsTestOptions.connectClient(TlsTestOptions.only("TLSv1.3")));

            Throwable failure = outcome.get(10, TimeUnit.SECONDS);
            assertThat(TlsFailureKind.of(failure)).isEqualTo(TlsFailureKind.TLS_ERROR);
            assertThat(peer.get(10, TimeUnit.SECONDS)).isInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void sslSocketHearsTheAlertWhenTheAsyncServerRejectsItsHello() throws Exception {
        // A failed handshake must still send the engine's alert before closing, as SSLEngine's contract asks;
        // without it the peer only sees the connection drop ("Remote host terminated the handshake").
        AcceptingHandle handle = collection.acceptTcpConnections(0, (h, s) -> { }, AcceptOptions.builder()
                .address("127.0.0.1")
                .tls(TlsTestOptions.server(TlsTestOptions.only("TLSv1.2")))
                .build());

        try (SSLSocket socket = (SSLSocket) TlsFixtures.trustingClient().getSocketFactory()
                .createSocket("localhost", handle.localPort())) {
            socket.setSoTimeout(10_000);
            socket.setEnabledProtocols(new String[] {"TLSv1.3"});
            Throwable failure = catchThrowable(socket::startHandshake);

            assertThat(failure).isInstanceOf(SSLHandshakeException.class)
                    .hasMessageContaining("Received fatal alert");
        }
    }

    @Test
    void asyncServerHearsTheAlertWhenAnSslSocketRejectsItsCertificate() throws Exception {
        CompletableFuture<Throwable> serverError = new CompletableFuture<>();
        AcceptingHandle handle = collection.acceptTcpConnections(0, (h, s) -> { }, AcceptOptions.builder()
                .address("127.0.0.1")
                .tls(TlsOptions.builder().context(TlsFixtures.untrustedServer()).build())
                .tlsErrorCallback((s, f) -> serverError.complete(f))
                .build());

        try (SSLSocket socket = (SSLSocket) TlsFixtures.trustingClient().getSocketFactory()
                .createSocket("localhost", handle.localPort())) {
            socket.setSoTimeout(10_000);
            assertThat(catchThrowable(socket::startHandshake)).isInstanceOf(SSLHandshakeException.class);
        }
        Throwable failure = serverError.get(10, TimeUnit.SECONDS);
        assertThat(TlsFailureKind.of(failure)).as("kind of %s", failure).isEqualTo(TlsFailureKind.TLS_ERROR);
    }
}
