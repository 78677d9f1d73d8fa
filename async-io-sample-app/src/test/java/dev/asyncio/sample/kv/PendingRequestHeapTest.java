package dev.asyncio.sample.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.asyncio.core.AcceptOptions;
import dev.asyncio.core.AcceptingHandle;
import dev.asyncio.core.AsyncIoState;
import dev.asyncio.core.WaitStateCollection;
import dev.asyncio.sample.kv.resp.RespLimits;
import dev.asyncio.sample.testing.RespClient;

/**
 * Measures the heap that unfinished requests really retain and compares it with what {@link PendingRequestBudget}
 * charges. Many clients each leave one unfinished request of a given shape; the used heap after a full GC, minus
 * the used heap with the same clients connected and idle, is the real cost. The charge must be within 20 % of it.
 * The figures are printed ({@code pending-request heap}) for docs/sample-app.md.
 */
class PendingRequestHeapTest {

    /** Shapes of unfinished requests: the head sent, then how many bytes of what follows. */
    enum Shape {
        /** SET with a 1 MiB value of which 600 KB arrived: the bytes wait in the state's input buffer. */
        PARTIAL_LARGE_VALUE(30, head("SET", "k") + "$1048576\r\n", 600_000),
        /** A 1 MiB value whose last CRLF is missing: the whole value waits in the input buffer. */
        ALMOST_COMPLETE_VALUE(30, head("SET", "k") + "$1048576\r\n", 1_048_576),
        /** MSET with four parsed 128 KiB arguments and a fifth half there: parsed arguments plus buffered bytes. */
        PARSED_ARGUMENTS(40, mset(4, 131_072) + "$131072\r\n", 65_536),
        /** Many small unfinished requests: a short value cut in the middle. */
        SMALL(400, head("SET", "k") + "$100\r\n", 50);

        final int clients;
        final byte[] head;
        final int body;

        Shape(int clients, String head, int body) {
            this.clients = clients;
            this.head = head.getBytes(StandardCharsets.ISO_8859_1);
            this.body = body;
        }

        private static String head(String command, String key) {
            return "*3\r\n$" + command.length() + "\r\n" + command + "\r\n$" + key.length() + "\r\n" + key + "\r\n";
        }

        private static String mset(int pairs, int valueLength) {
            StringBuilder b = new StringBuilder("*" + (1 + 2 * (pairs + 1)) + "\r\n$4\r\nMSET\r\n");
            String value = "v".repeat(valueLength);
            for (int i = 0; i < pairs; i++) {
                b.append("$2\r\nk").append(i).append("\r\n$").append(valueLength).append("\r\n").append(value)
                        .append("\r\n");
            }
            b.append("$2\r\nkx\r\n");
            return b.toString();
        }
    }

    private WaitStateCollection collection;
    private KvConnectionFunction kv;
    private final List<Socket> clients = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (Socket s : clients) {
            s.close();
        }
        if (kv != null) {
            kv.close();
        }
        if (collection != null) {
            collection.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Shape.class)
    void theBudgetChargesWhatTheHeapRetains(Shape shape) throws Exception {
        collection = WaitStateCollection.createAndRun("kv-heap");
        kv = new KvConnectionFunction(new KvSettings(RespLimits.DEFAULTS, 4L * 1024 * 1024, 64L * 1024 * 1024,
                Duration.ofMillis(100), 1000, Duration.ofSeconds(5), 1L << 40));
        AcceptingHandle handle = collection.acceptTcpConnections(0, kv, AcceptOptions.builder()
                .address("127.0.0.1").handleName("kv").queueOutput(true).build());
        byte[] body = new byte[shape.body];
        java.util.Arrays.fill(body, (byte) 'x');
        byte[] ping = RespClient.encode("PING");
        for (int i = 0; i < shape.clients; i++) {
            Socket s = new Socket();
            s.connect(new InetSocketAddress("127.0.0.1", handle.localPort()), 5000);
            s.setSoTimeout(10_000);
            clients.add(s);
            s.getOutputStream().write(ping);
            s.getInputStream().readNBytes(7);
        }
        long idle = usedHeapAfterGc();
        long before = kv.pendingRequests().total();
        for (Socket s : clients) {
            s.getOutputStream().write(shape.head);
            s.getOutputStream().write(body);
        }
        long expected = (long) shape.clients * (ping.length + shape.head.length + body.length);
        await().atMost(30, TimeUnit.SECONDS).until(() -> bytesRead(handle) >= expected);
        loopBarrier();
        long pending = usedHeapAfterGc() - idle;
        long charged = kv.pendingRequests().total() - before;
        double ratio = (double) charged / pending;
        System.out.printf("pending-request heap %s: %d clients, real %d B/request, charged %d B/request, "
                + "charged/real %.2f%n", shape, shape.clients, pending / shape.clients, charged / shape.clients,
                ratio);
        assertThat(ratio).as("charged %d B vs real %d B for %s", charged, pending, shape).isBetween(0.8, 1.2);
    }

    private static long bytesRead(AcceptingHandle handle) {
        long total = 0;
        for (AsyncIoState s : handle.states()) {
            total += s.bytesRead();
        }
        return total;
    }

    /** Returns once the loop has run everything queued before: the callbacks of the reads counted above. */
    private void loopBarrier() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        collection.apply(done::countDown);
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    }

    private static long usedHeapAfterGc() {
        long used = Long.MAX_VALUE;
        // Several collections: the smallest reading is the live set without garbage still being reclaimed.
        for (int i = 0; i < 4; i++) {
            System.gc();
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
