package dev.asyncio.sample.udp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

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

    /**
     * IPv6 carries up to 65,527 bytes in a datagram, 20 more than IPv4. The largest one is received whole; the core
     * sends at most 65,507, so it is counted as oversized instead of vanishing, and the echo goes on.
     */
    @Test
    void theLargestIpv6DatagramIsReceivedAndCountedAndTheEchoGoesOn() throws Exception {
        InetAddress ipv6Loopback = InetAddress.getByName("::1");
        assumeTrue(hasIpv6Loopback(ipv6Loopback), "skipped: this machine has no IPv6 loopback (::1) to bind");
        server.start(collection, "::1", 0);
        int port = server.localPort();
        try (DatagramSocket client = new DatagramSocket(new InetSocketAddress(ipv6Loopback, 0))) {
            client.setSoTimeout(5000);
            byte[] largest = new byte[UdpEchoServer.MAX_DATAGRAM];
            client.send(new DatagramPacket(largest, largest.length, ipv6Loopback, port));
            await().atMost(5, TimeUnit.SECONDS).until(() -> server.oversized() == 1);
            assertThat(server.received()).as("received whole, not dropped by the kernel or the buffer").isEqualTo(1);
            assertThat(server.truncated()).isZero();

            byte[] echoable = new byte[UdpEchoServer.MAX_ECHO];
            echoable[echoable.length - 1] = 42;
            client.send(new DatagramPacket(echoable, echoable.length, ipv6Loopback, port));
            DatagramPacket in = new DatagramPacket(new byte[UdpEchoServer.MAX_DATAGRAM], UdpEchoServer.MAX_DATAGRAM);
            client.receive(in);
            assertThat(in.getLength()).isEqualTo(UdpEchoServer.MAX_ECHO);
            assertThat(in.getData()[in.getLength() - 1]).isEqualTo((byte) 42);
        }
        await().atMost(5, TimeUnit.SECONDS).until(() -> server.sent() == 1);
        assertThat(server.received()).isEqualTo(2);
        assertThat(server.oversized()).isEqualTo(1);
    }

    private static boolean hasIpv6Loopback(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return false;
        }
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(address, 0))) {
            return true;
        } catch (SocketException unavailable) {
            return false;
        }
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

    /**
     * One source that floods gets at most its bucket's worth of answers: the burst plus the rate for the time the
     * flood took. Before the rate limit, every one of the 10,000 datagrams was answered.
     */
    @Test
    void aFloodFromOneSourceIsRateLimited() throws Exception {
        UdpEchoServer limited = new UdpEchoServer(new UdpEchoLimits(false, 10, 50, 100));
        try {
            limited.start(collection, "127.0.0.1", 0);
            int port = limited.localPort();
            long started = System.nanoTime();
            int datagrams = 10_000;
            try (DatagramSocket flooder = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                flooder.setReceiveBufferSize(4 * 1024 * 1024);
                byte[] out = "flood".getBytes(StandardCharsets.UTF_8);
                for (int i = 0; i < datagrams; i++) {
                    flooder.send(new DatagramPacket(out, out.length, InetAddress.getLoopbackAddress(), port));
                }
                // The kernel may drop some of the flood before the echo sees it; wait until the echo has seen all
                // it will (no more arriving between two polls, each one answered or refused).
                AtomicLong lastSeen = new AtomicLong(-1);
                await().atMost(30, TimeUnit.SECONDS).pollInterval(300, TimeUnit.MILLISECONDS).until(() -> {
                    long seen = limited.received();
                    boolean settled = seen > 0 && seen == lastSeen.getAndSet(seen)
                            && seen == limited.sent() + limited.refused(SourceVerdict.RATE_LIMITED);
                    return settled;
                });
                double seconds = (System.nanoTime() - started) / 1e9;
                long bucket = 50 + (long) Math.ceil(10 * seconds);
                assertThat(limited.sent()).as("answers to one source within %.1f s", seconds).isBetween(1L, bucket);
                assertThat(limited.refused(SourceVerdict.RATE_LIMITED)).isEqualTo(limited.received() - limited.sent());
                assertThat(limited.refused(SourceVerdict.RATE_LIMITED)).isPositive();
            }
        } finally {
            limited.close();
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
