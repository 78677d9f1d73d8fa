package dev.asyncio.core.udp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncio.core.AsyncIoState;
import dev.asyncio.core.IoStatus;
import dev.asyncio.core.IpFamily;
import dev.asyncio.core.OperationOptions;
import dev.asyncio.core.UdpOptions;
import dev.asyncio.core.testing.CollectionPerTest;
import dev.asyncio.core.testing.Ipv6Loopback;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** UDP round trips between async states: IPv4, IPv6, dual stack, connected and unconnected clients, host names. */
class UdpEchoTest extends CollectionPerTest {

    UdpEchoTest() {
        super("udp-echo");
    }

    @Test
    void connectedClientEchoesOverIpv4() throws Exception {
        AsyncIoState server = UdpEchoServer.start(collection.openUdp(
                UdpOptions.builder().localAddress("127.0.0.1").ipFamily(IpFamily.IPV4).build()));
        int port = server.localAddress().getPort();
        assertThat(server.localAddress().getAddress()).isInstanceOf(Inet4Address.class);

        AsyncIoState client = collection.connectUdp("127.0.0.1", port, UdpOptions.DEFAULTS);
        assertThat(client.peerAddress()).isEqualTo(new InetSocketAddress("127.0.0.1", port));

        assertThat(roundTripConnected(client, "ping v4")).isEqualTo("ping v4");
    }

    @Test
    void unconnectedClientGetsTheSenderAddressOverIpv4() throws Exception {
        AsyncIoState server = UdpEchoServer.start(collection.openUdp(
                UdpOptions.builder().localAddress("127.0.0.1").build()));
        int port = server.localAddress().getPort();
        AsyncIoState client = collection.openUdp(UdpOptions.builder().localAddress("127.0.0.1").build());

        Received reply = roundTripUnconnected(client, "127.0.0.1", port, "hello v4");

        assertThat(reply.text(0)).isEqualTo("hello v4");
        assertThat(reply.status()).isEqualTo(IoStatus.OK);
        assertThat(reply.sender()).isEqualTo(new InetSocketAddress("127.0.0.1", port));
    }

    @Test
    void echoesOverIpv6Loopback() throws Exception {
        Ipv6Loopback.assumeForUdp();
        AsyncIoState server = UdpEchoServer.start(collection.openUdp(
                UdpOptions.builder().localAddress("::1").ipFamily(IpFamily.IPV6).build()));
        int port = server.localAddress().getPort();
        assertThat(server.localAddress().getAddress()).isInstanceOf(Inet6Address.class);

        AsyncIoState connected = collection.connectUdp("::1", port,
                UdpOptions.builder().ipFamily(IpFamily.IPV6).build());
        assertThat(roundTripConnected(connected, "ping v6")).isEqualTo("ping v6");

        AsyncIoState unconnected = collection.openUdp(
                UdpOptions.builder().localAddress("::1").ipFamily(IpFamily.IPV6).build());
        Received reply = roundTripUnconnected(unconnected, "::1", port, "hello v6");
        assertThat(reply.text(0)).isEqualTo("hello v6");
        assertThat(reply.sender().getAddress()).isEqualTo(InetAddress.getByName("::1"));
        assertThat(reply.sender().getPort()).isEqualTo(port);
    }

    @Test
    void dualStackServerAnswersAnIpv4Client() throws Exception {
        Ipv6Loopback.assumeForUdp();
        AsyncIoState server = UdpEchoServer.start(collection.openUdp(
                UdpOptions.builder().localAddress("::").ipFamily(IpFamily.BOTH).build()));
        int port = server.localAddress().getPort();

        AsyncIoState v4client = collection.connectUdp("127.0.0.1", port,
                UdpOptions.builder().ipFamily(IpFamily.IPV4).build());
        assertThat(roundTripConnected(v4client, "from v4")).isEqualTo("from v4");

        AsyncIoState v6client = collection.connectUdp("::1", port,
                UdpOptions.builder().ipFamily(IpFamily.IPV6).build());
        assertThat(roundTripConnected(v6client, "from v6")).isEqualTo("from v6");
    }

    @Test
    void sendsToAHostName() throws Exception {
        AsyncIoState server = UdpEchoServer.start(collection.openUdp(
                UdpOptions.builder().localAddress("127.0.0.1").build()));
        int port = server.localAddress().getPort();
        AsyncIoState client = collection.openUdp(UdpOptions.builder().localAddress("127.0.0.1").build());

        Received fromCaller = roundTripUnconnected(client, "localhost", port, "by name");
        assertThat(fromCaller.text(0)).isEqualTo("by name");

        // On the loop thread the name is looked up off the loop; the send still happens.
        CompletableFuture<Received> fromLoop = Received.receive(client, new byte[100], 0, 100, OperationOptions.NONE);
        collection.apply(() -> {
            byte[] out = "by name on loop".getBytes(StandardCharsets.UTF_8);
            client.sendMessageToAddress("localhost", port, out, 0, out.length, null);
        });
        assertThat(fromLoop.get(5, TimeUnit.SECONDS).text(0)).isEqualTo("by name on loop");
    }

    @Test
    void hostNamesAreResolvedInTheFamilyOfAnIpv6Socket() throws Exception {
        Ipv6Loopback.assumeForUdp();
        AsyncIoState server = UdpEchoServer.start(collection.openUdp(
                UdpOptions.builder().localAddress("::1").ipFamily(IpFamily.IPV6).build()));
        int port = server.localAddress().getPort();
        AsyncIoState client = collection.openUdp(
                UdpOptions.builder().localAddress("::1").ipFamily(IpFamily.IPV6).build());
        boolean localhostHasIpv6 = java.util.Arrays.stream(InetAddress.getAllByName("localhost"))
                .anyMatch(a -> a instanceof Inet6Address);
        byte[] out = "v6 by name".getBytes(StandardCharsets.UTF_8);

        if (localhostHasIpv6) {
            // The IPv6 address of the name is the one to use, whatever order the resolver lists them in.
            assertThat(roundTripUnconnected(client, "localhost", port, "v6 by name").text(0)).isEqualTo("v6 by name");
        } else {
            // LispWorks: "the socket family decides IPv6 vs IPv4 lookup": a name with only an IPv4 address
            // cannot be resolved for an IPv6 socket.
            org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                            client.sendMessageToAddress("localhost", port, out, 0, out.length, null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("localhost");
        }
    }

    @Test
    void connectedClientByHostNameAndServiceString() throws Exception {
        AsyncIoState server = UdpEchoServer.start(collection.openUdp(
                UdpOptions.builder().localAddress("127.0.0.1").build()));
        int port = server.localAddress().getPort();

        AsyncIoState client = collection.connectUdp("localhost", String.valueOf(port), UdpOptions.DEFAULTS);

        assertThat(roundTripConnected(client, "named")).isEqualTo("named");
    }

    @Test
    void stateOverAnExistingChannelEchoes() throws Exception {
        AsyncIoState server = UdpEchoServer.start(collection.openUdp(
                UdpOptions.builder().localAddress("127.0.0.1").build()));
        int port = server.localAddress().getPort();

        DatagramChannel connectedChannel = DatagramChannel.open(StandardProtocolFamily.INET);
        connectedChannel.connect(new InetSocketAddress("127.0.0.1", port));
        AsyncIoState connected = collection.createState(connectedChannel,
                dev.asyncio.core.StateOptions.builder().queueOutput(true).build());
        assertThat(connected.isUdp()).isTrue();
        assertThat(roundTripConnected(connected, "wrapped connected")).isEqualTo("wrapped connected");

        DatagramChannel unconnectedChannel = DatagramChannel.open(StandardProtocolFamily.INET);
        unconnectedChannel.bind(new InetSocketAddress("127.0.0.1", 0));
        AsyncIoState unconnected = collection.createState(unconnectedChannel,
                dev.asyncio.core.StateOptions.DEFAULTS);
        assertThat(roundTripUnconnected(unconnected, "127.0.0.1", port, "wrapped").text(0)).isEqualTo("wrapped");
    }

    private static String roundTripConnected(AsyncIoState client, String text) throws Exception {
        CompletableFuture<String> got = new CompletableFuture<>();
        CompletableFuture<IoStatus> sent = new CompletableFuture<>();
        byte[] in = new byte[100];
        client.receiveMessage(in, 0, in.length, (s, b, n) -> {
            if (s.readStatus() != IoStatus.OK) {
                got.completeExceptionally(new AssertionError("read status " + s.readStatus(), s.readFailure()));
            } else {
                got.complete(new String(b, 0, n, StandardCharsets.UTF_8));
            }
        }, OperationOptions.timeout(java.time.Duration.ofSeconds(5)));
        byte[] out = text.getBytes(StandardCharsets.UTF_8);
        client.sendMessage(out, 0, out.length, s -> sent.complete(s.writeStatus()));
        assertThat(sent.get(5, TimeUnit.SECONDS)).isEqualTo(IoStatus.OK);
        return got.get(5, TimeUnit.SECONDS);
    }

    private static Received roundTripUnconnected(AsyncIoState client, String host, int port, String text)
            throws Exception {
        CompletableFuture<Received> got = Received.receive(client, new byte[100], 0, 100,
                OperationOptions.timeout(java.time.Duration.ofSeconds(5)));
        byte[] out = text.getBytes(StandardCharsets.UTF_8);
        client.sendMessageToAddress(host, port, out, 0, out.length, null);
        Received reply = got.get(5, TimeUnit.SECONDS);
        assertThat(reply.status()).as("read status of the reply").isEqualTo(IoStatus.OK);
        return reply;
    }
}
