package dev.asyncio.core.internal.loop;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The loop's timeout heap: order, rescheduling, cancelling, and a failing handler that does not stop the rest. */
class DeadlineQueueTest {

    private final List<String> fired = new ArrayList<>();

    private DeadlineQueue.Entry entry(String name) {
        return new DeadlineQueue.Entry() {
            @Override
            protected void expired(long now) {
                fired.add(name + "@" + now);
            }
        };
    }

    @Test
    void entriesExpireEarliestFirstAndOnlyOncePassed() {
        DeadlineQueue q = new DeadlineQueue();
        q.schedule(entry("c"), 30);
        q.schedule(entry("a"), 10);
        q.schedule(entry("b"), 20);

        assertThat(q.nanosUntilNext(5)).isEqualTo(5);
        assertThat(q.runExpired(20)).isEqualTo(2);
        assertThat(fired).containsExactly("a@20", "b@20");
        assertThat(q.size()).isEqualTo(1);
        assertThat(q.nanosUntilNext(40)).isZero();
        q.runExpired(40);
        assertThat(q.nanosUntilNext(40)).isEqualTo(-1);
    }

    @Test
    void reschedulingMovesAnEntryBothWays() {
        DeadlineQueue q = new DeadlineQueue();
        DeadlineQueue.Entry a = entry("a");
        DeadlineQueue.Entry b = entry("b");
        q.schedule(a, 10);
        q.schedule(b, 20);
        q.schedule(a, 30);
        q.runExpired(25);
        assertThat(fired).containsExactly("b@25");
        q.schedule(a, 1);
        assertThat(a.deadline()).isEqualTo(1);
        q.runExpired(25);
        assertThat(fired).containsExactly("b@25", "a@25");
        assertThat(a.isScheduled()).isFalse();
    }

    @Test
    void cancelledEntriesNeverFireAndCancellingTwiceIsHarmless() {
        DeadlineQueue q = new DeadlineQueue();
        List<DeadlineQueue.Entry> entries = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            DeadlineQueue.Entry e = entry("e" + i);
            entries.add(e);
            q.schedule(e, 1000 - i);
        }
        for (int i = 0; i < 100; i += 2) {
            q.cancel(entries.get(i));
            q.cancel(entries.get(i));
        }
        assertThat(q.size()).isEqualTo(50);
        q.runExpired(2000);
        assertThat(fired).hasSize(50).allMatch(s -> Integer.parseInt(s.substring(1, s.indexOf('@'))) % 2 == 1);
        // Earliest first: the odd entries were scheduled at 1000 - i, so e99 comes first.
        assertThat(fired.get(0)).startsWith("e99@");
        assertThat(fired.get(49)).startsWith("e1@");
    }

    @Test
    void aFailingHandlerIsToldAndTheOtherEntriesStillRunEvenAfterAnError() {
        DeadlineQueue q = new DeadlineQueue();
        List<Throwable> failures = new ArrayList<>();
        q.schedule(new DeadlineQueue.Entry() {
            @Override
            protected void expired(long now) {
                throw new IllegalStateException("boom");
            }

            @Override
            protected void expiryFailed(Throwable failure) {
                failures.add(failure);
            }
        }, 1);
        q.schedule(new DeadlineQueue.Entry() {
            @Override
            protected void expired(long now) {
                throw new OutOfMemoryError("pretend");
            }

            @Override
            protected void expiryFailed(Throwable failure) {
                failures.add(failure);
            }
        }, 2);
        q.schedule(entry("after"), 3);

        assertThat(q.runExpired(5)).isEqualTo(3);
        assertThat(failures).extracting(Throwable::getMessage).containsExactly("boom", "pretend");
        assertThat(fired).containsExactly("after@5");
    }

    @Test
    void deadlinesCompareByDifferenceSoTheClockMayWrap() {
        DeadlineQueue q = new DeadlineQueue();
        q.schedule(entry("late"), Long.MIN_VALUE + 5);
        q.schedule(entry("early"), Long.MAX_VALUE - 5);
        q.runExpired(Long.MIN_VALUE + 10);
        assertThat(fired).containsExactly("early@" + (Long.MIN_VALUE + 10), "late@" + (Long.MIN_VALUE + 10));
    }
}
