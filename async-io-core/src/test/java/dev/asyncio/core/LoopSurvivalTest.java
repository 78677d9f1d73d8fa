package dev.asyncio.core;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The loop never dies: an error of the JVM thrown from a callback (out of memory, a stack overflow) or from a
 * queued function closes at most the state being served, frees what it held, is counted, and the loop goes on
 * serving everything else.
 */
class LoopSurvivalTest extends LoopTestSupport {

    private void assertStillServes() throws Exception {
        Connection other = connect();
        CompletableFuture<String> echoed = new CompletableFuture<>();
        other.state().readBuffer(new byte[4], (s, b, n) -> echoed.complete(text(b, 0, n)));
        other.peer().send("ping");
        assertThat(echoed.get(10, TimeUnit.SECONDS)).isEqualTo("ping");
        assertThat(collection.isAlive()).isTrue();
    }

    @Test
    void anOutOfMemoryErrorFromACallbackClosesThatStateAndTheLoopGoesOn() throws Exception {
        Connection c = connect(StateOptions.builder().queueOutput(true).build());
        c.state().writeBuffer(new byte[3 * 1024 * 1024], null);
        long failuresBefore = collection.statistics().callbackFailures();
        c.state().readWithChecking((s, b, end) -> {
            throw new OutOfMemoryError("pretend: Java heap space");
        });
        c.peer().send("x");

        await().atMost(10, TimeUnit.SECONDS).until(() -> !c.state().isOpen());
        assertThat(c.state().queuedOutput()).as("what it held is freed").isZero();
        assertThat(collection.statistics().callbackFailures()).isEqualTo(failuresBefore + 1);
        assertThat(collection.statistics().fatalCallbackFailures()).isEqualTo(1);
        assertStillServes();
    }

    @Test
    void aStackOverflowInACallbackClosesThatStateAndTheLoopGoesOn() throws Exception {
        Connection c = connect();
        c.state().readWithChecking((s, b, end) -> recurse(end));
        c.peer().send("x");

        await().atMost(10, TimeUnit.SECONDS).until(() -> !c.state().isOpen());
        assertThat(c.peer().seesEof()).isTrue();
        assertStillServes();
    }

    @Test
    void anErrorFromAQueuedFunctionIsCountedAndTheLoopGoesOn() throws Exception {
        long before = collection.statistics().callbackFailures();
        collection.apply(() -> {
            throw new OutOfMemoryError("pretend");
        });
        collection.apply(() -> {
            throw new StackOverflowError("pretend");
        });
        await().atMost(10, TimeUnit.SECONDS).until(() -> collection.statistics().callbackFailures() == before + 2);
        assertStillServes();
    }

    @Test
    void anErrorFromAConnectionFunctionClosesTheNewStateAndTheHandleKeepsAccepting() throws Exception {
        CompletableFuture<AsyncIoState> first = new CompletableFuture<>();
        AcceptingHandle handle = collection.acceptTcpConnections(0, (h, s) -> {
            if (first.complete(s)) {
                throw new OutOfMemoryError("pretend");
            }
            s.readBuffer(new byte[2], (st, b, n) -> st.writeBuffer(b, 0, n, null));
        }, AcceptOptions.builder().address("127.0.0.1").build());
        try (Peer p1 = Peer.connect(new java.net.InetSocketAddress(LOOPBACK, handle.localPort()))) {
            assertThat(p1.seesEof()).isTrue();
        }
        try (Peer p2 = Peer.connect(new java.net.InetSocketAddress(LOOPBACK, handle.localPort()))) {
            p2.send("ok");
            assertThat(p2.readString(2)).isEqualTo("ok");
        }
        assertThat(first.get().isOpen()).isFalse();
        handle.close();
    }

    @Test
    void anErrorFromTheWritabilityCallbackIsSurvivedToo() throws Exception {
        Connection c = connect(collection, StateOptions.builder().queueOutput(true).writeWaterMarks(1, 2)
                .writabilityCallback(s -> {
                    throw new OutOfMemoryError("pretend");
                }).build(), 4096);
        c.state().writeBuffer(new byte[1024 * 1024], null);
        await().atMost(10, TimeUnit.SECONDS).until(() -> !c.state().isOpen());
        assertStillServes();
    }

    private static int recurse(int n) {
        return recurse(n + 1) + 1;
    }
}
