package dev.asyncio.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.asyncio.core.internal.loop.DeadlineQueue;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A read and a write per message leave the state's timeouts in the loop's timer heap where they are (issue 21: two
 * heap updates per operation were a fifth of a 1,000-connection echo with timeouts set): a timeout that fires early
 * moves itself on, so each still fires a full timeout after the last progress; a closed state leaves none behind.
 * Driven by an injected clock.
 */
class LazyTimeoutTest extends LoopTestSupport {
    private static final Duration T = Duration.ofSeconds(10);
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private WaitStateCollection timed;

    @BeforeEach
    void startTimedCollection() {
        timed = track(WaitStateCollection.builder("timed").nanoClock(nanos::get).createAndRun());
    }

    private void advance(Duration d) throws Exception {
        nanos.addAndGet(d.toNanos());
        onLoop(timed, () -> null);
        onLoop(timed, () -> null);
    }

    private static DeadlineQueue.Entry timer(Object part, String field) {
        try {
            Field f = part.getClass().getDeclaredField(field);
            f.setAccessible(true);
            return (DeadlineQueue.Entry) f.get(part);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** Echoes as the sample does: readPooled, writeBuffer of that buffer, readPooled again. */
    private static void echo(AsyncIoState state) {
        state.readPooled((s, buffer, count) -> {
            if (buffer == null) {
                return;
            }
            s.writeBuffer(buffer.flip(), (w, b, n) -> w.collection().bufferPool().release(b));
            echo(s);
        });
    }

    private static void roundTrip(Connection c) throws Exception {
        c.peer().send(new byte[] {7});
        assertThat(c.peer().readExactly(1)).containsExactly(7);
    }

    @Test
    void messagesLeaveTheTimeoutsInPlaceAndTheyStillFireAFullTimeoutAfterTheLastProgress() throws Exception {
        Connection c = connect(timed, StateOptions.builder().readTimeout(T).writeTimeout(T).queueOutput(true).build(),
                0);
        timed.apply(() -> echo(c.state()));
        roundTrip(c);
        long[] first = onLoop(timed, () -> new long[] {
            timer(c.state().engine().read(), "deadline").deadline(),
            timer(c.state().engine().output(), "timeout").isScheduled() ? 1 : 0});
        assertThat(first[1]).as("the write timeout stays scheduled after the write completed").isEqualTo(1);

        for (int i = 0; i < 3; i++) {
            advance(Duration.ofSeconds(3));
            roundTrip(c);
        }
        long readDue = onLoop(timed, () -> timer(c.state().engine().read(), "deadline").deadline());
        assertThat(readDue).as("three messages later, the read timeout was not moved").isEqualTo(first[0]);

        // 9 s after the first message and 0 s after the last: the timeout that was left fires at 10 s, finds the read
        // 1 s old and moves itself to 19 s; the read times out then, not before.
        advance(Duration.ofSeconds(2));
        assertThat(c.state().isOpen()).isTrue();
        assertThat(c.state().readStatus()).isEqualTo(IoStatus.OK);
        advance(Duration.ofSeconds(7)); // 9 s after the last message
        assertThat(c.state().readStatus()).isEqualTo(IoStatus.OK);
        advance(Duration.ofSeconds(2)); // 11 s after it
        await().until(() -> c.state().readStatus() == IoStatus.TIMEOUT);
    }

    @Test
    void aClosedStateLeavesNoTimeoutInTheLoop() throws Exception {
        int before = onLoop(timed, () -> loopTimers(timed));
        Connection c = connect(timed, StateOptions.builder().readTimeout(T).writeTimeout(T).queueOutput(true).build(),
                0);
        timed.apply(() -> echo(c.state()));
        roundTrip(c);
        assertThat(onLoop(timed, () -> loopTimers(timed))).isEqualTo(before + 2);
        c.state().close();
        assertThat(onLoop(timed, () -> loopTimers(timed))).isEqualTo(before);
    }

    private static int loopTimers(WaitStateCollection in) {
        return in.loop().deadlines().size();
    }
}
