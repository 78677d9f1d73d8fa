package dev.asyncio.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Timeouts are idle timeouts, counted from the start of the operation and restarted by every byte that moves.
 * Driven by an injected clock, so the test never depends on how fast the machine is.
 */
class IdleTimeoutTest extends LoopTestSupport {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private WaitStateCollection timed;

    @BeforeEach
    void startTimedCollection() {
        timed = track(WaitStateCollection.builder("timed").nanoClock(nanos::get).createAndRun());
    }

    /** Moves the loop's clock forward and lets the loop look at its deadlines (two full iterations). */
    private void advance(Duration d) throws Exception {
        nanos.addAndGet(d.toNanos());
        onLoop(timed, () -> null);
        onLoop(timed, () -> null);
    }

    @Test
    void aReadTimesOutAfterTheTimeoutWithoutProgressNotAfterTheTimeoutInTotal() throws Exception {
        Connection c = connect(timed, StateOptions.DEFAULTS, 0);
        CallRecorder read = new CallRecorder();
        c.state().readBuffer(new byte[10], 0, 10, read, OperationOptions.timeout(Duration.ofSeconds(1)));
        onLoop(timed, () -> null);

        advance(Duration.ofMillis(800));
        c.peer().send("a");
        await().until(() -> c.state().snapshot().bytesRead() == 1);
        advance(Duration.ofMillis(800)); // 1.6 s since the start, 0.8 s since the last byte
        c.peer().send("b");
        await().until(() -> c.state().snapshot().bytesRead() == 2 || read.count() > 0);
        assertThat(read.all()).as("no timeout 0.8 s after the last byte (1.6 s after the start)").isEmpty();
        advance(Duration.ofMillis(800));
        read.assertNoCall();

        advance(Duration.ofMillis(400)); // 1.2 s without a byte
        Call call = read.next();
        assertThat(call.readStatus()).isEqualTo(IoStatus.TIMEOUT);
        assertThat(call.count()).isEqualTo(2);
        assertThat(call.text()).isEqualTo("ab");
    }

    @Test
    void waitForInputTimesOutOnTheInjectedClock() throws Exception {
        Connection c = connect(timed, StateOptions.builder().readTimeout(Duration.ofSeconds(5)).build(), 0);
        CallRecorder ready = new CallRecorder();
        c.state().waitForInput(ready);
        onLoop(timed, () -> null);
        advance(Duration.ofSeconds(4));
        ready.assertNoCall();
        advance(Duration.ofSeconds(2));
        assertThat(ready.next().readStatus()).isEqualTo(IoStatus.TIMEOUT);
    }

    @Test
    void aReadWithCheckingOnALongButBusyConnectionDoesNotTimeOut() throws Exception {
        Connection c = connect(timed, StateOptions.DEFAULTS, 0);
        CallRecorder checks = new CallRecorder();
        c.state().readWithChecking((s, b, end) -> {
            checks.call(s, b, end);
            if (s.readStatus() == IoStatus.OK) {
                s.discard(end);
            }
        }, OperationOptions.timeout(Duration.ofSeconds(1)));
        onLoop(timed, () -> null);
        for (int i = 0; i < 5; i++) {
            advance(Duration.ofMillis(700));
            c.peer().send("x");
            assertThat(checks.next().readStatus()).isEqualTo(IoStatus.OK);
        }
        advance(Duration.ofMillis(1100));
        Call last = checks.next();
        assertThat(last.readStatus()).isEqualTo(IoStatus.TIMEOUT);
        await().until(() -> !c.state().isReading());
    }

    @Test
    void aWriteTimesOutOnlyWhenNothingMoves() throws Exception {
        Connection c = connect(timed, StateOptions.builder().writeTimeout(Duration.ofSeconds(1)).build(), 4096);
        CallRecorder write = new CallRecorder();
        byte[] big = new byte[2 * 1024 * 1024];
        c.state().writeBuffer(big, write);
        await().until(() -> c.state().snapshot().bytesWritten() > 0);
        long before = c.state().snapshot().bytesWritten();

        advance(Duration.ofMillis(800));
        c.peer().readExactly((int) before); // progress: the socket takes more
        await().until(() -> c.state().snapshot().bytesWritten() > before);
        advance(Duration.ofMillis(800));
        write.assertNoCall();

        advance(Duration.ofMillis(400));
        Call call = write.next();
        assertThat(call.writeStatus()).isEqualTo(IoStatus.TIMEOUT);
        assertThat(call.count()).isGreaterThan((int) before).isLessThan(big.length);
    }
}
