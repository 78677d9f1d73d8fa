package dev.asyncio.bench.memory;

import dev.asyncio.core.AcceptOptions;
import dev.asyncio.core.AcceptingHandle;
import dev.asyncio.core.AsyncIoState;
import dev.asyncio.core.IoStatus;
import dev.asyncio.core.MemoryBudget;
import dev.asyncio.core.MemoryStatistics;
import dev.asyncio.core.MessageCallback;
import dev.asyncio.core.OperationOptions;
import dev.asyncio.core.StateOptions;
import dev.asyncio.core.UdpOptions;
import dev.asyncio.core.WaitStateCollection;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Process-fair shedding, measured: many greedy clients on one collection make their states buffer input (a
 * read-with-checking that never completes) and reconnect when shed, while one legitimate echo client and a UDP echo
 * live in another collection sharing the same memory budget. Prints the legitimate client's worst and 99th-percentile
 * round trip, whether its connection survived, and how many datagrams the UDP echo answered.
 *
 * <pre>java -cp async-io-core.jar:async-io-benchmarks.jar dev.asyncio.bench.memory.FairShedProbe [greedy] [seconds]
 *     [hardMiB]</pre>
 */
public final class FairShedProbe {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private FairShedProbe() {
    }

    public static void main(String[] args) throws Exception {
        int greedyCount = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        long hard = (args.length > 2 ? Long.parseLong(args[2]) : 32) << 20;
        MemoryBudget budget = MemoryBudget.ofBytes("probe", hard);
        WaitStateCollection greedy = WaitStateCollection.builder("greedy").memoryBudget(budget).daemon(true)
                .createAndRun();
        WaitStateCollection legit = WaitStateCollection.builder("default").memoryBudget(budget).daemon(true)
                .createAndRun();
        AcceptOptions local = AcceptOptions.builder().address("127.0.0.1").build();
        AcceptingHandle hoard = greedy.acceptTcpConnections(0,
                (h, s) -> s.readWithChecking((st, b, end) -> { }), local);
        AcceptingHandle echo = legit.acceptTcpConnections(0, (h, s) -> echo(s), local);
        AsyncIoState udp = legit.openUdp(UdpOptions.builder().localAddress("127.0.0.1").build());
        udpEcho(udp);

        long end = System.nanoTime() + seconds * 1_000_000_000L;
        AtomicLong reconnects = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < greedyCount; i++) {
            Thread t = new Thread(() -> hoard(hoard.localPort(), end, reconnects), "greedy-" + i);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        long[] udpResult = new long[3];
        Thread udpClient = new Thread(() -> udpClient(udp.localAddress().getPort(), end, udpResult), "udp-client");
        udpClient.setDaemon(true);
        udpClient.start();

        List<Long> latencies = new ArrayList<>();
        String closed = null;
        long worstUnanswered = 0;
        try (Socket s = new Socket(LOOPBACK, echo.localPort())) {
            s.setSoTimeout(1_000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            byte[] ping = "ping".getBytes(StandardCharsets.ISO_8859_1);
            byte[] reply = new byte[4];
            outer:
            while (System.nanoTime() < end) {
                long t0 = System.nanoTime();
                out.write(ping);
                int got = 0;
                while (got < 4) {
                    try {
                        int r = in.read(reply, got, 4 - got);
                        if (r < 0) {
                            closed = "EOF after " + (t0 - (end - seconds * 1_000_000_000L)) / 1_000_000 + " ms";
                            break outer;
                        }
                        got += r;
                    } catch (SocketTimeoutException slow) {
                        if (System.nanoTime() >= end) {
                            worstUnanswered = System.nanoTime() - t0;
                            break outer;
                        }
                    }
                }
                latencies.add(System.nanoTime() - t0);
                Thread.sleep(10);
            }
        } catch (IOException e) {
            closed = e.toString();
        }
        udpClient.join(5_000);
        MemoryStatistics stats = budget.statistics();
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        long worst = Math.max(sorted.length == 0 ? 0 : sorted[sorted.length - 1], worstUnanswered);
        long p99 = sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99))];
        System.out.printf("greedy clients %d, %d s, budget hard %d MiB (soft %d MiB)%n", greedyCount, seconds,
                hard >> 20, budget.softLimit() >> 20);
        System.out.printf("legit TCP echo: %d round trips, worst %.1f ms%s, p99 %.1f ms, connection %s%n",
                sorted.length, worst / 1e6, worstUnanswered > 0 ? " (unanswered at the end)" : "", p99 / 1e6,
                closed == null ? "kept" : "CLOSED (" + closed + ")");
        System.out.printf("UDP echo: %d of %d datagrams answered, longest gap between answers %d ms, socket %s%n",
                udpResult[1], udpResult[0], udpResult[2], udp.isOpen() ? "open" : "CLOSED");
        System.out.printf("budget: used %d KiB, soft crossings %d, hard crossings %d, shed %d, greedy reconnects %d%n",
                stats.used() >> 10, stats.softCrossings(), stats.hardCrossings(), stats.shedTotal(), reconnects.get());
        greedy.close();
        legit.close();
    }

    private static void echo(AsyncIoState state) {
        byte[] buffer = new byte[4];
        state.readBuffer(buffer, 0, 4, (s, b, n) -> {
            if (n > 0 && s.isOpen()) {
                s.writeBuffer(Arrays.copyOf(b, n), 0, n, null);
                echo(s);
            }
        });
    }

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

    /** Sends 8 KiB every 20 ms, 2 MiB per connection, reconnecting when shed, until {@code end}. */
    private static void hoard(int port, long end, AtomicLong reconnects) {
        byte[] chunk = new byte[8 * 1024];
        while (System.nanoTime() < end) {
            try (Socket s = new Socket(LOOPBACK, port)) {
                for (int sent = 0; sent < (2 << 20) && System.nanoTime() < end; sent += chunk.length) {
                    s.getOutputStream().write(chunk);
                    Thread.sleep(20);
                }
                while (System.nanoTime() < end) {
                    Thread.sleep(50);
                }
            } catch (IOException shed) {
                reconnects.incrementAndGet();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One datagram every 50 ms; result: sent, answered, longest gap between answers in ms. */
    private static void udpClient(int port, long end, long[] result) {
        try (DatagramSocket c = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            c.setSoTimeout(200);
            byte[] buf = new byte[64];
            long lastAnswer = System.nanoTime();
            while (System.nanoTime() < end) {
                c.send(new DatagramPacket(buf, 8, new InetSocketAddress(LOOPBACK, port)));
                result[0]++;
                try {
                    c.receive(new DatagramPacket(buf, buf.length));
                    long now = System.nanoTime();
                    result[2] = Math.max(result[2], (now - lastAnswer) / 1_000_000);
                    lastAnswer = now;
                    result[1]++;
                } catch (SocketTimeoutException lost) {
                    // Counted as unanswered.
                }
                Thread.sleep(50);
            }
            result[2] = Math.max(result[2], (System.nanoTime() - lastAnswer) / 1_000_000);
        } catch (IOException | InterruptedException e) {
            // Reported through the counts.
        }
    }
}
