package dev.asyncio.sample.udp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.asyncio.core.WaitStateCollection;

/** The UDP echo over real loopback datagrams. */
class UdpEchoServerTest {

    private final WaitStateCollection collection = WaitStateCollection.createAndRun("udp-echo-test");
    private final UdpEchoServer server = new UdpEchoServer();

    @AfterEach
    void stop() {
        server.close();
        collection.close();
    }

    private static String roundTrip(DatagramSocket client, int port, String message) throws Exception {
        byte[] out = message.getBytes(StandardCharsets.UTF_8);
        client.send(new DatagramPacket(out, out.length, InetAddress.getLoopbackAddress(), port));
        DatagramPacket in = new DatagramPacket(new byte[UdpEchoServer.MAX_DATAGRAM], UdpEchoServer.MAX_DATAGRAM);
        client.receive(in);
        return new String(in.getData(), 0, in.getLength(), StandardCharsets.UTF_8);
    }

    @Test
    void echoesEachDatagramToItsSender() throws Exception {
        server.start(collection, "127.0.0.1", 0);
        int port = server.localPort();
        assertThat(port).isPositive();
        try (DatagramSocket a = new DatagramSocket(0, InetAddress.getLoopbackAddress());
                DatagramSocket b = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            a.setSoTimeout(5000);
            b.setSoTimeout(5000);
            assertThat(roundTrip(a, port, "from a")).isEqualTo("from a");
            assertThat(roundTrip(b, port, "from b")).isEqualTo("from b");
            String big = "x".repeat(60_000);
            assertThat(roundTrip(a, port, big)).isEqualTo(big);
        }
        await().atMost(5, TimeUnit.SECONDS).until(() -> server.sent() == 3);
        assertThat(server.received()).isEqualTo(3);
        assertThat(server.dropped()).isZero();
    }

    @Test
    void anEphemeralPortWithoutAddressIsBound() throws Exception {
        server.start(collection, null, 0);
        assertThat(server.localPort()).isPositive();
        try (DatagramSocket a = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            a.setSoTimeout(5000);
            assertThat(roundTrip(a, server.localPort(), "any")).isEqualTo("any");
        }
    }

    @Test
    void closeFreesThePort() throws Exception {
        server.start(collection, "127.0.0.1", 0);
        int port = server.localPort();
        server.close();
        await().atMost(5, TimeUnit.SECONDS).until(() -> !server.isOpen());
        try (DatagramSocket again = new DatagramSocket(port, InetAddress.getLoopbackAddress())) {
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
    }
}
