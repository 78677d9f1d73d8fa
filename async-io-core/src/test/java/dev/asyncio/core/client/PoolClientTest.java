package dev.asyncio.core.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** Pools and per-use connections: limits, waiting, timeouts, eviction, liveness, backoff, drops. */
class PoolClientTest extends ClientTestSupport {

    private static ClientOptions.Builder pool(LineServer server, PoolOptions.Builder pool) {
        return lines(server.address()).mode(ClientMode.POOL).pool(pool.build());
    }

    @Test
    void concurrentRequestsShareAtMostMaxConnectionsAndEachGetsItsOwnReply() throws Exception {
        LineServer server = server("pool");
        AsyncIoClient c = client("pool", pool(server, PoolOptions.builder().maxConnections(4)).build()).start();
        assertThat(c.state()).isIn(ClientState.NEW, ClientState.IDLE);
        await().until(() -> c.state() == ClientState.IDLE);

        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                results.add(threads.submit(() -> {
                    List<String> wrong = new ArrayList<>();
                    List<CompletableFuture<byte[]>> replies = new ArrayList<>();
                    for (int i = 0; i < 100; i++) {
                        replies.add(c.request(bytes("t" + thread + "-" + i)));
                    }
                    for (int i = 0; i < 100; i++) {
                        String got = text(replies.get(i).get(10, TimeUnit.SECONDS));
                        if (!got.equals("t" + thread + "-" + i)) {
                            wrong.add("t" + thread + "-" + i + " got " + got);
                        }
                    }
                    return wrong;
                }));
            }
            for (Future<List<String>> f : results) {
                assertThat(f.get(30, TimeUnit.SECONDS)).isEmpty();
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(server.accepted()).isBetween(1, 4);
        ClientStatistics s = c.statistics();
        assertThat(s.state()).isEqualTo(ClientState.CONNECTED);
        assertThat(s.openConnections()).isBetween(1, 4);
        assertThat(s.activeConnections()).isZero();
        assertThat(s.idleConnections()).isEqualTo(s.openConnections());
        assertThat(s.replies()).isEqualTo(800);
    }

    @Test
    void waitersBeyondMaxPendingAcquiresAreRefusedAtOnceAndTheOthersServedOnRelease() throws Exception {
        LineServer server = server("bounded");
        Recorder recorder = new Recorder();
        AsyncIoClient c = client("bounded", pool(server, PoolOptions.builder().maxConnections(1)
                .maxPendingAcquires(1)).listener(recorder).build()).start();

        ClientConnection first = c.acquire().get(10, TimeUnit.SECONDS);
        CompletableFuture<ClientConnection> second = c.acquire();
        await().until(() -> c.statistics().pendingAcquires() == 1);
        ClientException third = failure(c.acquire());
        assertThat(third.kind()).isEqualTo(ClientException.Kind.POOL_EXHAUSTED);
        assertThat(third.getMessage()).contains("maxPendingAcquires");
        assertThat(c.statistics().acquireRejections()).isEqualTo(1);
        assertThat(c.statistics().activeConnections()).isEqualTo(1);

        var state = first.state();
        first.release();
        ClientConnection again = second.get(10, TimeUnit.SECONDS);
        assertThat(again.state()).as("the same connection, reused").isSameAs(state);
        assertThat(again.isOpen()).isTrue();
        assertThat(first.isOpen()).as("the old lease is dead").isFalse();
        org.assertj.core.api.Assertions.assertThatThrownBy(first::state)
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("after its release");
        again.release();
        assertThat(server.accepted()).isEqualTo(1);
        assertThat(recorder.events).contains("acquireFailed POOL_EXHAUSTED");
    }

    @Test
    void anAcquireThatWaitsTooLongTimesOut() throws Exception {
        LineServer server = server("timeout");
        Recorder recorder = new Recorder();
        AsyncIoClient c = client("timeout", pool(server, PoolOptions.builder().maxConnections(1)
                .acquireTimeout(Duration.ofMillis(100))).listener(recorder).build()).start();
        ClientConnection held = c.acquire().get(10, TimeUnit.SECONDS);

        ClientException e = failure(c.acquire());
        assertThat(e.kind()).isEqualTo(ClientException.Kind.ACQUIRE_TIMEOUT);
        assertThat(e.getMessage()).contains("acquireTimeout");
        ClientException r = failure(c.request(bytes("waits for a connection")));
        assertThat(r.kind()).isEqualTo(ClientException.Kind.ACQUIRE_TIMEOUT);
        assertThat(c.statistics().acquireTimeouts()).isEqualTo(2);
        assertThat(c.statistics().pendingAcquires()).isZero();
        assertThat(recorder.count("acquireFailed ACQUIRE_TIMEOUT")).isEqualTo(2);
        held.release();
        assertThat(ask(c, "then")).isEqualTo("then");
    }

    @Test
    void idleConnectionsAreEvictedAndTheClientBecomesIdle() throws Exception {
        LineServer server = server("idle");
        Recorder recorder = new Recorder();
        AsyncIoClient c = client("idle", pool(server, PoolOptions.builder().idleTimeout(Duration.ofMillis(100))
                .evictionInterval(Duration.ofMillis(20))).listener(recorder).build()).start();
        assertThat(ask(c, "one")).isEqualTo("one");
        assertThat(c.statistics().openConnections()).isEqualTo(1);

        await().until(() -> c.statistics().evictions() == 1);
        await().until(() -> c.state() == ClientState.IDLE);
        assertThat(c.statistics().openConnections()).isZero();
        assertThat(recorder.events).contains("disconnected " + server.port() + " planned");
        assertThat(ask(c, "two")).isEqualTo("two");
        assertThat(server.accepted()).isEqualTo(2);
    }

    @Test
    void aConnectionPastItsLifetimeIsClosedWhenReleasedNeverUnderItsUser() throws Exception {
        LineServer server = server("lifetime");
        AsyncIoClient c = client("lifetime", pool(server, PoolOptions.builder().idleTimeout(null)
                .maxLifetime(Duration.ofMillis(100)).evictionInterval(Duration.ofMillis(20))).build()).start();
        ClientConnection lease = c.acquire().get(10, TimeUnit.SECONDS);
        long created = System.nanoTime();
        await().until(() -> System.nanoTime() - created > Duration.ofMillis(300).toNanos());
        assertThat(lease.isOpen()).as("busy: not evicted").isTrue();
        assertThat(text(lease.request(bytes("still")).get(10, TimeUnit.SECONDS))).isEqualTo("still");

        lease.release();
        await().until(() -> c.statistics().evictions() == 1 && c.statistics().openConnections() == 0);
        assertThat(ask(c, "new")).isEqualTo("new");
        assertThat(server.accepted()).isEqualTo(2);
    }

    @Test
    void aConnectionThatFailsTheLivenessCheckIsReplaced() throws Exception {
        LineServer server = server("check");
        AtomicInteger checks = new AtomicInteger();
        AsyncIoClient c = client("check", pool(server, PoolOptions.builder()
                .connectionCheck(state -> checks.incrementAndGet() > 1)).build()).start();
        assertThat(ask(c, "one")).isEqualTo("one");          // a new connection: no check
        assertThat(ask(c, "two")).isEqualTo("two");          // the idle one fails its check: replaced
        assertThat(ask(c, "three")).isEqualTo("three");      // the new one passes
        assertThat(checks.get()).isEqualTo(2);
        assertThat(server.accepted()).isEqualTo(2);
        assertThat(c.statistics().evictions()).isEqualTo(1);
    }

    @Test
    void whileTheServerIsDownRequestsFailAtOnceAndThePoolComesBackByItself() throws Exception {
        LineServer server = server("down");
        server.stop();
        Recorder recorder = new Recorder();
        AsyncIoClient c = client("down", pool(server, PoolOptions.builder()).listener(recorder).build()).start();

        ClientException first = failure(c.request(bytes("one")));
        assertThat(first.kind()).isEqualTo(ClientException.Kind.NOT_CONNECTED);
        await().until(() -> c.state() == ClientState.RECONNECTING);
        ClientException during = failure(c.request(bytes("two")));
        assertThat(during.kind()).isEqualTo(ClientException.Kind.NOT_CONNECTED);
        assertThat(during.getMessage()).contains("RECONNECTING");

        server.restart();
        await().until(() -> c.state() == ClientState.CONNECTED);
        assertThat(c.statistics().idleConnections()).as("the background retry's connection").isEqualTo(1);
        assertThat(ask(c, "three")).isEqualTo("three");
        assertThat(recorder.delays).isNotEmpty();
    }

    @Test
    void requestsInFlightOnADroppedPooledConnectionFailAndTheNextOnesUseANewConnection() throws Exception {
        LineServer server = server("drop");
        AsyncIoClient c = client("drop", pool(server, PoolOptions.builder().maxPipelined(4)).build()).start();
        CompletableFuture<byte[]> a = c.request(bytes("hold-a"));
        CompletableFuture<byte[]> b = c.request(bytes("hold-b"));
        await().until(() -> server.heldCount() == 2);
        server.dropConnections();
        assertThat(failure(a).kind()).isEqualTo(ClientException.Kind.CONNECTION_LOST);
        assertThat(failure(b).kind()).isEqualTo(ClientException.Kind.CONNECTION_LOST);
        await().until(() -> c.state() == ClientState.CONNECTED);
        assertThat(ask(c, "after")).isEqualTo("after");
    }

    @Test
    void perUseOpensAConnectionForEachRequestAndClosesItAfterTheReply() throws Exception {
        LineServer server = server("peruse");
        AsyncIoClient c = client("peruse", lines(server.address()).mode(ClientMode.PER_USE).build()).start();
        for (int i = 0; i < 3; i++) {
            assertThat(ask(c, "r" + i)).isEqualTo("r" + i);
        }
        assertThat(server.accepted()).isEqualTo(3);
        await().until(() -> c.statistics().openConnections() == 0);
        ClientConnection lease = c.acquire().get(10, TimeUnit.SECONDS);
        assertThat(text(lease.request(bytes("leased")).get(10, TimeUnit.SECONDS))).isEqualTo("leased");
        lease.release();
        await().until(() -> c.statistics().openConnections() == 0 && !lease.isOpen());
        assertThat(server.accepted()).isEqualTo(4);
    }

    @Test
    void aLeaseRunsAPipelineInOrderOnOneConnection() throws Exception {
        LineServer server = server("lease");
        AsyncIoClient c = client("lease", pool(server, PoolOptions.builder().maxConnections(2)).build()).start();
        ClientConnection lease = c.acquire().get(10, TimeUnit.SECONDS);
        List<CompletableFuture<byte[]>> replies = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            replies.add(lease.request(bytes("p" + i)));
        }
        for (int i = 0; i < 50; i++) {
            assertThat(text(replies.get(i).get(10, TimeUnit.SECONDS))).isEqualTo("p" + i);
        }
        assertThat(server.accepted()).isEqualTo(1);
        lease.release();
    }
}
