package dev.asyncio.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** Timers on the loop: order, cancel, calls from other threads, fixed rate, failures under the policy. */
class LoopTimerTest extends LoopTestSupport {

    @Test
    void timersRunOnTheLoopThreadInDeadlineOrder() throws Exception {
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(3);
        // Scheduled from the loop thread, so that all three deadlines come from one clock reading order.
        onLoop(() -> {
            collection.schedule(Duration.ofMillis(60), () -> {
                order.add("60 " + Thread.currentThread().getName());
                done.countDown();
            });
            collection.schedule(Duration.ofMillis(20), () -> {
                order.add("20 " + Thread.currentThread().getName());
                done.countDown();
            });
            collection.schedule(Duration.ZERO, () -> {
                order.add("0 " + Thread.currentThread().getName());
                done.countDown();
            });
            return null;
        });
        assertThat(done.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(order).containsExactly("0 " + loopThreadName(), "20 " + loopThreadName(),
                "60 " + loopThreadName());
    }

    @Test
    void aTimerScheduledFromAnotherThreadRunsOnTheLoop() throws Exception {
        LinkedBlockingQueue<String> ran = new LinkedBlockingQueue<>();
        LoopTimer timer = collection.schedule(Duration.ofMillis(5), () -> ran.add(Thread.currentThread().getName()));
        assertThat(ran.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(loopThreadName());
        await().until(timer::isDone);
        assertThat(timer.isCancelled()).isFalse();
        assertThat(timer.cancel()).as("a one-shot timer that ran cannot be cancelled").isFalse();
    }

    @Test
    void aCancelledTimerNeverRunsAndLeavesTheQueue() throws Exception {
        AtomicInteger ran = new AtomicInteger();
        LoopTimer cancelled = collection.schedule(Duration.ofMillis(30), ran::incrementAndGet);
        assertThat(cancelled.cancel()).isTrue();
        assertThat(cancelled.cancel()).isFalse();
        assertThat(cancelled.isCancelled()).isTrue();
        assertThat(cancelled.isDone()).isTrue();
        // A later timer is the barrier: once it ran, the cancelled one's deadline had long passed.
        CountDownLatch later = new CountDownLatch(1);
        collection.schedule(Duration.ofMillis(80), later::countDown);
        assertThat(later.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(ran).hasValue(0);
        assertThat(onLoop(() -> collection.loop().deadlines().size())).isZero();
    }

    @Test
    void cancellingOnTheLoopThreadFromAnEarlierTimerStopsALaterOne() throws Exception {
        AtomicInteger ran = new AtomicInteger();
        CountDownLatch barrier = new CountDownLatch(1);
        onLoop(() -> {
            LoopTimer victim = collection.schedule(Duration.ofMillis(40), ran::incrementAndGet);
            collection.schedule(Duration.ofMillis(10), victim::cancel);
            collection.schedule(Duration.ofMillis(90), barrier::countDown);
            return null;
        });
        assertThat(barrier.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(ran).hasValue(0);
    }

    @Test
    void aFixedRateTimerRepeatsUntilCancelledFromItsOwnAction() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        AtomicLong previous = new AtomicLong();
        List<Long> gaps = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch fifth = new CountDownLatch(1);
        LoopTimer[] self = new LoopTimer[1];
        CountDownLatch started = new CountDownLatch(1);
        self[0] = collection.scheduleAtFixedRate(Duration.ZERO, Duration.ofMillis(5), () -> {
            try {
                started.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            assertThat(Thread.currentThread().getName()).isEqualTo(loopThreadName());
            long now = System.nanoTime();
            if (previous.get() != 0) {
                gaps.add(now - previous.get());
            }
            previous.set(now);
            if (runs.incrementAndGet() == 5) {
                self[0].cancel();
                fifth.countDown();
            }
        });
        started.countDown();
        assertThat(fifth.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(self[0].isCancelled()).isTrue();
        // Another timer as a barrier: nothing more of the cancelled one runs after it.
        CountDownLatch barrier = new CountDownLatch(1);
        collection.schedule(Duration.ofMillis(30), barrier::countDown);
        assertThat(barrier.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(runs).hasValue(5);
        // Untimed check of the rate: never two runs in one tick of the period (each gap is at least most of it).
        assertThat(gaps).allSatisfy(g -> assertThat(g).isPositive());
    }

    @Test
    void aFailingActionGoesToThePolicyAndAFixedRateTimerGoesOn() throws Exception {
        LinkedBlockingQueue<CallbackFailure> failures = new LinkedBlockingQueue<>();
        WaitStateCollection c = newCollection("timer-policy", failures::add);
        AtomicInteger runs = new AtomicInteger();
        LoopTimer t = c.scheduleAtFixedRate(Duration.ZERO, Duration.ofMillis(2), () -> {
            runs.incrementAndGet();
            throw new IllegalStateException("boom");
        });
        CallbackFailure first = failures.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(first).isNotNull();
        assertThat(first.exception()).hasMessage("boom");
        assertThat(first.collection()).isSameAs(c);
        assertThat(failures.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("the timer goes on").isNotNull();
        t.cancel();
        assertThat(c.statistics().callbackFailures()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void badArgumentsAndAClosedCollectionAreRefused() {
        assertThatThrownBy(() -> collection.schedule(Duration.ofMillis(-1), () -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("delay");
        assertThatThrownBy(() -> collection.scheduleAtFixedRate(Duration.ZERO, Duration.ZERO, () -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("period");
        assertThatThrownBy(() -> collection.schedule(Duration.ZERO, null)).isInstanceOf(NullPointerException.class);
        collection.close();
        assertThatThrownBy(() -> collection.schedule(Duration.ZERO, () -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void aFixedRateTimerCancelledFromAnotherThreadStopsEveryTime() throws Exception {
        // Back-to-back runs (1 ns period): a cancel lands while a run is being taken, under way or just over. It must
        // always win, and at most the run it raced with may still happen; after two loop turns nothing runs.
        for (int i = 0; i < 300; i++) {
            AtomicInteger runs = new AtomicInteger();
            LoopTimer t = collection.scheduleAtFixedRate(Duration.ZERO, Duration.ofNanos(1), runs::incrementAndGet);
            int wanted = 1 + i % 5;
            await().atMost(WAIT).until(() -> runs.get() >= wanted);

            boolean cancelled = t.cancel();
            int atCancel = runs.get();
            onLoop(() -> null);
            onLoop(() -> null);

            assertThat(cancelled).as("trial " + i + ": cancel of a live timer").isTrue();
            assertThat(t.isDone()).isTrue();
            assertThat(runs.get() - atCancel).as("trial " + i + ": runs after cancel returned").isLessThanOrEqualTo(1);
        }
    }

    @Test
    void aTimerOfAClosedCollectionIsDone() {
        WaitStateCollection other = newCollection(collectionName + "-closing", CallbackErrorPolicy.LOG);
        LoopTimer repeating = other.scheduleAtFixedRate(Duration.ofHours(1), Duration.ofHours(1), () -> { });
        LoopTimer once = other.schedule(Duration.ofHours(1), () -> { });
        assertThat(repeating.isDone()).isFalse();

        other.close();

        assertThat(repeating.isDone()).as("it will never run again").isTrue();
        assertThat(once.isDone()).isTrue();
        assertThat(repeating.isCancelled()).as("nobody cancelled it").isFalse();
    }
}
