package dev.asyncio.core.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.asyncio.core.AcceptOptions;
import dev.asyncio.core.AcceptingHandle;
import dev.asyncio.core.FrameReader;
import dev.asyncio.core.FrameWriter;
import dev.asyncio.core.TlsOptions;
import dev.asyncio.core.WaitStateCollection;
import dev.asyncio.core.testing.TlsFixtures;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS (SNI and host name verification from the address) and Unix domain socket addresses. */
class ClientTransportTest extends ClientTestSupport {

    private AcceptingHandle lineEcho(WaitStateCollection on, SSLContext serverContext) {
        FrameWriter writer = new FrameWriter(LineServer.FRAMING);
        return on.acceptTcpConnections(0, (h, s) -> FrameReader.startCopying(s, LineServer.FRAMING,
                        (st, frame, n) -> writer.write(st, frame, null), (st, status, failure) -> st.close()),
                AcceptOptions.builder().address("127.0.0.1").queueOutput(true)
                        .tls(TlsOptions.builder().context(serverContext).build()).build());
    }

    @Test
    void talksTlsVerifyingTheHostNameOfTheAddress() throws Exception {
        WaitStateCollection serverLoop = WaitStateCollection.createAndRun("tls-server");
        try {
            AcceptingHandle good = lineEcho(serverLoop, TlsFixtures.server());
            TlsOptions trusting = TlsOptions.builder().context(TlsFixtures.trustingClient()).build();
            AsyncIoClient c = client("tls", lines("localhost:" + good.localPort()).tls(trusting).build()).start();
            await().until(() -> c.state() == ClientState.CONNECTED);
            assertThat(ask(c, "secret")).isEqualTo("secret");

            // A certificate for another name: the connect fails on host name verification, and the client retries.
            AcceptingHandle wrong = lineEcho(serverLoop, TlsFixtures.wrongNameServer());
            AsyncIoClient w = client("tls-wrong", lines("localhost:" + wrong.localPort()).tls(trusting).build())
                    .start();
            await().until(() -> w.statistics().connectFailures() >= 1);
            assertThat(w.state()).isIn(ClientState.RECONNECTING, ClientState.CONNECTING);
            assertThat(w.statistics().lastError()).isNotNull();
            assertThat(failure(w.request(bytes("x"))).kind()).isEqualTo(ClientException.Kind.NOT_CONNECTED);
        } finally {
            serverLoop.close();
        }
    }

    @Test
    void connectsToAUnixDomainSocketPath(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("lines.sock");
        FrameWriter writer = new FrameWriter(LineServer.FRAMING);
        WaitStateCollection serverLoop = WaitStateCollection.createAndRun("unix-server");
        try {
            serverLoop.acceptUnixConnections(socket, (h, s) -> FrameReader.startCopying(s, LineServer.FRAMING,
                    (st, frame, n) -> writer.write(st, frame, null), (st, status, failure) -> st.close()),
                    AcceptOptions.builder().queueOutput(true).build());
            assertThat(Files.exists(socket)).isTrue();
            AsyncIoClient c = client("unix", lines("unix:" + socket).build()).start();
            await().until(() -> c.state() == ClientState.CONNECTED);
            assertThat(text(c.request(bytes("over a path")).get(10, TimeUnit.SECONDS))).isEqualTo("over a path");
            assertThat(c.statistics().currentAddress()).isEqualTo("unix:" + socket);
        } finally {
            serverLoop.close();
        }
    }
}
