package dev.asyncio.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Total read deadlines, the slowloris defence: bytes that trickle in restart the idle timeout but not the deadline.
 * The loop's clock is injected, so time moves only when the test says so.
 */
class ReadDeadlineTest extends LoopTestSupport {

    private final java.util.concurrent.atomic.AtomicLong clock = new java.util.concurrent.atomic.AtomicLong(1_000);

    private WaitStateCollection clocked() {
        return track(WaitStateCollection.builder(collectionName + "-clocked").nanoClock(clock::get).daemon(true)
                .createAndRun());
    }

    /** Moves the loop's clock and lets the loop see it (a queued no-op wakes it up and runs due timers). */
    private void advance(WaitStateCollection c, Duration by) throws Exception {
        clock.addAndGet(by.toNanos());
        onLoop(c, () -> null);
        onLoop(c, () -> null);
    }

    @Test
    void aTricklingReadBufferEndsAtItsDeadlineThoughEveryByteRestartsTheIdleTimeout() throws Exception {
        WaitStateCollection c = clocked();
        Connection conn = connect(c, StateOptions.builder().readTimeout(Duration.ofSeconds(10))
                .readDeadline(Duration.ofSeconds(5)).build(), 0);
        CompletableFuture<Integer> done = new CompletableFuture<>();
        conn.state().readBuffer(new byte[100], (s, b, n) -> done.complete(n));
        for (int i = 0; i < 4; i++) {
            conn.peer().send("x");
            advance(c, Duration.ofSeconds(1));
        }
        assertThat(done).isNotDone();
        advance(c, Duration.ofSeconds(2));
        assertThat(done.get(10, TimeUnit.SECONDS)).isEqualTo(4);
        assertThat(conn.state().readStatus()).isEqualTo(IoStatus.TIMEOUT);
    }

    @Test
    void aReadWithCheckingGivesEachMessageItsOwnDeadline() throws Exception {
        WaitStateCollection c = clocked();
        Connection conn = connect(c, StateOptions.DEFAULTS, 0);
        CompletableFuture<IoStatus> ended = new CompletableFuture<>();
        java.util.List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        // What the last callback saw: the clock may only move once the loop has read the bytes just sent, or a
        // message's deadline starts at the moved time (it starts when the loop reads the message's first byte).
        java.util.concurrent.atomic.AtomicInteger seen = new java.util.concurrent.atomic.AtomicInteger();
        conn.state().readWithChecking((s, b, end) -> {
            seen.set(end);
            if (s.readStatus() != IoStatus.OK) {
                ended.complete(s.readStatus());
                return;
            }
            for (int i = 0; i < end; i++) {
                if (b[i] == '\n') {
                    lines.add(text(b, 0, i));
                    s.discard(i + 1);
                    return;
                }
            }
        }, OperationOptions.builder().deadline(Duration.ofSeconds(3)).build());
        // Whole messages, slowly: each completes within its own deadline, however long the connection lives.
        for (int i = 0; i < 5; i++) {
            conn.peer().send("m" + i + "\n");
            int expected = i + 1;
            await(() -> lines.size() == expected);
            advance(c, Duration.ofSeconds(2));
        }
        assertThat(ended).isNotDone();
        // One message trickling in: it does not complete within its deadline.
        conn.peer().send("slow");
        await(() -> seen.get() == 4);
        advance(c, Duration.ofSeconds(2));
        conn.peer().send("er");
        advance(c, Duration.ofSeconds(2));
        assertThat(ended.get(10, TimeUnit.SECONDS)).isEqualTo(IoStatus.TIMEOUT);
        assertThat(lines).hasSize(5);
        assertThat(conn.state().readDeadline()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void noDeadlineMeansOnlyTheIdleTimeoutApplies() throws Exception {
        WaitStateCollection c = clocked();
        Connection conn = connect(c, StateOptions.builder().readTimeout(Duration.ofSeconds(10)).build(), 0);
        CompletableFuture<Integer> done = new CompletableFuture<>();
        conn.state().readBuffer(new byte[100], (s, b, n) -> done.complete(n));
        for (int i = 0; i < 20; i++) {
            conn.peer().send("x");
            advance(c, Duration.ofSeconds(5));
        }
        assertThat(done).isNotDone();
        assertThat(conn.state().readDeadline()).isNull();
    }

    @Test
    void aBadDeadlineIsRefused() throws Exception {
        Connection conn = connect();
        assertThatThrownBy(() -> conn.state().setReadDeadline(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("readDeadline");
        assertThatThrownBy(() -> OperationOptions.builder().deadline(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("deadline");
    }

    private static void await(java.util.function.BooleanSupplier condition) {
        org.awaitility.Awaitility.await().atMost(10, TimeUnit.SECONDS).until(condition::getAsBoolean);
    }
}
