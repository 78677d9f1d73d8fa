package dev.asyncio.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/**
 * An echo server on one collection with 200 concurrent blocking clients, each sending a random payload of 1 byte to
 * 1 MiB in random splits and checking the echo byte for byte. The sizes average about 0.5 MiB, about 100 MB each way
 * in all. The seed is printed on failure; set {@code -Dasyncio.stress.seed=...} to replay a run.
 */
class EchoStressTest extends LoopTestSupport {
    private static final int CLIENTS = 200;
    private static final int MAX_PAYLOAD = 1024 * 1024;

    /** The server: read what is there, echo it, read again (backpressure: one write in flight per connection). */
    private static void echo(AsyncIoState state) {
        state.readWithChecking((s, b, end) -> {
            if (s.readStatus() != IoStatus.OK) {
                s.finish();
                s.close();
                return;
            }
            byte[] copy = Arrays.copyOf(b, end);
            s.finish(end);
            s.writeBuffer(copy, (s2, b2, n) -> {
                if (s2.writeStatus() == IoStatus.OK) {
                    echo(s2);
                } else {
                    s2.close();
                }
            });
        });
    }

    @Test
    void twoHundredClientsGetTheirRandomPayloadsBackByteForByte() throws Exception {
        long seed = Long.getLong("asyncio.stress.seed", System.nanoTime());
        String replay = "echo stress seed " + seed + " (replay with -Dasyncio.stress.seed=" + seed + ")";
        Random random = new Random(seed);

        AcceptingHandle handle = collection.acceptTcpConnections(0, (h, s) -> echo(s),
                AcceptOptions.builder().address("127.0.0.1").backlog(CLIENTS).handleName("echo-stress").build());

        List<byte[]> payloads = new ArrayList<>();
        List<long[]> splitSeeds = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            int size = i == 0 ? 1 : i == 1 ? MAX_PAYLOAD : 1 + random.nextInt(MAX_PAYLOAD);
            byte[] p = new byte[size];
            random.nextBytes(p);
            payloads.add(p);
            splitSeeds.add(new long[] {random.nextLong(), random.nextLong()});
        }

        AtomicInteger threadNo = new AtomicInteger();
        ThreadFactory small = r -> {
            Thread t = new Thread(null, r, "echo-client-" + threadNo.incrementAndGet(), 256 * 1024);
            t.setDaemon(true);
            return t;
        };
        ExecutorService pool = Executors.newFixedThreadPool(2 * CLIENTS, small);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                byte[] payload = payloads.get(i);
                long[] seeds = splitSeeds.get(i);
                Peer client = track(Peer.connect(handle.localAddress()));
                done.add(pool.submit(() -> {
                    writeInRandomSplits(client.socket().getOutputStream(), payload, new Random(seeds[0]));
                    return null;
                }));
                int n = i;
                done.add(pool.submit(() -> {
                    byte[] echoed = readInRandomSplits(client.socket().getInputStream(), payload.length,
                            new Random(seeds[1]));
                    assertThat(Arrays.mismatch(echoed, payload))
                            .as("client %d (%d bytes): first differing byte; %s", n, payload.length, replay)
                            .isEqualTo(-1);
                    client.close();
                    return null;
                }));
            }
            for (Future<?> f : done) {
                try {
                    f.get(120, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new AssertionError(replay, e);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        long total = payloads.stream().mapToLong(p -> p.length).sum();
        assertThat(handle.statistics().accepted()).as(replay).isEqualTo(CLIENTS);
        // The loop counts a write after the system call, so a client may see its last bytes a moment earlier.
        await().untilAsserted(() -> {
            assertThat(handle.statistics().bytesRead()).as(replay).isEqualTo(total);
            assertThat(handle.statistics().bytesWritten()).as(replay).isEqualTo(total);
        });
        assertThat(collection.statistics().callbackFailures()).as(replay).isZero();
        assertThat(collection.statistics().errors()).as(replay).isZero();
    }

    private static void writeInRandomSplits(OutputStream out, byte[] payload, Random r) throws IOException {
        int off = 0;
        while (off < payload.length) {
            int n = Math.min(payload.length - off, 1 + r.nextInt(r.nextBoolean() ? 64 : 128 * 1024));
            out.write(payload, off, n);
            out.flush();
            off += n;
        }
    }

    private static byte[] readInRandomSplits(InputStream in, int length, Random r) throws IOException {
        byte[] got = new byte[length];
        int off = 0;
        while (off < length) {
            int want = Math.min(length - off, 1 + r.nextInt(r.nextBoolean() ? 64 : 128 * 1024));
            int n = in.read(got, off, want);
            if (n < 0) {
                throw new IOException("EOF after " + off + " of " + length + " echoed bytes");
            }
            off += n;
        }
        return got;
    }
}
