package dev.asyncio.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * {@link AcceptOptions#spreadOver}: the handle's loop accepts, and hands connections round-robin to other collections,
 * whose loops then run each connection's callbacks.
 */
class SpreadOverTest extends LoopTestSupport {

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
                }
            });
        });
    }

    @Test
    void connectionsAreHandedRoundRobinAndServedOnTheirCollectionsLoops() throws Exception {
        WaitStateCollection w1 = newCollection("worker-1", CallbackErrorPolicy.LOG);
        WaitStateCollection w2 = newCollection("worker-2", CallbackErrorPolicy.LOG);
        List<String> connectionThreads = Collections.synchronizedList(new ArrayList<>());
        List<String> callbackThreads = Collections.synchronizedList(new ArrayList<>());
        LinkedBlockingQueue<AsyncIoState> states = new LinkedBlockingQueue<>();
        AcceptingHandle handle = collection.acceptTcpConnections(0, (h, s) -> {
            connectionThreads.add(Thread.currentThread().getName());
            states.add(s);
            s.readBuffer(new byte[4], (s2, b, n) -> {
                callbackThreads.add(Thread.currentThread().getName());
                s2.writeBuffer(b, 0, n, null);
            });
        }, AcceptOptions.builder().address("127.0.0.1").spreadOver(List.of(w1, w2)).build());

        List<Peer> clients = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Peer p = track(Peer.connect(handle.localAddress()));
            clients.add(p);
            p.send("c" + i + "!!");
            assertThat(p.readString(4)).isEqualTo("c" + i + "!!");
        }
        assertThat(connectionThreads).containsExactly(
                "Loop Collection worker-1", "Loop Collection worker-2", "Loop Collection worker-1",
                "Loop Collection worker-2", "Loop Collection worker-1", "Loop Collection worker-2");
        assertThat(callbackThreads).containsExactlyElementsOf(connectionThreads);
        List<AsyncIoState> all = new ArrayList<>(states);
        assertThat(all).extracting(AsyncIoState::collection).containsExactly(w1, w2, w1, w2, w1, w2);
        assertThat(all).allSatisfy(s -> assertThat(s.handle()).isSameAs(handle));

        await().until(() -> handle.connectionCount() == 6);
        assertThat(handle.connections(100)).hasSize(6);
        assertThat(handle.states()).containsExactlyInAnyOrderElementsOf(all);
        assertThat(handle.statistics().accepted()).isEqualTo(6);
        assertThat(w1.states()).hasSize(3);
        assertThat(w2.states()).hasSize(3);
        assertThat(collection.states()).as("the accepting loop serves none").isEmpty();
    }

    @Test
    void maxConnectionsCountsConnectionsOnEveryCollection() throws Exception {
        WaitStateCollection w1 = newCollection("limit-worker-1", CallbackErrorPolicy.LOG);
        WaitStateCollection w2 = newCollection("limit-worker-2", CallbackErrorPolicy.LOG);
        LinkedBlockingQueue<AsyncIoState> states = new LinkedBlockingQueue<>();
        AcceptingHandle handle = collection.acceptTcpConnections(0, (h, s) -> {
            states.add(s);
            s.writeBuffer(bytes("hi"), null);
        }, AcceptOptions.builder().address("127.0.0.1").maxConnections(2).spreadOver(List.of(w1, w2)).build());
        Peer a = track(Peer.connect(handle.localAddress()));
        Peer b = track(Peer.connect(handle.localAddress()));
        assertThat(a.readString(2)).isEqualTo("hi");
        assertThat(b.readString(2)).isEqualTo("hi");
        await().until(() -> handle.statistics().paused());
        Peer c = track(Peer.connect(handle.localAddress()));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                .until(() -> handle.statistics().accepted() == 2);
        states.poll(10, TimeUnit.SECONDS).close();
        assertThat(c.readString(2)).isEqualTo("hi");
        await().until(() -> handle.statistics().accepted() == 3 && handle.connectionCount() == 2);
    }

    @Test
    void aConnectionForAClosedCollectionIsRejected() throws Exception {
        WaitStateCollection gone = WaitStateCollection.createAndRun("gone");
        gone.close();
        AcceptingHandle handle = collection.acceptTcpConnections(0, (h, s) -> { },
                AcceptOptions.builder().address("127.0.0.1").spreadOver(List.of(gone)).build());
        Peer p = track(Peer.connect(handle.localAddress()));
        assertThat(p.seesEof()).isTrue();
        await().until(() -> handle.statistics().rejected() == 1);
        assertThat(collection.isAlive()).isTrue();
    }

    @Test
    void echoOverTwoWorkerLoopsStaysByteExact() throws Exception {
        long seed = Long.getLong("asyncio.stress.seed", System.nanoTime());
        String replay = "spread echo seed " + seed;
        Random random = new Random(seed);
        WaitStateCollection w1 = newCollection("echo-worker-1", CallbackErrorPolicy.LOG);
        WaitStateCollection w2 = newCollection("echo-worker-2", CallbackErrorPolicy.LOG);
        AcceptingHandle handle = collection.acceptTcpConnections(0, (h, s) -> echo(s),
                AcceptOptions.builder().address("127.0.0.1").spreadOver(List.of(w1, w2, collection)).build());
        int clients = 30;
        ExecutorService pool = Executors.newFixedThreadPool(2 * clients);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                byte[] payload = new byte[1 + random.nextInt(256 * 1024)];
                random.nextBytes(payload);
                Peer p = track(Peer.connect(handle.localAddress()));
                done.add(pool.submit(() -> {
                    p.send(payload);
                    return null;
                }));
                done.add(pool.submit(() -> {
                    assertThat(p.readExactly(payload.length)).as(replay).isEqualTo(payload);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        await().untilAsserted(() -> assertThat(w1.statistics().bytesRead() + w2.statistics().bytesRead()
                + collection.statistics().bytesRead()).as(replay).isEqualTo(handle.statistics().bytesRead()));
        assertThat(w1.statistics().bytesRead()).as(replay).isPositive();
        assertThat(w2.statistics().bytesRead()).as(replay).isPositive();
    }

    @Test
    void closingAWorkerCollectionEndsItsConnectionsAndFreesTheirPlaces() throws Exception {
        WaitStateCollection worker = WaitStateCollection.createAndRun("closing-worker");
        WaitStateCollection other = newCollection("staying-worker", CallbackErrorPolicy.LOG);
        LinkedBlockingQueue<AsyncIoState> states = new LinkedBlockingQueue<>();
        AcceptingHandle handle = collection.acceptTcpConnections(0, (h, s) -> {
            states.add(s);
            s.writeBuffer(bytes("hi"), null);
        }, AcceptOptions.builder().address("127.0.0.1").maxConnections(2).spreadOver(List.of(worker, other)).build());
        Peer onWorker = track(Peer.connect(handle.localAddress()));
        Peer onOther = track(Peer.connect(handle.localAddress()));
        assertThat(onWorker.readString(2)).isEqualTo("hi");
        assertThat(onOther.readString(2)).isEqualTo("hi");
        await().until(() -> handle.statistics().paused());

        worker.close();
        assertThat(onWorker.seesEof()).isTrue();
        await().until(() -> handle.connectionCount() == 1 && !handle.statistics().paused());
        assertThat(handle.states()).extracting(AsyncIoState::collection).containsExactly(other);
    }
}
