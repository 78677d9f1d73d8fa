package dev.asyncio.core.tls;

import static dev.asyncio.core.testing.ConnectFutures.SUCCESS;
import static dev.asyncio.core.tls.PlainPair.WAIT_SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncio.core.AcceptOptions;
import dev.asyncio.core.AcceptingHandle;
import dev.asyncio.core.AsyncIoState;
import dev.asyncio.core.ConnectOptions;
import dev.asyncio.core.IoStatus;
import dev.asyncio.core.OperationOptions;
import dev.asyncio.core.TlsOptions;
import dev.asyncio.core.WaitStateCollection;
import dev.asyncio.core.testing.CollectionPerTest;
import dev.asyncio.core.testing.ConnectFutures;
import dev.asyncio.core.testing.Ipv6Loopback;
import dev.asyncio.core.testing.TlsFixtures;
import java.io.DataInputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Stream semantics that must hold over TLS as over plain TCP: EOF on close_notify and on a bare FIN, graceful close
 * after large output, max-read, abort, re-handshakes, SNI.
 */
class TlsStreamTest extends CollectionPerTest {

    TlsStreamTest() {
        super("tls-stream");
    }

    private AcceptingHandle server(dev.asyncio.core.ConnectionFunction fn, TlsOptions tls) {
        return collection.acceptTcpConnections(0, fn, AcceptOptions.builder().address("127.0.0.1").queueOutput(true)
                .tls(tls).build());
    }

    /** A server whose read-with-checking reports the status it ended with and the bytes it saw. */
    private AcceptingHandle statusRecordingServer(CompletableFuture<String> ended) {
        StringBuilder seen = new StringBuilder();
        return server((h, st) -> st.readWithChecking((s, buf, end) -> {
            if (end > 0) {
                seen.append(new String(buf, 0, end, StandardCharsets.US_ASCII));
                s.discard(end);
            }
            if (s.readStatus() != IoStatus.OK) {
                ended.complete(s.readStatus() + " " + seen);
            }
        }), TlsTestOptions.server());
    }

    @Test
    void peerCloseNotifyIsEofForReadWithChecking() throws Exception {
        CompletableFuture<String> ended = new CompletableFuture<>();
        AcceptingHandle handle = statusRecordingServer(ended);

        collection.connectTcp("localhost", handle.localPort(), (state, failure) ->
                state.writeBuffer("last words".getBytes(StandardCharsets.US_ASCII), 0, 10, (s, b, n) -> s.close()),
                TlsTestOptions.connectClient());

        assertThat(ended.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("EOF last words");
    }

    @Test
    void peerClosingWithoutCloseNotifyIsEofToo() throws Exception {
        CompletableFuture<String> ended = new CompletableFuture<>();
        AcceptingHandle handle = statusRecordingServer(ended);

        try (Socket plain = new Socket("127.0.0.1", handle.localPort())) {
            SSLSocket tls = (SSLSocket) TlsFixtures.trustingClient().getSocketFactory()
                    .createSocket(plain, "localhost", handle.localPort(), false);
            tls.startHandshake();
            tls.getOutputStream().write("abrupt".getBytes(StandardCharsets.US_ASCII));
            tls.getOutputStream().flush();
            // Closing the TCP socket under the TLS socket: a FIN with no close_notify before it.
            plain.close();

            assertThat(ended.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("EOF abrupt");
        }
    }

    @Test
    void gracefulCloseWritesLargeOutputThenCloses() throws Exception {
        byte[] data = TlsEchoTest.randomBytes(1_100_000, 5);
        AcceptingHandle handle = server((h, st) -> {
            st.writeBuffer(data, null);
            st.closeGracefully(Duration.ofSeconds(10), null);
        }, TlsTestOptions.server());

        try (SSLSocket socket = (SSLSocket) TlsFixtures.trustingClient().getSocketFactory()
                .createSocket("localhost", handle.localPort())) {
            socket.setSoTimeout(10_000);
            byte[] back = new byte[data.length];
            InputStream in = socket.getInputStream();
            new DataInputStream(in).readFully(back);

            assertThat(back).isEqualTo(data);
            assertThat(in.read()).as("end of stream after the last byte").isEqualTo(-1);
        }
    }

    /**
     * With a max-read below the TLS record size, one socket read decrypts more than one read attempt may take: the
     * rest waits in the TLS session, the socket is drained and never signals readable for it. Every byte must still
     * be delivered, each callback bringing new bytes (at most max-read of them), whether the callback discards
     * (the usual framed reader) or lets input accumulate.
     */
    @Test
    void readWithCheckingDeliversEverythingWithASmallMaxRead() throws Exception {
        smallMaxRead(true);
    }

    @Test
    void readWithCheckingOverTlsCallsBackOnlyWithNewBytes() throws Exception {
        smallMaxRead(false);
    }

    private void smallMaxRead(boolean discarding) throws Exception {
        int maxRead = 100;
        List<Integer> increments = new CopyOnWriteArrayList<>();
        CompletableFuture<Integer> total = new CompletableFuture<>();
        byte[] data = TlsEchoTest.randomBytes(20_000, 9);
        int[] consumed = {0};
        AcceptingHandle handle = server((h, st) -> st.readWithChecking((s, buf, end) -> {
            increments.add(end - s.oldLength());
            int seen = consumed[0] + end;
            if (discarding && end > 0) {
                consumed[0] += end;
                s.discard(end);
            }
            if (seen >= data.length || s.readStatus() != IoStatus.OK) {
                total.complete(seen);
                if (s.readStatus() == IoStatus.OK) {
                    s.finish();
                }
            }
        }, OperationOptions.builder().maxRead(maxRead).build()), TlsTestOptions.server());

        collection.connectTcp("localhost", handle.localPort(), (state, failure) -> state.writeBuffer(data, null),
                TlsTestOptions.connectClient());

        assertThat(total.get(5, TimeUnit.SECONDS)).isEqualTo(data.length);
        assertThat(increments).allSatisfy(n -> assertThat(n).isBetween(1, maxRead));
    }

    @Test
    void writeTimeoutOverTlsReportsTimeoutWithThePartialCount() throws Exception {
        AcceptingHandle handle = server((h, st) -> { }, TlsTestOptions.server());
        byte[] big = new byte[32 * 1024 * 1024];
        CompletableFuture<String> outcome = new CompletableFuture<>();
        collection.connectTcp("localhost", handle.localPort(), (state, failure) ->
                state.writeBuffer(big, 0, big.length, (s, b, n) ->
                        outcome.complete(s.writeStatus() + " " + (n < big.length)),
                        OperationOptions.timeout(Duration.ofMillis(300))), TlsTestOptions.connectClient());

        assertThat(outcome.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("TIMEOUT true");
    }

    @Test
    void inputLeftByFinishIsReadFirstOverTls() throws Exception {
        CompletableFuture<String> parts = new CompletableFuture<>();
        AcceptingHandle handle = server((h, st) -> st.readWithChecking((s, buf, end) -> {
            for (int i = 0; i < end; i++) {
                if (buf[i] == '\n') {
                    String header = new String(buf, 0, i, StandardCharsets.US_ASCII);
                    s.finish(i + 1);
                    int buffered = s.bufferedDataLength();
                    s.readBuffer(new byte[4], (s2, b, n) -> parts.complete(header + "|" + buffered + "|"
                            + new String(b, 0, n, StandardCharsets.US_ASCII)));
                    return;
                }
            }
        }), TlsTestOptions.server());

        collection.connectTcp("localhost", handle.localPort(), (state, failure) ->
                state.writeBuffer("HEAD\nBODY".getBytes(StandardCharsets.US_ASCII), null),
                TlsTestOptions.connectClient());

        assertThat(parts.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("HEAD|4|BODY");
    }

    /**
     * The server writes the moment its handshake is done, so its first record may arrive in the same read as its
     * last handshake message; the client's first read must still get it. Repeated because that timing varies.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void dataRightBehindTheHandshakeReachesTheFirstRead(String protocol) throws Exception {
        AcceptingHandle handle = server((h, st) -> st.writeBuffer("welcome".getBytes(StandardCharsets.US_ASCII),
                null), TlsTestOptions.server(TlsTestOptions.only(protocol)));
        for (int i = 0; i < 10; i++) {
            CompletableFuture<String> greeting = new CompletableFuture<>();
            collection.connectTcp("localhost", handle.localPort(), ConnectFutures.onSuccess(greeting, state -> {
                state.readBuffer(new byte[7], (s, b, n) -> {
                    greeting.complete(new String(b, 0, n, StandardCharsets.US_ASCII));
                    s.close();
                });
            }), TlsTestOptions.connectClient());

            assertThat(greeting.get(5, TimeUnit.SECONDS)).as("connection %d", i).isEqualTo("welcome");
        }
    }

    @Test
    void abortedReadLeavesTheTlsStreamIntact() throws Exception {
        CompletableFuture<AsyncIoState> accepted = new CompletableFuture<>();
        AcceptingHandle handle = server((h, st) -> accepted.complete(st), TlsTestOptions.server());
        CompletableFuture<AsyncIoState> connected = new CompletableFuture<>();
        collection.connectTcp("localhost", handle.localPort(), ConnectFutures.into(connected),
                TlsTestOptions.connectClient());
        AsyncIoState server = accepted.get(WAIT_SECONDS, TimeUnit.SECONDS);
        AsyncIoState client = connected.get(WAIT_SECONDS, TimeUnit.SECONDS);

        CompletableFuture<Void> aborted = new CompletableFuture<>();
        server.readBuffer(new byte[5], (s, b, n) -> aborted.completeExceptionally(new AssertionError("completed")));
        server.abort((s, b, n) -> aborted.complete(null));
        aborted.get(WAIT_SECONDS, TimeUnit.SECONDS);

        assertThat(PlainPair.transfer(client, server, "after abort")).isEqualTo("after abort");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void handshakeOnAnEstablishedConnectionKeepsTrafficFlowing(String protocol) throws Exception {
        // The client renegotiates (TLS 1.2): allowed once here, refused by default.
        TlsOptions only = TlsTestOptions.server(TlsTestOptions.only(protocol)).toBuilder().maxRenegotiations(1).build();
        AcceptingHandle handle = server(EchoHandler.connectionFunction(), only);
        CompletableFuture<AsyncIoState> connected = new CompletableFuture<>();
        collection.connectTcp("localhost", handle.localPort(), ConnectFutures.into(connected),
                TlsTestOptions.connectClient());
        AsyncIoState client = connected.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(PlainPair.echo(client, "before")).isEqualTo("before");

        // TLS 1.3: a key update; TLS 1.2: a renegotiation, which the echoing peer handles inside its read.
        assertThat(PlainPair.handshake(client, Duration.ofSeconds(5)).get(WAIT_SECONDS, TimeUnit.SECONDS))
                .isSameAs(SUCCESS);

        assertThat(PlainPair.echo(client, "after")).isEqualTo("after");
        assertThat(client.sslEngine().getSession().getProtocol()).isEqualTo(protocol);
    }

    @Test
    void serverSeesTheSniHostName() throws Exception {
        CompletableFuture<List<javax.net.ssl.SNIServerName>> names = new CompletableFuture<>();
        AcceptingHandle handle = server((h, st) ->
                names.complete(((ExtendedSSLSession) st.sslEngine().getSession()).getRequestedServerNames()),
                TlsTestOptions.server());

        collection.connectTcp("localhost", handle.localPort(), (s, f) -> { }, ConnectOptions.builder()
                .tls(TlsOptions.builder().context(TlsFixtures.trustingClient()).sniHostName("sni.example")
                        .hostnameVerification(false).build()).build());
        assertThat(names.get(WAIT_SECONDS, TimeUnit.SECONDS)).containsExactly(new SNIHostName("sni.example"));

        CompletableFuture<List<javax.net.ssl.SNIServerName>> defaultNames = new CompletableFuture<>();
        AcceptingHandle handle2 = server((h, st) ->
                defaultNames.complete(((ExtendedSSLSession) st.sslEngine().getSession()).getRequestedServerNames()),
                TlsTestOptions.server());
        collection.connectTcp("localhost", handle2.localPort(), (s, f) -> { }, TlsTestOptions.connectClient());
        assertThat(defaultNames.get(WAIT_SECONDS, TimeUnit.SECONDS))
                .as("SNI defaults to the connect host name").containsExactly(new SNIHostName("localhost"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"127.0.0.1", "::1"})
    void hostNameVerificationAcceptsAnIpAddressInTheCertificate(String host) throws Exception {
        if (host.contains(":")) {
            Ipv6Loopback.assumeForTcp();
        }
        AcceptingHandle handle = collection.acceptTcpConnections(0, EchoHandler.connectionFunction(),
                AcceptOptions.builder().address(host).queueOutput(true).tls(TlsTestOptions.server()).build());
        CompletableFuture<AsyncIoState> connected = new CompletableFuture<>();
        collection.connectTcp(host, handle.localPort(), ConnectFutures.into(connected), TlsTestOptions.connectClient());

        assertThat(PlainPair.echo(connected.get(WAIT_SECONDS, TimeUnit.SECONDS), "by address"))
                .isEqualTo("by address");
    }

    @Test
    void rolesCanBeReversedAcceptorAsClientConnectorAsServer() throws Exception {
        CompletableFuture<String> atAcceptor = new CompletableFuture<>();
        AcceptingHandle handle = collection.acceptTcpConnections(0, (h, st) -> {
            atAcceptor.complete(String.valueOf(st.tlsSide()));
            EchoHandler.start(st);
        }, AcceptOptions.builder().address("127.0.0.1").queueOutput(true)
                .tls(TlsOptions.builder().context(TlsFixtures.trustingClient()).side(dev.asyncio.core.TlsSide.CLIENT)
                        .hostnameVerification(false).build())
                .build());
        CompletableFuture<AsyncIoState> connected = new CompletableFuture<>();
        collection.connectTcp("localhost", handle.localPort(), ConnectFutures.into(connected),
                ConnectOptions.builder().tls(TlsOptions.builder().context(TlsFixtures.server())
                        .side(dev.asyncio.core.TlsSide.SERVER).build()).build());

        AsyncIoState connector = connected.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(connector.tlsSide()).isEqualTo(dev.asyncio.core.TlsSide.SERVER);
        assertThat(atAcceptor.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("CLIENT");
        assertThat(PlainPair.echo(connector, "reversed")).isEqualTo("reversed");
    }

    @Test
    void configurersReachTheEngineMutualTlsAndCipherSuite() throws Exception {
        String suite = "TLS_AES_128_GCM_SHA256";
        CompletableFuture<String> peerAtServer = new CompletableFuture<>();
        AcceptingHandle handle = collection.acceptTcpConnections(0, (h, st) -> {
            try {
                peerAtServer.complete(st.sslEngine().getSession().getPeerPrincipal().getName());
            } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
                peerAtServer.completeExceptionally(e);
            }
            EchoHandler.start(st);
        }, AcceptOptions.builder().address("127.0.0.1").queueOutput(true)
                .tls(TlsOptions.builder().context(TlsFixtures.keyAndTrust())
                        .parametersConfigurer(p -> p.setNeedClientAuth(true)).build())
                .build());
        CompletableFuture<AsyncIoState> connected = new CompletableFuture<>();
        List<Boolean> clientModeSeen = new CopyOnWriteArrayList<>();
        collection.connectTcp("localhost", handle.localPort(), ConnectFutures.into(connected),
                ConnectOptions.builder().tls(TlsOptions.builder().context(TlsFixtures.keyAndTrust())
                        .engineConfigurer(engine -> {
                            clientModeSeen.add(engine.getUseClientMode());
                            engine.setEnabledCipherSuites(new String[] {suite});
                        }).build()).build());

        AsyncIoState client = connected.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(clientModeSeen).containsExactly(true);
        assertThat(client.sslEngine().getSession().getCipherSuite()).isEqualTo(suite);
        assertThat(peerAtServer.get(WAIT_SECONDS, TimeUnit.SECONDS)).contains("CN=localhost");
        assertThat(PlainPair.echo(client, "mutual")).isEqualTo("mutual");
    }

    @Test
    void aHalfCloseOverTlsWaitsForTheCiphertextOfCompletedWrites() throws Exception {
        int chunk = 16_000;
        int chunks = 200;
        AcceptingHandle handle = server((h, st) -> writeChunks(st, new byte[chunk], chunks), TlsTestOptions.server());
        CompletableFuture<Long> received = new CompletableFuture<>();
        // The client on a loop of its own, so the server's loop runs ahead and fills the socket.
        WaitStateCollection clientLoop = WaitStateCollection.builder("tls-slow-client").daemon(true).createAndRun();
        try {
            slowClient(clientLoop, handle, received);
            assertThat(received.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo((long) chunk * chunks);
        } finally {
            clientLoop.close();
        }
    }

    private static void slowClient(WaitStateCollection clientLoop, AcceptingHandle handle,
                                   CompletableFuture<Long> received) {
        clientLoop.connectTcp("localhost", handle.localPort(), (state, failure) -> {
            long[] total = {0};
            state.readWithChecking((s, buf, end) -> {
                total[0] += end;
                if (end > 0) {
                    s.discard(end);
                }
                if (s.readStatus() != IoStatus.OK) {
                    received.complete(total[0]);
                    s.close();
                }
            // A slow reader (1 KiB per callback) keeps the server's socket full, so ciphertext is still pending in
            // the server's engine when its last write completes and the graceful close starts.
            }, OperationOptions.builder().maxRead(1024).build());
        }, TlsTestOptions.connectClient());
    }

    /**
     * Writes {@code count} chunks one after the other, then half-closes from the last write's callback, when the
     * last chunk's plaintext is consumed but its ciphertext may still wait for the socket.
     */
    private static void writeChunks(dev.asyncio.core.AsyncIoState st, byte[] data, int count) {
        if (count == 0) {
            st.shutdown(dev.asyncio.core.Direction.OUTPUT);
            return;
        }
        st.writeBuffer(data, (s, b, n) -> writeChunks(s, data, count - 1));
    }
}
