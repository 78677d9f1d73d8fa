package dev.asyncio.core.udp;

import static dev.asyncio.core.udp.Received.receive;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.asyncio.core.AsyncIoState;
import dev.asyncio.core.IoStatus;
import dev.asyncio.core.MessageTruncatedException;
import dev.asyncio.core.OperationOptions;
import dev.asyncio.core.UdpOptions;
import dev.asyncio.core.testing.CollectionPerTest;
import dev.asyncio.core.testing.Ipv6Loopback;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The rules of UDP states: connected versus unconnected sends, peer filtering of connected states, truncation of
 * oversized datagrams, receive timeouts, ordered queued sends, {@code errorp}, and one receive at a time.
 */
class UdpRulesTest extends CollectionPerTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    UdpRulesTest() {
        super("udp-rules");
    }

    private AsyncIoState boundUnconnected() {
        return collection.openUdp(UdpOptions.builder().localAddress("127.0.0.1").build());
    }

    private static void send(DatagramSocket from, String text, InetSocketAddress to) throws Exception {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        from.send(new DatagramPacket(b, b.length, to));
    }

    // ------------------------------------------------------------------ connected vs unconnected

    @Test
    void sendMessageOnAnUnconnectedStateNamesTheRule() {
        AsyncIoState unconnected = boundUnconnected();
        byte[] b = {1, 2, 3};

        assertThatThrownBy(() -> unconnected.sendMessage(b, 0, b.length, null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("sendMessage needs a connected UDP state")
                .hasMessageContaining("sendMessageToAddress");
    }

    @Test
    void sendMessageToAddressOnAConnectedStateNamesTheRule() {
        AsyncIoState server = boundUnconnected();
        AsyncIoState connected = collection.connectUdp("127.0.0.1", server.localAddress().getPort(),
                UdpOptions.DEFAULTS);
        byte[] b = {1, 2, 3};

        assertThatThrownBy(() -> connected.sendMessageToAddress("127.0.0.1", 9, b, 0, b.length, null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("sendMessageToAddress is for unconnected UDP states")
                .hasMessageContaining("sendMessage");
        assertThatThrownBy(() -> connected.sendMessageToAddress(new InetSocketAddress(LOOPBACK, 9), b, 0, b.length,
                null, OperationOptions.NONE))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("sendMessageToAddress is for unconnected UDP states");
    }

    @Test
    void tcpOperationsOnAUdpStateNameTheUdpOnes() {
        AsyncIoState udp = boundUnconnected();

        assertThatThrownBy(() -> udp.readBuffer(new byte[4], (s, b, n) -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("receiveMessage");
        assertThatThrownBy(() -> udp.writeBuffer(new byte[4], null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("sendMessage");
    }

    @Test
    void connectedStateIgnoresDatagramsFromOtherPeers() throws Exception {
        try (DatagramSocket friend = new DatagramSocket(0, LOOPBACK);
             DatagramSocket stranger = new DatagramSocket(0, LOOPBACK)) {
            AsyncIoState connected = collection.connectUdp("127.0.0.1", friend.getLocalPort(), UdpOptions.DEFAULTS);
            InetSocketAddress target = connected.localAddress();
            assertThat(target.getPort()).isPositive();
            CompletableFuture<Received> got = receive(connected, new byte[100], 0, 100,
                    OperationOptions.timeout(Duration.ofSeconds(5)));

            send(stranger, "stranger", new InetSocketAddress(LOOPBACK, target.getPort()));
            send(friend, "friend", new InetSocketAddress(LOOPBACK, target.getPort()));

            Received r = got.get(5, TimeUnit.SECONDS);
            assertThat(r.status()).isEqualTo(IoStatus.OK);
            assertThat(r.text(0)).isEqualTo("friend");
            assertThat(r.sender().getPort()).isEqualTo(friend.getLocalPort());
        }
    }

    // ------------------------------------------------------------------ oversized datagrams

    @Test
    void oversizedDatagramIsTruncatedToTheRangeAndReportedAsAnError() throws Exception {
        AsyncIoState state = boundUnconnected();
        byte[] buffer = new byte[10];
        Arrays.fill(buffer, (byte) '.');
        CompletableFuture<Received> got = receive(state, buffer, 2, 5, OperationOptions.NONE);

        try (DatagramSocket peer = new DatagramSocket(0, LOOPBACK)) {
            send(peer, "ABCDEFGH", state.localAddress());
            Received r = got.get(5, TimeUnit.SECONDS);

            assertThat(r.count()).as("count = range length").isEqualTo(3);
            assertThat(r.status()).isEqualTo(IoStatus.ERROR);
            assertThat(r.failure()).isInstanceOf(MessageTruncatedException.class);
            MessageTruncatedException t = (MessageTruncatedException) r.failure();
            assertThat(t.datagramLength()).isEqualTo(8);
            assertThat(t.rangeLength()).isEqualTo(3);
            assertThat(t.getMessage()).contains("8").contains("3");
            assertThat(new String(buffer, StandardCharsets.US_ASCII)).isEqualTo("..ABC.....");
            assertThat(r.sender().getPort()).isEqualTo(peer.getLocalPort());

            // The state stays usable: the next datagram that fits is read with status OK.
            CompletableFuture<Received> next = receive(state, new byte[100], 0, 100, OperationOptions.NONE);
            send(peer, "fits", state.localAddress());
            Received n = next.get(5, TimeUnit.SECONDS);
            assertThat(n.status()).isEqualTo(IoStatus.OK);
            assertThat(n.failure()).isNull();
            assertThat(n.text(0)).isEqualTo("fits");
        }
    }

    @Test
    void truncationGoesToTheErrorCallbackWhenOneIsGiven() throws Exception {
        AsyncIoState state = boundUnconnected();
        CompletableFuture<Received> normal = new CompletableFuture<>();
        CompletableFuture<Received> errors = new CompletableFuture<>();
        state.receiveMessage(new byte[4], 0, 4, (s, b, n) ->
                normal.complete(new Received(b, n, null, s.readStatus(), s.readFailure())),
                OperationOptions.errorCallback((s, b, n) ->
                        errors.complete(new Received(b, n, null, s.readStatus(), s.readFailure()))));

        try (DatagramSocket peer = new DatagramSocket(0, LOOPBACK)) {
            send(peer, "0123456789", state.localAddress());
            Received r = errors.get(5, TimeUnit.SECONDS);

            assertThat(r.count()).isEqualTo(4);
            assertThat(r.text(0)).isEqualTo("0123");
            assertThat(r.status()).isEqualTo(IoStatus.ERROR);
            assertThat(r.failure()).isInstanceOfSatisfying(MessageTruncatedException.class,
                    t -> assertThat(t.datagramLength()).isEqualTo(10));
        }
        assertThat(normal).as("the normal callback is not called for an error").isNotDone();
    }

    // ------------------------------------------------------------------ timeouts, abort, one receive at a time

    @Test
    void receiveTimesOutWithStatusTimeout() throws Exception {
        AsyncIoState state = boundUnconnected();
        CompletableFuture<Received> got = receive(state, new byte[10], 0, 10,
                OperationOptions.timeout(Duration.ofMillis(200)));

        Received r = got.get(5, TimeUnit.SECONDS);

        assertThat(r.status()).isEqualTo(IoStatus.TIMEOUT);
        assertThat(r.count()).isZero();
        assertThat(r.sender()).isNull();
        assertThat(state.readTimeout()).as("the timeout is sticky").isEqualTo(Duration.ofMillis(200));
        assertThat(state.isOpen()).isTrue();

        Received again = receive(state, new byte[10], 0, 10, OperationOptions.NONE).get(5, TimeUnit.SECONDS);
        assertThat(again.status()).as("a later receive keeps the sticky timeout").isEqualTo(IoStatus.TIMEOUT);
    }

    @Test
    void secondReceiveWhileOneIsActiveIsRefused() {
        AsyncIoState state = boundUnconnected();
        state.receiveMessage(new byte[10], 0, 10, (s, b, n) -> { });

        assertThatThrownBy(() -> state.receiveMessage(new byte[10], 0, 10, (s, b, n) -> { }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("receiveMessage");
    }

    @Test
    void abortEndsAnActiveReceiveAndANewOneGetsTheNextDatagram() throws Exception {
        AsyncIoState state = boundUnconnected();
        CompletableFuture<Received> first = receive(state, new byte[10], 0, 10, OperationOptions.NONE);
        CountDownLatch aborted = new CountDownLatch(1);

        state.abort((s, b, n) -> aborted.countDown());

        assertThat(aborted.await(5, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Received> second = receive(state, new byte[10], 0, 10, OperationOptions.NONE);
        try (DatagramSocket peer = new DatagramSocket(0, LOOPBACK)) {
            send(peer, "after", state.localAddress());
            assertThat(second.get(5, TimeUnit.SECONDS).text(0)).isEqualTo("after");
        }
        assertThat(first).as("an aborted receive never calls its callback").isNotDone();
    }

    // ------------------------------------------------------------------ queued sends

    @Test
    void queuedSendsGoOutInOrder() throws Exception {
        int count = 50;
        try (DatagramSocket sink = new DatagramSocket(0, LOOPBACK)) {
            sink.setSoTimeout(5000);
            sink.setReceiveBufferSize(1 << 20);
            AsyncIoState client = collection.connectUdp("127.0.0.1", sink.getLocalPort(), UdpOptions.DEFAULTS);
            assertThat(client.queueOutput()).as("UDP states queue output by default").isTrue();
            List<Integer> callbacks = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch allSent = new CountDownLatch(count);

            for (int i = 0; i < count; i++) {
                byte[] b = ("datagram " + i).getBytes(StandardCharsets.UTF_8);
                int id = i;
                client.sendMessage(b, 0, b.length, s -> {
                    callbacks.add(id);
                    allSent.countDown();
                });
            }

            List<String> received = new ArrayList<>();
            byte[] in = new byte[100];
            for (int i = 0; i < count; i++) {
                DatagramPacket p = new DatagramPacket(in, in.length);
                sink.receive(p);
                received.add(new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8));
            }
            assertThat(allSent.await(5, TimeUnit.SECONDS)).isTrue();
            List<String> expected = new ArrayList<>();
            List<Integer> expectedIds = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                expected.add("datagram " + i);
                expectedIds.add(i);
            }
            assertThat(received).isEqualTo(expected);
            assertThat(callbacks).isEqualTo(expectedIds);
            assertThat(client.writeStatus()).isEqualTo(IoStatus.OK);
        }
    }

    @Test
    void withoutQueueOutputASecondSendWhileOneIsPendingIsRefused() throws Exception {
        java.nio.channels.DatagramChannel channel = java.nio.channels.DatagramChannel.open();
        channel.bind(new InetSocketAddress(LOOPBACK, 0));
        AsyncIoState state = collection.createState(channel, dev.asyncio.core.StateOptions.DEFAULTS);
        assertThat(state.queueOutput()).as("createState keeps LispWorks' queue-output nil").isFalse();
        CompletableFuture<Throwable> second = new CompletableFuture<>();

        try (DatagramSocket sink = new DatagramSocket(0, LOOPBACK)) {
            // Both sends in one loop task: the first is still pending when the second is asked for.
            collection.apply(() -> {
                state.sendMessageToAddress("127.0.0.1", sink.getLocalPort(), new byte[] {1}, 0, 1, null);
                try {
                    state.sendMessageToAddress("127.0.0.1", sink.getLocalPort(), new byte[] {2}, 0, 1, null);
                    second.complete(null);
                } catch (RuntimeException e) {
                    second.complete(e);
                }
            });

            assertThat(second.get(5, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("queueOutput is off");
            sink.setSoTimeout(5000);
            DatagramPacket p = new DatagramPacket(new byte[10], 10);
            sink.receive(p);
            assertThat(p.getData()[0]).as("the first send still went out").isEqualTo((byte) 1);
        }
    }

    @Test
    void ipv6OnlyStateDoesNotHearIpv4Peers() throws Exception {
        Ipv6Loopback.assumeForUdp();
        AsyncIoState v6only = collection.openUdp(UdpOptions.builder().localAddress("::")
                .ipFamily(dev.asyncio.core.IpFamily.IPV6).build());
        int port = v6only.localAddress().getPort();
        CompletableFuture<Received> got = receive(v6only, new byte[100], 0, 100,
                OperationOptions.timeout(Duration.ofSeconds(5)));

        // IpFamily.IPV6 is LispWorks :ipv6 t, "IPv6 only"; IpFamily.BOTH is the dual-stack one.
        try (DatagramSocket v4 = new DatagramSocket(0, LOOPBACK);
             java.net.DatagramSocket v6 = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("::1"), 0))) {
            send(v4, "from v4", new InetSocketAddress(LOOPBACK, port));
            send(v6, "from v6", new InetSocketAddress(InetAddress.getByName("::1"), port));

            Received r = got.get(10, TimeUnit.SECONDS);
            assertThat(r.text(0)).isEqualTo("from v6");
        }
    }

    @Test
    void gracefulCloseSendsEveryQueuedDatagramFirst() throws Exception {
        int count = 20;
        try (DatagramSocket sink = new DatagramSocket(0, LOOPBACK)) {
            sink.setSoTimeout(5000);
            AsyncIoState client = collection.connectUdp("127.0.0.1", sink.getLocalPort(), UdpOptions.DEFAULTS);
            for (int i = 0; i < count; i++) {
                byte[] b = {(byte) i};
                client.sendMessage(b, 0, 1, null);
            }
            CountDownLatch closed = new CountDownLatch(1);
            client.closeGracefully(Duration.ofSeconds(5), s -> closed.countDown());

            for (int i = 0; i < count; i++) {
                DatagramPacket p = new DatagramPacket(new byte[10], 10);
                sink.receive(p);
                assertThat(p.getData()[0]).isEqualTo((byte) i);
            }
            assertThat(closed.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(client.isOpen()).isFalse();
        }
    }

    @Test
    void datagramLargerThanUdpAllowsIsRefused() {
        AsyncIoState state = boundUnconnected();
        byte[] huge = new byte[65_508];

        assertThatThrownBy(() -> state.sendMessageToAddress("127.0.0.1", 9, huge, 0, huge.length, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("65507");
    }

    // ------------------------------------------------------------------ failures

    @Test
    void aSendToAnAddressOfTheWrongFamilyFailsThatSendOnly() throws Exception {
        AsyncIoState v4 = collection.openUdp(UdpOptions.builder().localAddress("127.0.0.1")
                .ipFamily(dev.asyncio.core.IpFamily.IPV4).build());
        CompletableFuture<String> outcome = new CompletableFuture<>();
        byte[] b = "x".getBytes(StandardCharsets.US_ASCII);

        // An IPv4 socket cannot send to an IPv6 address. Either the call says so at once (a wrong call), or that
        // send fails with write status ERROR; the state and the loop live on either way.
        try {
            v4.sendMessageToAddress(new InetSocketAddress(InetAddress.getByName("::1"), 9), b, 0, 1,
                    s -> outcome.complete("callback " + s.writeStatus()),
                    OperationOptions.errorCallback((s, buf, n) -> outcome.complete("error callback "
                            + s.writeStatus() + " " + n)));
            String o;
            try {
                o = outcome.get(5, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                o = "no callback within 5 s; state open: " + v4.isOpen() + ", loop alive: " + collection.isAlive();
            }
            assertThat(o).isEqualTo("error callback ERROR 0");
            assertThat(v4.writeFailure()).isNotNull();
        } catch (IllegalArgumentException synchronous) {
            assertThat(synchronous).hasMessageContaining("::1");
        }
        assertThat(collection.isAlive()).as("the loop thread survives a bad datagram target").isTrue();

        try (DatagramSocket peer = new DatagramSocket(0, LOOPBACK)) {
            peer.setSoTimeout(5000);
            CompletableFuture<IoStatus> sent = new CompletableFuture<>();
            v4.sendMessageToAddress("127.0.0.1", peer.getLocalPort(), b, 0, 1, s -> sent.complete(s.writeStatus()));
            DatagramPacket p = new DatagramPacket(new byte[10], 10);
            peer.receive(p);
            assertThat(p.getLength()).isEqualTo(1);
            assertThat(sent.get(5, TimeUnit.SECONDS)).isEqualTo(IoStatus.OK);
        }
    }

    @Test
    void connectedStateHearsThatItsPeerIsUnreachable() throws Exception {
        int closedPort;
        try (DatagramSocket probe = new DatagramSocket(0, LOOPBACK)) {
            closedPort = probe.getLocalPort();
        }
        AsyncIoState connected = collection.connectUdp("127.0.0.1", closedPort, UdpOptions.DEFAULTS);
        CompletableFuture<Received> got = receive(connected, new byte[10], 0, 10,
                OperationOptions.timeout(Duration.ofSeconds(5)));

        connected.sendMessage(new byte[] {1}, 0, 1, null);

        // The ICMP port unreachable answer fails the pending receive (ECONNREFUSED on a connected socket).
        Received r = got.get(10, TimeUnit.SECONDS);
        assertThat(r.status()).isEqualTo(IoStatus.ERROR);
        assertThat(r.failure()).isInstanceOf(java.net.PortUnreachableException.class);
        assertThat(r.count()).isZero();
    }

    @Test
    void receiveOnAClosedStateIsRefused() {
        AsyncIoState state = boundUnconnected();
        state.close();

        assertThatThrownBy(() -> state.receiveMessage(new byte[10], 0, 10, (s, b, n) -> { }))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> state.sendMessageToAddress("127.0.0.1", 9, new byte[1], 0, 1, null))
                .isInstanceOf(IllegalStateException.class);
    }

    // ------------------------------------------------------------------ errorp

    @Test
    void aHostOfTheWrongFamilyIsRefusedOrNullWithoutErrorp() {
        UdpOptions.Builder v4 = UdpOptions.builder().ipFamily(dev.asyncio.core.IpFamily.IPV4);

        assertThatThrownBy(() -> collection.connectUdp("::1", 9, v4.build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("::1");
        assertThat(collection.connectUdp("::1", 9, v4.errorp(false).build())).isNull();
    }

    @Test
    void errorpOffReturnsNullWhenThePortIsTaken() throws Exception {
        try (DatagramSocket taken = new DatagramSocket(0, LOOPBACK)) {
            UdpOptions.Builder b = UdpOptions.builder().localAddress("127.0.0.1").localPort(taken.getLocalPort());

            assertThat(collection.openUdp(b.errorp(false).build())).isNull();
            assertThat(collection.connectUdp("127.0.0.1", 9, b.errorp(false).build())).isNull();
            assertThatThrownBy(() -> collection.openUdp(b.errorp(true).build()))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("UDP socket");
        }
    }
}
