package dev.asyncio.sample.kv;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/**
 * The bookkeeping behind the per-client limits, on a given clock: the output limit's hard and soft rules, the
 * request deadline's start and stop, and the model of the core's input array.
 */
class ClientLimitClocksTest {

    private static final long MS = 1_000_000L;

    @Test
    void theHardLimitCutsAtOnceAndTheSoftLimitOnlyAfterItsTime() {
        OutputLimitTracker tracker = new OutputLimitTracker(new ClientOutputLimit(1000, 100, Duration.ofMillis(50)));
        assertThat(tracker.check(1001, 0)).contains("hard limit");
        assertThat(tracker.check(500, 0)).isNull();
        assertThat(tracker.check(500, 49 * MS)).isNull();
        assertThat(tracker.check(500, 50 * MS)).contains("soft limit");
    }

    @Test
    void droppingUnderTheSoftLimitRestartsItsClock() {
        OutputLimitTracker tracker = new OutputLimitTracker(new ClientOutputLimit(1000, 100, Duration.ofMillis(50)));
        assertThat(tracker.check(500, 0)).isNull();
        assertThat(tracker.check(100, 40 * MS)).isNull();
        assertThat(tracker.check(500, 60 * MS)).isNull();
        assertThat(tracker.check(500, 109 * MS)).isNull();
        assertThat(tracker.check(500, 110 * MS)).isNotNull();
    }

    @Test
    void theDeadlineRunsFromTheFirstByteOfAnUnfinishedRequest() {
        RequestDeadline deadline = new RequestDeadline(Duration.ofMillis(100));
        deadline.afterRead(false, true, 0);
        deadline.afterRead(false, true, 90 * MS);
        assertThat(deadline.expired(100 * MS)).isFalse();
        assertThat(deadline.expired(101 * MS)).as("bytes kept coming, the clock did not restart").isTrue();
    }

    @Test
    void aCompletedRequestRestartsTheClockAndIdleTimeDoesNotCount() {
        RequestDeadline deadline = new RequestDeadline(Duration.ofMillis(100));
        deadline.afterRead(false, true, 0);
        deadline.afterRead(true, true, 90 * MS);
        assertThat(deadline.expired(150 * MS)).as("a new request began at 90 ms").isFalse();
        deadline.afterRead(true, false, 160 * MS);
        assertThat(deadline.expired(10_000 * MS)).as("idle between requests").isFalse();
        deadline.afterRead(false, true, 10_000 * MS);
        deadline.suspend();
        assertThat(deadline.expired(20_000 * MS)).as("paused by the server's own flow control").isFalse();
    }

    @Test
    void theInputModelFollowsTheCoresArray() {
        InputBufferModel model = new InputBufferModel();
        byte[] scratch = new byte[64 * 1024];
        model.presented(scratch, 50);
        assertThat(model.heapBytes()).as("a remainder is copied into a 1 KiB array").isEqualTo(1024 + 16);
        model.presented(new byte[2048], 1500);
        assertThat(model.heapBytes()).as("then the state's own array is presented").isEqualTo(2048 + 16);
        model.presented(new byte[2048], 0);
        assertThat(model.heapBytes()).isZero();
        model.presented(scratch, 60_000);
        assertThat(model.heapBytes()).as("the emptied 2 KiB array was kept and grows").isEqualTo(60_000 + 16);
    }
}
