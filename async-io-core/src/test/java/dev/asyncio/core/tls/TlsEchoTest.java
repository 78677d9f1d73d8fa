package dev.asyncio.core.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncio.core.AcceptOptions;
import dev.asyncio.core.AcceptingHandle;
import dev.asyncio.core.AsyncIoState;
import dev.asyncio.core.ConnectionFunction;
import dev.asyncio.core.IoStatus;
import dev.asyncio.core.TlsSide;
import dev.asyncio.core.testing.CollectionPerTest;
import dev.asyncio.core.testing.ConnectFutures;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** TLS between an async client and an async server: both protocol versions, every read style, large transfers. */
class TlsEchoTest extends CollectionPerTest {

    private static final int LARGE = 1_536 * 1024;

    TlsEchoTest() {
        super("tls-echo");
    }

    /** What one end saw of its TLS session. */
    record Session(TlsSide side, String protocol) {
        static Session of(AsyncIoState s) {
            return new Session(s.tlsSide(), s.sslEngine().getSession().getProtocol());
        }
    }

    private AcceptingHandle server(ConnectionFunction fn, Consumer<SSLParameters> params) {
        return collection.acceptTcpConnections(0, fn, AcceptOptions.builder().address("127.0.0.1").queueOutput(true)
                .tls(TlsTestOptions.server(params)).build());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void asyncClientAndServerEchoWithTheForcedProtocol(String protocol) throws Exception {
        Consumer<SSLParameters> only = TlsTestOptions.only(protocol);
        CompletableFuture<Session> serverSession = new CompletableFuture<>();
        AcceptingHandle handle = server((h, s) -> {
            serverSession.complete(Session.of(s));
            EchoHandler.start(s);
        }, only);

        CompletableFuture<Session> clientSession = new CompletableFuture<>();
        CompletableFuture<String> echoed = new CompletableFuture<>();
        collection.connectTcp("localhost", handle.localPort(), ConnectFutures.onSuccess(echoed, state -> {
            clientSession.complete(Session.of(state));
            byte[] msg = ("hello over " + protocol).getBytes(StandardCharsets.UTF_8);
            state.writeBuffer(msg, null);
            state.readBuffer(new byte[msg.length], (s, b, n) -> {
                echoed.complete(s.readStatus() + " " + new String(b, 0, n, StandardCharsets.UTF_8));
                s.close();
            });
        }), TlsTestOptions.connectClient(only));

        assertThat(echoed.get(10, TimeUnit.SECONDS)).isEqualTo("OK hello over " + protocol);
        assertThat(clientSession.get(1, TimeUnit.SECONDS)).isEqualTo(new Session(TlsSide.CLIENT, protocol));
        assertThat(serverSession.get(1, TimeUnit.SECONDS)).isEqualTo(new Session(TlsSide.SERVER, protocol));
    }

    @Test
    void largeWriteIsEchoedByteForByteIntoReadBuffer() throws Exception {
        AcceptingHandle handle = server(EchoHandler.connectionFunction(), null);
        byte[] data = randomBytes(LARGE, 1);

        CompletableFuture<byte[]> back = new CompletableFuture<>();
        CompletableFuture<Integer> written = new CompletableFuture<>();
        collection.connectTcp("localhost", handle.localPort(), ConnectFutures.onSuccess(back, state -> {
            state.writeBuffer(data, 0, data.length, (s, b, n) -> written.complete(n));
            state.readBuffer(new byte[data.length], (s, b, n) -> {
                if (n != data.length) {
                    back.completeExceptionally(new AssertionError("read " + n + " bytes, status "
                            + s.readStatus(), s.readFailure()));
                } else {
                    back.complete(b);
                }
                s.close();
            });
        }), TlsTestOptions.connectClient());

        assertThat(back.get(20, TimeUnit.SECONDS)).isEqualTo(data);
        assertThat(written.get(1, TimeUnit.SECONDS)).isEqualTo(data.length);
    }

    @Test
    void largeWriteIsEchoedByteForByteIntoReadWithChecking() throws Exception {
        AcceptingHandle handle = server(EchoHandler.connectionFunction(), null);
        byte[] data = randomBytes(LARGE, 2);

        CompletableFuture<byte[]> back = new CompletableFuture<>();
        ByteArrayOutputStream collected = new ByteArrayOutputStream();
        collection.connectTcp("localhost", handle.localPort(), ConnectFutures.onSuccess(back, state -> {
            state.writeBuffer(data, null);
            state.readWithChecking((s, buf, end) -> {
                if (end > 0) {
                    collected.write(buf, 0, end);
                    s.discard(end);
                }
                if (collected.size() >= data.length || s.readStatus() != IoStatus.OK) {
                    if (s.readStatus() == IoStatus.OK) {
                        s.finish();
                    }
                    back.complete(collected.toByteArray());
                    s.close();
                }
            });
        }), TlsTestOptions.connectClient());

        assertThat(back.get(20, TimeUnit.SECONDS)).isEqualTo(data);
    }

    @Test
    void serverReadBufferReceivesALargeWriteWhole() throws Exception {
        byte[] data = randomBytes(LARGE, 3);
        CompletableFuture<byte[]> atServer = new CompletableFuture<>();
        AcceptingHandle handle = server((h, st) -> st.readBuffer(new byte[data.length], (s, b, n) -> {
            atServer.complete(java.util.Arrays.copyOf(b, n));
            s.writeBuffer(new byte[] {'o', 'k'}, null);
        }), null);

        CompletableFuture<String> ack = new CompletableFuture<>();
        collection.connectTcp("localhost", handle.localPort(), ConnectFutures.onSuccess(ack, state -> {
            state.writeBuffer(data, null);
            state.readBuffer(new byte[2], (s, b, n) -> ack.complete(new String(b, 0, n, StandardCharsets.US_ASCII)));
        }), TlsTestOptions.connectClient());

        assertThat(ack.get(20, TimeUnit.SECONDS)).isEqualTo("ok");
        assertThat(atServer.get(1, TimeUnit.SECONDS)).isEqualTo(data);
    }

    @Test
    void readTimeoutOnATlsStateReportsTimeout() throws Exception {
        AcceptingHandle handle = server((h, s) -> { }, null);
        CompletableFuture<String> outcome = new CompletableFuture<>();
        collection.connectTcp("localhost", handle.localPort(), ConnectFutures.onSuccess(outcome, state -> {
            state.readBuffer(new byte[10], 0, 10, (s, b, n) -> outcome.complete(s.readStatus() + " " + n),
                    dev.asyncio.core.OperationOptions.timeout(java.time.Duration.ofMillis(200)));
        }), TlsTestOptions.connectClient());

        assertThat(outcome.get(10, TimeUnit.SECONDS)).isEqualTo("TIMEOUT 0");
    }

    static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }
}
