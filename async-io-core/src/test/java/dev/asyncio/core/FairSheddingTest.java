package dev.asyncio.core;

import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Shedding is decided once for everything that shares a budget: two collections share one, a "small" one with a
 * legitimate echo client and a UDP echo socket, a "greedy" one whose peers make their states buffer hundreds of KiB.
 * At either mark only the greedy holders are acted on; the small ones keep being served.
 */
class FairSheddingTest extends LoopTestSupport {

    private static final int KB = 1024;
    private static final StateOptions KEEPS_INPUT = StateOptions.builder().maxBufferedInput(8 << 20).build();

    private WaitStateCollection in(String suffix, MemoryBudget budget) {
        return track(WaitStateCollection.builder(collectionName + "-" + suffix).memoryBudget(budget).daemon(true)
                .createAndRun());
    }

    /** Echoes every 4 bytes back, re-arming the read; the state holds no more than a few bytes of its own. */
    private static void echo(AsyncIoState state) {
        byte[] buffer = new byte[4];
        state.readBuffer(buffer, 0, buffer.length, (s, b, n) -> {
            if (n > 0 && s.isOpen()) {
                s.writeBuffer(Arrays.copyOf(b, n), 0, n, null);
                echo(s);
            }
        });
    }

    /** Answers every datagram to its sender: the UDP echo of a server, one socket for every client. */
    private static void udpEcho(AsyncIoState state) {
        byte[] buffer = new byte[1500];
        state.receiveMessage(buffer, 0, buffer.length, (MessageCallback) (s, b, n, from) -> {
            if (s.readStatus() == IoStatus.OK && from != null) {
                s.sendMessageToAddress(from, Arrays.copyOf(b, n), 0, n, null, OperationOptions.NONE);
            }
            if (s.isOpen()) {
                udpEcho(s);
            }
        });
    }

    private static String udpRoundTrip(int port, String text) throws Exception {
        try (DatagramSocket client = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            client.setSoTimeout(2_000);
            byte[] out = bytes(text);
            byte[] in = new byte[1500];
            // Datagrams may be lost: a few tries, each bounded by the socket timeout.
            for (int attempt = 0; ; attempt++) {
                client.send(new DatagramPacket(out, out.length, new InetSocketAddress(LOOPBACK, port)));
                DatagramPacket reply = new DatagramPacket(in, in.length);
                try {
                    client.receive(reply);
                    return text(in, 0, reply.getLength());
                } catch (java.net.SocketTimeoutException lost) {
                    if (attempt == 9) {
                        throw lost;
                    }
                }
            }
        }
    }

    /** A state of {@code c} that buffers everything it reads (a read-with-checking that never completes). */
    private Connection greedy(WaitStateCollection c, Runnable onRead) throws Exception {
        Connection conn = connect(c, KEEPS_INPUT, 0);
        conn.state().readWithChecking((s, b, end) -> onRead.run());
        return conn;
    }

    private static void sendQuietly(Connection conn, int bytes) {
        try {
            conn.peer().send(new byte[bytes]);
        } catch (java.io.IOException shed) {
            // The state was shed while this send was still going: the reset ends it.
        }
    }

    @Test
    void anUnconnectedUdpSocketIsNeverAmongWhatTheBudgetMayShedAConnectedOneAndAStreamAre() throws Exception {
        MemoryBudget budget = MemoryBudget.ofBytes("enrolled", 64L << 20);
        WaitStateCollection c = in("enrolled", budget);
        AsyncIoState server = c.openUdp(UdpOptions.builder().localAddress("127.0.0.1").build());
        assertThat(budget.core().enrolled()).as("an unconnected UDP socket serves every peer").isZero();
        AsyncIoState client = c.connectUdp("127.0.0.1", server.localAddress().getPort(), UdpOptions.DEFAULTS);
        assertThat(budget.core().enrolled()).as("a connected UDP socket serves one").isOne();
        Connection tcp = connect(c, StateOptions.DEFAULTS, 0);
        assertThat(budget.core().enrolled()).isEqualTo(2);
        tcp.state().close();
        client.close();
        server.close();
        await().atMost(30, TimeUnit.SECONDS).until(() -> budget.core().enrolled() == 0 && budget.used() == 0);
    }

    @Test
    void overTheHardMarkOnlyTheBigHoldersAreClosedAcrossCollections() throws Exception {
        MemoryBudget budget = MemoryBudget.of("fair-hard", 1024 * KB, 1024 * KB);
        WaitStateCollection small = in("small", budget);
        WaitStateCollection greedy = in("greedy", budget);
        Connection legit = connect(small, StateOptions.DEFAULTS, 0);
        echo(legit.state());
        AsyncIoState udp = small.openUdp(UdpOptions.builder().localAddress("127.0.0.1").build());
        udpEcho(udp);
        int udpPort = udp.localAddress().getPort();

        // The first read that finds the budget over its hard mark holds the greedy loop until the test lets go: its
        // own states cannot free anything meanwhile, so whatever the small collection does, it does over the mark.
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch letGo = new CountDownLatch(1);
        AtomicBoolean held = new AtomicBoolean();
        Runnable holdOverTheMark = () -> {
            if (budget.used() > budget.hardLimit() && held.compareAndSet(false, true)) {
                holding.countDown();
                try {
                    letGo.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        List<Connection> big = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            big.add(greedy(greedy, holdOverTheMark));
        }
        CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> big.forEach(c -> sendQuietly(c, 400 * KB)));
        try {
            assertThat(holding.await(30, TimeUnit.SECONDS)).as("the greedy states pass the hard mark").isTrue();
            onLoop(small, () -> null);
            assertThat(udp.isOpen()).as("the UDP echo socket is never shed").isTrue();
            assertThat(legit.state().isOpen()).as("a small holder is never shed").isTrue();

            // Over the mark (the greedy loop still held), the small collection goes on serving both.
            legit.peer().send("ping");
            assertThat(legit.peer().readString(4)).isEqualTo("ping");
            assertThat(udpRoundTrip(udpPort, "datagram")).isEqualTo("datagram");
        } finally {
            letGo.countDown();
        }

        await().atMost(30, TimeUnit.SECONDS).until(() -> big.stream().anyMatch(c -> !c.state().isOpen()));
        await().atMost(30, TimeUnit.SECONDS).until(() -> budget.used() <= budget.hardLimit());
        Connection shed = big.stream().filter(c -> !c.state().isOpen()).findFirst().orElseThrow();
        assertThat(shed.state().readFailure()).isInstanceOf(MemoryBudgetExceededException.class)
                .hasMessageContaining("memory budget 'fair-hard'");
        assertThat(budget.statistics().shedTotal()).isGreaterThanOrEqualTo(1);
        sending.get(30, TimeUnit.SECONDS);

        assertThat(legit.state().isOpen()).isTrue();
        assertThat(udp.isOpen()).isTrue();
        legit.peer().send("pong");
        assertThat(legit.peer().readString(4)).isEqualTo("pong");
        assertThat(udpRoundTrip(udpPort, "again")).isEqualTo("again");
    }

    @Test
    void overTheSoftMarkOnlyTheBigHoldersArePausedAcrossCollections() throws Exception {
        MemoryBudget budget = MemoryBudget.of("fair-soft", 512 * KB, 64 * 1024 * KB);
        WaitStateCollection small = in("small", budget);
        WaitStateCollection greedy = in("greedy", budget);
        Connection legit = connect(small, StateOptions.DEFAULTS, 0);
        echo(legit.state());
        AsyncIoState udp = small.openUdp(UdpOptions.builder().localAddress("127.0.0.1").build());
        udpEcho(udp);
        int udpPort = udp.localAddress().getPort();

        Connection lesser = greedy(greedy, () -> { });
        Connection biggest = greedy(greedy, () -> { });
        lesser.peer().send(new byte[100 * KB]);
        await().atMost(30, TimeUnit.SECONDS).until(() -> lesser.state().bufferedDataLength() == 100 * KB);
        // Sent from another thread: once paused, what the state has not read may not fit the socket buffers.
        CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
            sendQuietly(biggest, 600 * KB);
            sendQuietly(biggest, 1);
        });
        await().atMost(30, TimeUnit.SECONDS).until(() -> budget.statistics().softCrossings() >= 1);
        onLoop(small, () -> null);
        onLoop(greedy, () -> null);
        assertThat(budget.used()).isGreaterThan(budget.softLimit());

        // The small collection's states are still read: both echoes answer within a bounded wait.
        legit.peer().send("ping");
        assertThat(legit.peer().readString(4)).isEqualTo("ping");
        assertThat(udpRoundTrip(udpPort, "datagram")).isEqualTo("datagram");

        // The biggest holder is paused: what its peer sends after the pause (the rest of its 600 KiB, one more byte)
        // is not read while the budget stays over the mark.
        int before = onLoop(greedy, () -> biggest.state().bufferedDataLength());
        legit.peer().send("pong");
        assertThat(legit.peer().readString(4)).isEqualTo("pong");
        onLoop(greedy, () -> null);
        assertThat(onLoop(greedy, () -> biggest.state().bufferedDataLength())).isEqualTo(before);
        assertThat(legit.state().isOpen()).isTrue();
        assertThat(udp.isOpen()).isTrue();
        assertThat(lesser.state().isOpen()).isTrue();
        biggest.peer().close();
        sending.get(30, TimeUnit.SECONDS);
    }
}
