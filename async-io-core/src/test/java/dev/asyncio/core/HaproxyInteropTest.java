package dev.asyncio.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.asyncio.core.testing.HaproxyProcess;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A real HAProxy ({@code send-proxy-v2}, and {@code send-proxy} for v1) in front of an accepting handle with
 * {@link ProxyProtocol#ON}: a client that connects to HAProxy from 127.0.0.2 is seen by the state as 127.0.0.2 (its
 * own port included), while the socket's peer, HAProxy, is 127.0.0.1. Skipped where HAProxy is not installed.
 */
class HaproxyInteropTest extends LoopTestSupport {

    private static final byte[] PING = "ping".getBytes(StandardCharsets.US_ASCII);

    @BeforeAll
    static void haproxyInstalled() {
        assumeTrue(HaproxyProcess.available(), "haproxy is not installed at " + HaproxyProcess.BINARY
                + " (.ci/run installs Debian's haproxy package): the real-HAProxy PROXY protocol test is skipped");
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 1})
    void theHandleSeesTheClientBehindHaproxy(int version) throws Exception {
        CompletableFuture<AsyncIoState> served = new CompletableFuture<>();
        AcceptingHandle h = collection.acceptTcpConnections(0, (handle, state) -> {
            byte[] buf = new byte[PING.length];
            state.readBuffer(buf, 0, buf.length, (s, b, n) -> {
                if (n < PING.length) {
                    return; // the start-up probe's connection, which HAProxy relays too, says nothing
                }
                served.complete(s);
                s.writeBuffer(Arrays.copyOf(b, n), null);
            });
        }, AcceptOptions.builder().address("127.0.0.1").proxyProtocol(ProxyProtocol.ON).build());
        track(h::close);
        HaproxyProcess haproxy = track(HaproxyProcess.start(new InetSocketAddress("127.0.0.1", h.localPort()),
                version));

        Socket client = track(new Socket());
        client.setSoTimeout((int) WAIT.toMillis());
        client.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
        client.connect(haproxy.frontend(), (int) WAIT.toMillis());
        client.getOutputStream().write(PING);
        assertThat(client.getInputStream().readNBytes(PING.length)).as(haproxy::log).isEqualTo(PING);

        AsyncIoState state = served.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(state.peerAddress()).isEqualTo(client.getLocalSocketAddress());
        assertThat(state.peerAddress().getAddress().getHostAddress()).isEqualTo("127.0.0.2");
        assertThat(state.proxyPeerAddress().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(state.proxyPeerAddress()).isEqualTo(state.peerSocketAddress());
        assertThat(state.proxyInfo().version()).isEqualTo(version);
        assertThat(state.proxyInfo().destination()).isEqualTo(haproxy.frontend());
        assertThat(h.proxyStatistics().accepted()).isPositive(); // the client's, and maybe the start-up probe's
        assertThat(h.proxyStatistics().rejected()).isZero();
    }
}
