package dev.asyncio.core.tls;

import static dev.asyncio.core.tls.PlainPair.WAIT_SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncio.core.AcceptOptions;
import dev.asyncio.core.AcceptingHandle;
import dev.asyncio.core.AsyncIoState;
import dev.asyncio.core.ConnectOptions;
import dev.asyncio.core.TlsOptions;
import dev.asyncio.core.testing.CollectionPerTest;
import dev.asyncio.core.testing.ConnectFutures;
import dev.asyncio.core.testing.TlsFixtures;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.Test;

/**
 * TLS work that may be slow (certificate checks are the engine's delegated tasks) runs off the loop thread, and bytes
 * that arrived with a plain STARTTLS-style command before TLS was attached reach the engine.
 */
class TlsLoopThreadTest extends CollectionPerTest {

    TlsLoopThreadTest() {
        super("tls-loop");
    }

    @Test
    void certificateCheckRunsOffTheLoopThread() throws Exception {
        List<String> checkedOn = new CopyOnWriteArrayList<>();
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, new TrustManager[] {new RecordingTrustManager(checkedOn)}, null);
        CompletableFuture<String> loopThread = new CompletableFuture<>();
        AcceptingHandle handle = collection.acceptTcpConnections(0, (h, s) -> { }, AcceptOptions.builder()
                .address("127.0.0.1").tls(TlsTestOptions.server()).build());

        CompletableFuture<Throwable> done = new CompletableFuture<>();
        collection.connectTcp("localhost", handle.localPort(), (s, f) -> {
            loopThread.complete(Thread.currentThread().getName());
            done.complete(f);
        }, ConnectOptions.builder().tls(TlsOptions.builder().context(client).build()).build());

        assertThat(done.get(WAIT_SECONDS, TimeUnit.SECONDS)).isNull();
        assertThat(checkedOn).as("the trust manager ran").isNotEmpty();
        assertThat(checkedOn).doesNotContain(loopThread.get());
    }

    @Test
    void renegotiationStartedByThePeerChecksCertificatesOffTheLoopThread() throws Exception {
        // TLS 1.2 with client certificates: a renegotiation the client starts (allowed here: refused by default) makes
        // the server check the client's certificate again, inside the server's ordinary read. That check must not run
        // on the loop thread either.
        List<String> serverChecks = new CopyOnWriteArrayList<>();
        SSLContext serverCtx = SSLContext.getInstance("TLS");
        serverCtx.init(TlsFixtures.serverKeyManagers(), new TrustManager[] {new RecordingTrustManager(serverChecks)},
                null);
        CompletableFuture<String> loopThread = new CompletableFuture<>();
        AcceptingHandle handle = collection.acceptTcpConnections(0, (h, st) -> {
            loopThread.complete(Thread.currentThread().getName());
            EchoHandler.start(st);
        }, AcceptOptions.builder().address("127.0.0.1").queueOutput(true)
                .tls(TlsOptions.builder().context(serverCtx).maxRenegotiations(1).parametersConfigurer(p -> {
                    p.setNeedClientAuth(true);
                    p.setProtocols(new String[] {"TLSv1.2"});
                }).build())
                .build());
        CompletableFuture<AsyncIoState> connected = new CompletableFuture<>();
        collection.connectTcp("localhost", handle.localPort(), ConnectFutures.into(connected),
                ConnectOptions.builder().tls(TlsOptions.builder().context(TlsFixtures.keyAndTrust()).build()).build());
        AsyncIoState client = connected.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(PlainPair.echo(client, "first")).isEqualTo("first");
        assertThat(serverChecks).as("initial handshake").hasSize(1).doesNotContain(loopThread.get());

        // Without the session, the renegotiation is a full handshake rather than a resumption.
        client.sslEngine().getSession().invalidate();
        assertThat(PlainPair.handshake(client, java.time.Duration.ofSeconds(5)).get(WAIT_SECONDS, TimeUnit.SECONDS))
                .isSameAs(ConnectFutures.SUCCESS);
        assertThat(PlainPair.echo(client, "next")).isEqualTo("next");

        assertThat(serverChecks).as("the renegotiation checked the client again").hasSize(2);
        assertThat(serverChecks).as("threads of the server's certificate checks").doesNotContain(loopThread.get());
    }

    @Test
    void bytesBufferedBeforeAttachReachTheEngine() throws Exception {
        // The client sends a plain command and its ClientHello back to back; the server reads both in one go,
        // consumes the command and attaches TLS: the ClientHello must not be lost in the state's buffer.
        PlainPair pair = PlainPair.open(collection);
        AsyncIoState server = pair.server();
        AsyncIoState client = pair.client();

        CompletableFuture<Throwable> clientTls = new CompletableFuture<>();
        CompletableFuture<Void> commandSent = new CompletableFuture<>();
        client.writeBuffer("STARTTLS\n".getBytes(StandardCharsets.US_ASCII), 0, 9, (s, b, n) -> {
            commandSent.complete(null);
            s.attachTls(TlsTestOptions.clientSide(), ConnectFutures.outcomeInto(clientTls));
        });
        commandSent.get(WAIT_SECONDS, TimeUnit.SECONDS);
        // Once the client's engine waits for the ServerHello, its ClientHello has been written to the socket (on
        // loopback: it is in the server's receive buffer, right behind the command).
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                .until(() -> handshakeStatusOnLoop(client) == SSLEngineResult.HandshakeStatus.NEED_UNWRAP);

        CompletableFuture<Integer> leftOver = new CompletableFuture<>();
        CompletableFuture<Throwable> serverTls = new CompletableFuture<>();
        server.readWithChecking((s, buf, end) -> {
            for (int i = 0; i < end; i++) {
                if (buf[i] == '\n') {
                    leftOver.complete(s.finish(i + 1));
                    s.attachTls(TlsTestOptions.server(), ConnectFutures.outcomeInto(serverTls));
                    return;
                }
            }
        });

        assertThat(leftOver.get(WAIT_SECONDS, TimeUnit.SECONDS)).as("ClientHello bytes were read with the command")
                .isPositive();
        assertThat(serverTls.get(WAIT_SECONDS, TimeUnit.SECONDS)).isSameAs(ConnectFutures.SUCCESS);
        assertThat(clientTls.get(WAIT_SECONDS, TimeUnit.SECONDS)).isSameAs(ConnectFutures.SUCCESS);
        assertThat(PlainPair.transfer(client, server, "over tls")).isEqualTo("over tls");
    }

    private SSLEngineResult.HandshakeStatus handshakeStatusOnLoop(AsyncIoState state) throws Exception {
        CompletableFuture<SSLEngineResult.HandshakeStatus> status = new CompletableFuture<>();
        collection.apply(() -> {
            SSLEngine engine = state.sslEngine();
            status.complete(engine == null ? null : engine.getHandshakeStatus());
        });
        return status.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** Trusts what {@code truststore.p12} trusts and records the thread of every server certificate check. */
    private static final class RecordingTrustManager extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager delegate;
        private final List<String> threads;

        RecordingTrustManager(List<String> threads) throws Exception {
            this.threads = threads;
            this.delegate = TlsFixtures.trustManager();
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            threads.add(Thread.currentThread().getName());
            delegate.checkServerTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            threads.add(Thread.currentThread().getName());
            delegate.checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            threads.add(Thread.currentThread().getName());
            delegate.checkServerTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            delegate.checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            threads.add(Thread.currentThread().getName());
            delegate.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }
    }
}
