package dev.asyncio.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** {@code maxConnections}: accepting pauses at the limit and resumes when a connection closes. */
class MaxConnectionsTest extends LoopTestSupport {

    @Test
    void acceptingPausesAtTheLimitAndResumesWhenAConnectionCloses() throws Exception {
        LinkedBlockingQueue<AsyncIoState> accepted = new LinkedBlockingQueue<>();
        AcceptingHandle handle = collection.acceptTcpConnections(0, (h, s) -> {
            accepted.add(s);
            s.writeBuffer(bytes("welcome"), (s2, b, n) -> { });
        }, AcceptOptions.builder().address("127.0.0.1").maxConnections(2).build());

        Peer first = track(Peer.connect(handle.localAddress()));
        Peer second = track(Peer.connect(handle.localAddress()));
        assertThat(first.readString(7)).isEqualTo("welcome");
        assertThat(second.readString(7)).isEqualTo("welcome");
        AsyncIoState firstState = accepted.poll(10, TimeUnit.SECONDS);
        assertThat(firstState).isNotNull();
        await().until(() -> handle.statistics().paused());

        // The third connects at TCP level (the backlog) but is not accepted while the handle is full.
        Peer third = track(Peer.connect(handle.localAddress()));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                .until(() -> handle.statistics().accepted() == 2);
        assertThat(handle.connectionCount()).isEqualTo(2);

        firstState.close();
        assertThat(third.readString(7)).as("accepted once a connection closed").isEqualTo("welcome");
        await().until(() -> handle.statistics().accepted() == 3);
        assertThat(handle.connectionCount()).isEqualTo(2);
        assertThat(handle.statistics().paused()).isTrue();

        AsyncIoState secondState = accepted.poll(10, TimeUnit.SECONDS);
        assertThat(secondState).isNotNull();
        secondState.close();
        await().until(() -> handle.connectionCount() == 1 && !handle.statistics().paused());
    }

    @Test
    void rawConnectionsAreNotCountedAgainstTheLimit() throws Exception {
        LinkedBlockingQueue<java.nio.channels.SocketChannel> raw = new LinkedBlockingQueue<>();
        AcceptingHandle handle = collection.acceptTcpConnectionsRaw(null, (h, ch) -> raw.add(ch),
                AcceptOptions.builder().address("127.0.0.1").maxConnections(1).build());
        for (int i = 0; i < 3; i++) {
            track(Peer.connect(handle.localAddress()));
            assertThat(track(raw.poll(10, TimeUnit.SECONDS))).as("raw connection %d handed over", i).isNotNull();
        }
        assertThat(handle.statistics().paused()).isFalse();
        assertThat(handle.statistics().accepted()).isEqualTo(3);
    }

    @Test
    void aBurstOfConnectionsWaitingInTheBacklogIsAcceptedOnlyUpToTheLimit() throws Exception {
        WaitStateCollection manual = track(WaitStateCollection.create("burst"));
        LinkedBlockingQueue<AsyncIoState> accepted = new LinkedBlockingQueue<>();
        AcceptingHandle handle = manual.acceptTcpConnections(0, (h, s) -> accepted.add(s),
                AcceptOptions.builder().address("127.0.0.1").maxConnections(2).build());
        // Nothing runs the loop yet: all five wait in the listen backlog and become ready in one event.
        for (int i = 0; i < 5; i++) {
            track(Peer.connect(handle.localAddress()));
        }
        Thread driver = new Thread(manual::loopProcessing, "burst-driver");
        driver.start();
        try {
            await().until(() -> accepted.size() >= 2);
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                    .until(() -> handle.statistics().accepted() == 2 && accepted.size() == 2);
            assertThat(handle.statistics().paused()).isTrue();
            accepted.poll().close();
            await().until(() -> handle.statistics().accepted() == 3);
        } finally {
            manual.stopLoop();
            driver.join(WAIT.toMillis());
        }
    }

    @Test
    void withPolicyRefuseAConnectionOverTheLimitIsResetAtOnceAndCounted() throws Exception {
        LinkedBlockingQueue<AsyncIoState> accepted = new LinkedBlockingQueue<>();
        AcceptingHandle handle = collection.acceptTcpConnections(0, (h, s) -> {
            accepted.add(s);
            s.writeBuffer(bytes("welcome"), (s2, b, n) -> { });
        }, AcceptOptions.builder().address("127.0.0.1").maxConnections(1)
                .maxConnectionsPolicy(MaxConnectionsPolicy.REFUSE).build());

        Peer first = track(Peer.connect(handle.localAddress()));
        assertThat(first.readString(7)).isEqualTo("welcome");
        // Over the limit: no welcome, but the end of the stream (a reset) within the peer's bounded read timeout,
        // where the pause policy would leave it waiting in the backlog.
        assertThat(refusedAtOnce(handle)).as("the second client is refused at once").isTrue();
        await().until(() -> handle.statistics().refusedMaxConnections() == 1);
        HandleStatistics stats = handle.statistics();
        assertThat(stats.paused()).isFalse();
        assertThat(stats.maxConnections()).isEqualTo(1);
        assertThat(stats.refused()).isEqualTo(1);
        assertThat(stats.accepted()).isEqualTo(1);
        assertThat(handle.connectionCount()).isEqualTo(1);

        // Below the limit again, the next client is served.
        accepted.poll(10, TimeUnit.SECONDS).close();
        await().until(() -> handle.connectionCount() == 0);
        Peer third = track(Peer.connect(handle.localAddress()));
        assertThat(third.readString(7)).isEqualTo("welcome");
        assertThat(handle.statistics().refusedMaxConnections()).isEqualTo(1);
    }

    /**
     * @return whether a new client sees the end of the stream or a reset (on loopback the reset can arrive before
     *         the connect completes) within the peer's bounded read timeout
     */
    private boolean refusedAtOnce(AcceptingHandle handle) throws Exception {
        Peer peer;
        try {
            peer = track(Peer.connect(handle.localAddress()));
        } catch (java.net.SocketException resetWhileConnecting) {
            return true;
        }
        return peer.seesEof();
    }
}
