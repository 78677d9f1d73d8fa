package dev.asyncio.sample.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.asyncio.core.AcceptOptions;
import dev.asyncio.core.AcceptingHandle;
import dev.asyncio.core.WaitStateCollection;
import dev.asyncio.sample.testing.RecordingLogger;
import dev.asyncio.sample.testing.RespClient;

/**
 * The per-client limits of kv over real sockets: the output limit (Redis' {@code client-output-buffer-limit}) for
 * clients that ask and never read, and the request deadline for clients that trickle a request. The hostile client
 * is disconnected and counted; everyone else keeps being served.
 */
class KvClientLimitsTest {

    private static final String VALUE = "v".repeat(100_000);

    private WaitStateCollection collection;
    private KvConnectionFunction kv;
    private AcceptingHandle handle;
    private final List<Socket> sockets = new ArrayList<>();

    private final RecordingLogger disconnectLog = new RecordingLogger();

    private int start(KvSettings settings) {
        collection = WaitStateCollection.createAndRun("kv-limits");
        kv = new KvConnectionFunction(settings, disconnectLog, disconnectLog);
        handle = collection.acceptTcpConnections(0, kv, AcceptOptions.builder().address("127.0.0.1")
                .handleName("kv").queueOutput(true).build());
        return handle.localPort();
    }

    @AfterEach
    void stop() throws Exception {
        for (Socket s : sockets) {
            s.close();
        }
        if (kv != null) {
            kv.close();
        }
        if (collection != null) {
            collection.close();
        }
    }

    /** A client with a tiny receive window, so the kernel absorbs little of what it does not read. */
    private Socket greedyClient(int port) throws IOException {
        Socket s = new Socket();
        sockets.add(s);
        s.setReceiveBufferSize(4096);
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setSoTimeout(10_000);
        return s;
    }

    private static long stat(RespClient c, String name) throws IOException {
        for (String line : ((String) c.call("INFO", "stats")).split("\r\n")) {
            if (line.startsWith(name + ":")) {
                return Long.parseLong(line.substring(name.length() + 1));
            }
        }
        throw new AssertionError("no " + name + " in INFO stats");
    }

    /** Reads until the server closes: EOF, or a reset because unread replies were dropped. */
    private static boolean closedByServer(Socket s) {
        try {
            InputStream in = s.getInputStream();
            byte[] chunk = new byte[64 * 1024];
            while (in.read(chunk) >= 0) {
                // drain what the kernel had already taken
            }
            return true;
        } catch (IOException reset) {
            return !(reset instanceof java.net.SocketTimeoutException);
        }
    }

    @Test
    void aReplyOverTheHardLimitDisconnectsAtOnceAndOthersAreServed() throws Exception {
        int port = start(KvSettings.DEFAULTS.withOutputLimit(new ClientOutputLimit(512 * 1024, 256 * 1024,
                Duration.ofMinutes(1))));
        try (RespClient other = new RespClient(port)) {
            assertThat(other.call("SET", "big", VALUE)).isEqualTo("OK");
            Socket greedy = greedyClient(port);
            String[] mget = new String[21];
            mget[0] = "MGET";
            java.util.Arrays.fill(mget, 1, mget.length, "big");
            // One reply of about 2 MB, never read.
            greedy.getOutputStream().write(RespClient.encode(mget));
            await().atMost(10, TimeUnit.SECONDS)
                    .until(() -> stat(other, "client_output_buffer_limit_disconnections") == 1);
            assertThat(closedByServer(greedy)).isTrue();
            assertThat(other.call("GET", "big")).isEqualTo(VALUE);
            assertThat(kv.server().outputLimitDisconnections()).isEqualTo(1);
        }
    }

    @Test
    void aClientThatPipelinesLargeGetsAndNeverReadsIsDisconnectedAfterTheSoftTime() throws Exception {
        // A soft limit of one byte: once the kernel's buffers are full, what stays queued depends on where the last
        // write stopped (sometimes a few hundred bytes, sometimes a whole reply), but it is never nothing.
        int port = start(KvSettings.DEFAULTS.withOutputLimit(new ClientOutputLimit(64L * 1024 * 1024, 1,
                Duration.ofMillis(300))));
        try (RespClient other = new RespClient(port)) {
            assertThat(other.call("SET", "big", VALUE)).isEqualTo("OK");
            Socket greedy = greedyClient(port);
            byte[] get = RespClient.encode("GET", "big");
            // From a thread: the server stops reading while replies wait, so these writes block at some point.
            Thread pipeliner = new Thread(() -> {
                try {
                    OutputStream out = greedy.getOutputStream();
                    for (int i = 0; i < 500; i++) {
                        out.write(get);
                    }
                } catch (IOException closed) {
                    // the server closed the connection: what this test waits for
                }
            });
            pipeliner.setDaemon(true);
            pipeliner.start();
            await().atMost(20, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
                // Served the whole time the greedy client is pending.
                assertThat(other.call("GET", "big")).isEqualTo(VALUE);
                assertThat(stat(other, "client_output_buffer_limit_disconnections")).isEqualTo(1);
            });
            assertThat(closedByServer(greedy)).isTrue();
            pipeliner.join(10_000);
            assertThat(other.call("PING")).isEqualTo("PONG");
        }
    }

    @Test
    void aCrowdOfClientsThatNeverReadIsShedBiggestFirstUntilTheirRepliesFitTheBudget() throws Exception {
        long budget = 1024 * 1024;
        int port = start(KvSettings.DEFAULTS.withOutputLimit(new ClientOutputLimit(64L * 1024 * 1024,
                32L * 1024 * 1024, Duration.ofMinutes(1))).withMaxClientOutputBytes(budget));
        try (RespClient other = new RespClient(port)) {
            assertThat(other.call("SET", "big", VALUE)).isEqualTo("OK");
            String[] mget = new String[11];
            mget[0] = "MGET";
            java.util.Arrays.fill(mget, 1, mget.length, "big");
            // Six clients each ask for a 1 MB reply and never read: about 6 MB against a 1 MiB budget.
            List<Socket> crowd = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                Socket greedy = greedyClient(port);
                greedy.getOutputStream().write(RespClient.encode(mget));
                crowd.add(greedy);
            }
            await().atMost(10, TimeUnit.SECONDS)
                    .until(() -> stat(other, "client_output_budget_disconnections") >= 4);
            assertThat(other.call("GET", "big")).as("others are served").isEqualTo(VALUE);
            long closed = crowd.stream().filter(KvClientLimitsTest::closedByServerNow).count();
            assertThat(closed).isEqualTo(stat(other, "client_output_budget_disconnections"));
            await().atMost(10, TimeUnit.SECONDS).until(() -> onLoop(() -> kv.outputBudget().total()) <= budget);
        }
    }

    private static boolean closedByServerNow(Socket s) {
        try {
            s.setSoTimeout(2000);
        } catch (IOException e) {
            return true;
        }
        return closedByServer(s);
    }

    private <T> T onLoop(java.util.concurrent.Callable<T> read) throws Exception {
        java.util.concurrent.CompletableFuture<T> result = new java.util.concurrent.CompletableFuture<>();
        collection.apply(() -> {
            try {
                result.complete(read.call());
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        });
        return result.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aClientThatReadsItsRepliesKeepsItsConnection() throws Exception {
        int port = start(KvSettings.DEFAULTS.withOutputLimit(new ClientOutputLimit(64L * 1024 * 1024, 64 * 1024,
                Duration.ofSeconds(30))));
        try (RespClient c = new RespClient(port)) {
            assertThat(c.call("SET", "big", VALUE)).isEqualTo("OK");
            for (int i = 0; i < 50; i++) {
                assertThat(c.call("GET", "big")).isEqualTo(VALUE);
            }
            assertThat(stat(c, "client_output_buffer_limit_disconnections")).isZero();
        }
    }

    @Test
    void aTricklingRequestIsClosedAtTheDeadlineWhileIdleClientsStay() throws Exception {
        int port = start(KvSettings.DEFAULTS.withRequestDeadline(Duration.ofMillis(500)));
        try (RespClient idle = new RespClient(port); RespClient other = new RespClient(port)) {
            assertThat(idle.call("PING")).isEqualTo("PONG");
            Socket slow = greedyClient(port);
            slow.setTcpNoDelay(true);
            byte[] request = RespClient.encode("SET", "slow", "x".repeat(200));
            AtomicInteger trickled = new AtomicInteger();
            // Slowloris: one byte every 50 ms would take over 10 s for this request; the deadline is 0.5 s.
            Thread trickler = new Thread(() -> {
                try {
                    OutputStream out = slow.getOutputStream();
                    for (byte b : request) {
                        out.write(b);
                        trickled.incrementAndGet();
                        Thread.sleep(50);
                    }
                } catch (IOException | InterruptedException closed) {
                    // closed by the server, as expected
                }
            });
            trickler.setDaemon(true);
            trickler.start();
            assertThat(closedByServer(slow)).isTrue();
            assertThat(trickled.get()).as("bytes sent before the close").isLessThan(request.length);
            assertThat(stat(other, "request_deadline_disconnections")).isEqualTo(1);
            assertThat(other.call("GET", "slow")).as("the unfinished request did not run").isNull();
            assertThat(idle.call("PING")).as("idle longer than the deadline, but no request pending").isEqualTo("PONG");
            trickler.interrupt();
        }
    }

    /**
     * A crowd of slowloris clients, each disconnected at the request deadline, makes one WARN line per
     * {@link KvConnectionFunction#LOG_INTERVAL} for all of them (saying how many were not logged), not one each: the
     * old code wrote one line per client (2,000 clients, 2,000 lines).
     */
    @Test
    void aCrowdOfTricklingClientsMakesAFewLogLinesNotOneEach() throws Exception {
        int port = start(KvSettings.DEFAULTS.withRequestDeadline(Duration.ofMillis(300)));
        int crowd = 100;
        byte[] partial = "*3\r\n$3\r\nSET\r\n$4\r\nslow".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        for (int i = 0; i < crowd; i++) {
            greedyClient(port).getOutputStream().write(partial);
        }
        try (RespClient other = new RespClient(port)) {
            await().atMost(30, TimeUnit.SECONDS)
                    .until(() -> kv.server().requestDeadlineDisconnections() == crowd);
        }
        assertThat(disconnectLog.lines()).isNotEmpty().hasSizeLessThanOrEqualTo(4);
        assertThat(disconnectLog.lines().get(0)).contains("sample.kv.request-deadline");
    }

    @Test
    void aRequestSplitIntoManyQuickPartsIsNotADeadlineCase() throws Exception {
        int port = start(KvSettings.DEFAULTS.withRequestDeadline(Duration.ofSeconds(5)));
        try (RespClient c = new RespClient(port)) {
            c.socket().setTcpNoDelay(true);
            for (int round = 0; round < 20; round++) {
                byte[] request = RespClient.encode("INCR", "n");
                for (byte b : request) {
                    c.send(new byte[] {b});
                }
                assertThat(c.read()).isEqualTo((long) round + 1);
            }
            assertThat(stat(c, "request_deadline_disconnections")).isZero();
        }
    }
}
