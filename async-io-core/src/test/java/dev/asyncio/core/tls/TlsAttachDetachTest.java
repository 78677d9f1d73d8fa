package dev.asyncio.core.tls;

import static dev.asyncio.core.testing.ConnectFutures.SUCCESS;
import static dev.asyncio.core.tls.PlainPair.WAIT_SECONDS;
import static dev.asyncio.core.tls.PlainPair.attach;
import static dev.asyncio.core.tls.PlainPair.detach;
import static dev.asyncio.core.tls.PlainPair.handshake;
import static dev.asyncio.core.tls.PlainPair.transfer;
import static dev.asyncio.core.tls.TlsTestOptions.clientSide;
import static dev.asyncio.core.tls.TlsTestOptions.serverSide;
import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncio.core.AsyncIoState;
import dev.asyncio.core.ConnectOptions;
import dev.asyncio.core.IoStatus;
import dev.asyncio.core.TlsClosedException;
import dev.asyncio.core.TlsFailureKind;
import dev.asyncio.core.TlsHandshakeTimeoutException;
import dev.asyncio.core.TlsOptions;
import dev.asyncio.core.TlsSide;
import dev.asyncio.core.testing.CollectionPerTest;
import dev.asyncio.core.testing.ConnectFutures;
import dev.asyncio.core.testing.TlsFixtures;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * TLS attached to and detached from live plain connections (LispWorks {@code async-io-state-attach-ssl},
 * {@code -detach-ssl}, {@code -handshake}, {@code -ssl-side}), STARTTLS style.
 */
class TlsAttachDetachTest extends CollectionPerTest {

    TlsAttachDetachTest() {
        super("tls-attach");
    }

    @Test
    void plainThenTlsThenPlainAgainOnOneConnection() throws Exception {
        PlainPair pair = PlainPair.open(collection);
        AsyncIoState server = pair.server();
        AsyncIoState client = pair.client();
        assertThat(client.tlsSide()).isNull();
        assertThat(client.sslEngine()).isNull();
        assertThat(transfer(client, server, "plain before")).isEqualTo("plain before");
        assertThat(transfer(server, client, "plain reply")).isEqualTo("plain reply");

        pair.withTls();
        assertThat(server.tlsSide()).isEqualTo(TlsSide.SERVER);
        assertThat(client.tlsSide()).isEqualTo(TlsSide.CLIENT);
        assertThat(client.sslEngine().getSession().getProtocol()).isEqualTo("TLSv1.3");

        byte[] secret = TlsEchoTest.randomBytes(200_000, 11);
        assertThat(transfer(client, server, secret)).isEqualTo(secret);
        assertThat(transfer(server, client, "tls reply")).isEqualTo("tls reply");

        CompletableFuture<AsyncIoState> serverDetached = detach(server);
        CompletableFuture<AsyncIoState> clientDetached = detach(client);
        assertThat(clientDetached.get(WAIT_SECONDS, TimeUnit.SECONDS)).isSameAs(client);
        assertThat(serverDetached.get(WAIT_SECONDS, TimeUnit.SECONDS)).isSameAs(server);
        assertThat(client.tlsSide()).isNull();
        assertThat(server.tlsSide()).isNull();
        assertThat(server.sslEngine()).isNull();

        // Exactly the plain bytes arrive: had anything stayed encrypted, the ranges would differ.
        assertThat(transfer(client, server, "plain after")).isEqualTo("plain after");
        assertThat(transfer(server, client, "plain after reply")).isEqualTo("plain after reply");
        assertThat(client.readStatus()).isEqualTo(IoStatus.OK);
        assertThat(server.readStatus()).isEqualTo(IoStatus.OK);
    }

    @Test
    void plainBytesRightBehindThePeersCloseNotifyAreKept() throws Exception {
        PlainPair pair = PlainPair.open(collection).withTls();

        // The client writes plain bytes the moment its detach is done, so they may reach the server in the same
        // read as the client's close_notify: the server's detach must keep them as plain input.
        CompletableFuture<AsyncIoState> serverDetached = detach(pair.server());
        byte[] plain = "right behind".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        pair.client().detachTls(st -> st.writeBuffer(plain, null));
        assertThat(serverDetached.get(WAIT_SECONDS, TimeUnit.SECONDS)).isSameAs(pair.server());

        CompletableFuture<String> got = new CompletableFuture<>();
        pair.server().readBuffer(new byte[12], (st, b, n) ->
                got.complete(new String(b, 0, n, java.nio.charset.StandardCharsets.US_ASCII)));
        assertThat(got.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("right behind");
    }

    @Test
    void tlsCanBeAttachedAgainAfterADetach() throws Exception {
        PlainPair pair = PlainPair.open(collection);
        for (int round = 1; round <= 2; round++) {
            pair.withTls();
            assertThat(transfer(pair.client(), pair.server(), "round " + round)).isEqualTo("round " + round);
            CompletableFuture<AsyncIoState> sd = detach(pair.server());
            CompletableFuture<AsyncIoState> cd = detach(pair.client());
            sd.get(WAIT_SECONDS, TimeUnit.SECONDS);
            cd.get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(transfer(pair.server(), pair.client(), "plain " + round)).isEqualTo("plain " + round);
        }
    }

    @Test
    void sideBothChoosesTheRoleLaterAndHandshakes() throws Exception {
        PlainPair pair = PlainPair.open(collection);
        TlsOptions both = TlsOptions.builder().side(TlsSide.BOTH).build();

        CompletableFuture<Throwable> sa = attach(pair.server(),
                both.toBuilder().context(TlsFixtures.server()).build());
        CompletableFuture<Throwable> ca = attach(pair.client(),
                both.toBuilder().context(TlsFixtures.trustingClient()).build());
        assertThat(sa.get(WAIT_SECONDS, TimeUnit.SECONDS)).as("BOTH attaches without a handshake").isSameAs(SUCCESS);
        assertThat(ca.get(WAIT_SECONDS, TimeUnit.SECONDS)).isSameAs(SUCCESS);
        assertThat(pair.server().tlsSide()).isEqualTo(TlsSide.BOTH);
        assertThat(pair.client().tlsSide()).isEqualTo(TlsSide.BOTH);

        pair.server().sslEngine().setUseClientMode(false);
        pair.client().sslEngine().setUseClientMode(true);
        CompletableFuture<Throwable> sh = handshake(pair.server(), Duration.ofSeconds(5));
        CompletableFuture<Throwable> ch = handshake(pair.client(), Duration.ofSeconds(5));
        assertThat(ch.get(WAIT_SECONDS, TimeUnit.SECONDS)).isSameAs(SUCCESS);
        assertThat(sh.get(WAIT_SECONDS, TimeUnit.SECONDS)).isSameAs(SUCCESS);

        assertThat(transfer(pair.client(), pair.server(), "chosen later")).isEqualTo("chosen later");
        assertThat(transfer(pair.server(), pair.client(), "and back")).isEqualTo("and back");
        assertThat(pair.client().sslEngine().getSession().getProtocol()).isEqualTo("TLSv1.3");
    }

    @Test
    void acceptingWithSideBothLetsTheConnectionFunctionChooseTheRole() throws Exception {
        CompletableFuture<Throwable> serverHandshake = new CompletableFuture<>();
        dev.asyncio.core.AcceptingHandle handle = collection.acceptTcpConnections(0, (h, st) -> {
            st.sslEngine().setUseClientMode(false);
            st.handshake((s, f) -> {
                ConnectFutures.outcomeInto(serverHandshake).call(s, f);
                if (f == null) {
                    EchoHandler.start(s);
                }
            }, Duration.ofSeconds(5));
        }, dev.asyncio.core.AcceptOptions.builder().address("127.0.0.1").queueOutput(true)
                .tls(TlsOptions.builder().context(TlsFixtures.server()).side(TlsSide.BOTH).build()).build());
        CompletableFuture<AsyncIoState> connected = new CompletableFuture<>();
        collection.connectTcp("localhost", handle.localPort(), ConnectFutures.into(connected),
                TlsTestOptions.connectClient());

        AsyncIoState client = connected.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(serverHandshake.get(WAIT_SECONDS, TimeUnit.SECONDS)).isSameAs(SUCCESS);
        CompletableFuture<String> back = new CompletableFuture<>();
        client.readBuffer(new byte[4], (s, b, n) ->
                back.complete(new String(b, 0, n, java.nio.charset.StandardCharsets.US_ASCII)));
        client.writeBuffer("both".getBytes(java.nio.charset.StandardCharsets.US_ASCII), null);
        assertThat(back.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("both");
    }

    @Test
    void handshakeWithoutAnAnswerTimesOutWithReadStatusTimeout() throws Exception {
        PlainPair pair = PlainPair.open(collection);
        attach(pair.client(), TlsOptions.builder().context(TlsFixtures.trustingClient()).side(TlsSide.BOTH).build())
                .get(WAIT_SECONDS, TimeUnit.SECONDS);
        pair.client().sslEngine().setUseClientMode(true);

        Throwable failure = handshake(pair.client(), Duration.ofMillis(300)).get(WAIT_SECONDS, TimeUnit.SECONDS);

        assertThat(failure).isInstanceOf(TlsHandshakeTimeoutException.class);
        assertThat(TlsFailureKind.of(failure)).isEqualTo(TlsFailureKind.TIMEOUT);
        assertThat(pair.client().readStatus()).isEqualTo(IoStatus.TIMEOUT);
    }

    @Test
    void handshakeWithAPeerThatClosesEndsWithReadStatusEof() throws Exception {
        try (ServerSocket plain = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CompletableFuture<AsyncIoState> connected = new CompletableFuture<>();
            collection.connectTcp("127.0.0.1", plain.getLocalPort(), ConnectFutures.into(connected),
                    ConnectOptions.DEFAULTS);
            try (Socket peer = plain.accept()) {
                AsyncIoState client = connected.get(WAIT_SECONDS, TimeUnit.SECONDS);
                attach(client, TlsOptions.builder().context(TlsFixtures.trustingClient()).side(TlsSide.BOTH)
                        .build()).get(WAIT_SECONDS, TimeUnit.SECONDS);
                client.sslEngine().setUseClientMode(true);
                CompletableFuture<Throwable> done = handshake(client, Duration.ofSeconds(5));

                InputStream in = peer.getInputStream();
                assertThat(in.readNBytes(5)).as("a ClientHello record header").hasSize(5);
                peer.shutdownOutput();

                Throwable failure = done.get(WAIT_SECONDS, TimeUnit.SECONDS);
                assertThat(failure).isInstanceOf(TlsClosedException.class);
                assertThat(TlsFailureKind.of(failure)).isEqualTo(TlsFailureKind.CLOSED);
                assertThat(client.readStatus()).isEqualTo(IoStatus.EOF);
            }
        }
    }

    @Test
    void failedAttachLeavesTheStateWithoutTls() throws Exception {
        PlainPair pair = PlainPair.open(collection);
        CompletableFuture<Throwable> attached = attach(pair.client(), TlsOptions.builder()
                .context(TlsFixtures.trustingClient()).side(TlsSide.CLIENT).handshakeTimeout(Duration.ofMillis(300))
                .build());

        Throwable failure = attached.get(WAIT_SECONDS, TimeUnit.SECONDS);

        assertThat(TlsFailureKind.of(failure)).isEqualTo(TlsFailureKind.TIMEOUT);
        assertThat(pair.client().tlsSide()).isNull();
        assertThat(pair.client().sslEngine()).isNull();
        assertThat(pair.client().isOpen()).as("attach failures do not close the state").isTrue();
    }

    @Test
    void attachingAClientWithVerificationButNoHostNameFails() throws Exception {
        PlainPair pair = PlainPair.open(collection);
        attach(pair.server(), serverSide());

        Throwable failure = attach(pair.client(), TlsOptions.builder().context(TlsFixtures.trustingClient())
                .side(TlsSide.CLIENT).build()).get(WAIT_SECONDS, TimeUnit.SECONDS);

        // Nothing to verify the certificate against: refusing is the safe answer.
        assertThat(TlsFailureKind.of(failure)).isEqualTo(TlsFailureKind.TLS_ERROR);
        assertThat(pair.client().tlsSide()).isNull();
    }

    @Test
    void peerHearsPromptlyWhenTheOtherEndRejectsTheHandshake() throws Exception {
        PlainPair pair = PlainPair.open(collection);
        // The server presents a certificate for wrong.example; the client verifies "localhost" and rejects it.
        CompletableFuture<Throwable> server = attach(pair.server(),
                TlsOptions.builder().context(TlsFixtures.wrongNameServer()).build());
        Throwable atClient = attach(pair.client(), clientSide()).get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(TlsFailureKind.of(atClient)).isEqualTo(TlsFailureKind.TLS_ERROR);

        // The client's engine has an alert for the server; sent before the attach reports failure, it ends the
        // server's handshake at once instead of after the server's 10 s handshake timeout.
        Throwable atServer = server.get(5, TimeUnit.SECONDS);
        assertThat(TlsFailureKind.of(atServer)).as("kind at the server of %s", atServer)
                .isEqualTo(TlsFailureKind.TLS_ERROR);
    }

    @Test
    void detachWithoutTlsJustCallsBack() throws Exception {
        PlainPair pair = PlainPair.open(collection);

        assertThat(detach(pair.client()).get(WAIT_SECONDS, TimeUnit.SECONDS)).isSameAs(pair.client());
        assertThat(transfer(pair.client(), pair.server(), "still plain")).isEqualTo("still plain");
    }
}
