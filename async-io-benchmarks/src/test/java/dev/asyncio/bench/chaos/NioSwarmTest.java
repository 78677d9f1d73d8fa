package dev.asyncio.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The swarm against a loopback server on an ephemeral port that closes each connection once it has read three bytes,
 * as a handshake timeout would: every client connects, trickles its opening, and is counted as closed by the peer.
 */
class NioSwarmTest {

    @Test
    void tricklesItsOpeningAndCountsTheServersCloses() throws Exception {
        int clients = 5;
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    for (int i = 0; i < clients; i++) {
                        Socket s = server.accept();
                        new Thread(() -> closeAfterThreeBytes(s)).start();
                    }
                } catch (IOException e) {
                    // the test fails on its counts
                }
            });
            acceptor.start();
            byte[] opening = "abcdefgh".getBytes();
            NioSwarm swarm = new NioSwarm(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                    server.getLocalPort()), clients, opening, 1, 1, Duration.ofMillis(20), false).start();
            try {
                assertThat(swarm.awaitSettled(Duration.ofSeconds(20))).isTrue();
                assertThat(Waits.until(() -> swarm.closedByPeer() + swarm.resetByPeer() == clients,
                        Duration.ofSeconds(20))).isTrue();
            } finally {
                swarm.close();
            }
            assertThat(swarm.established()).isEqualTo(clients);
            assertThat(swarm.failed()).isZero();
            assertThat(swarm.stillOpen()).isZero();
            assertThat(swarm.bytesSent()).isBetween(3L * clients, (long) opening.length * clients);
            assertThat(swarm.closedAfter().count()).isEqualTo(clients);
            acceptor.join(10_000);
        }
    }

    private static void closeAfterThreeBytes(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            in.readNBytes(3);
        } catch (IOException e) {
            // closed either way
        }
    }
}
