package dev.asyncio.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/**
 * Work handed to the loop from other threads is never lost, however it races with the loop going to sleep, and an
 * abort racing with the completion of its operation still makes exactly one abort callback.
 */
class CrossThreadTest extends LoopTestSupport {

    @Test
    void everyFunctionAppliedFromManyThreadsRunsExactlyOnce() throws Exception {
        int threads = 8;
        int perThread = 10_000;
        AtomicLong ran = new AtomicLong();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> submitters = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread s = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    collection.apply(ran::incrementAndGet);
                }
            }, "submitter-" + t);
            s.start();
            submitters.add(s);
        }
        start.countDown();
        for (Thread s : submitters) {
            s.join(WAIT.toMillis());
        }
        await().until(() -> ran.get() == (long) threads * perThread);
        roundTrip();
        assertThat(ran.get()).isEqualTo((long) threads * perThread);
    }

    @Test
    void pingPongDrivenFromATestThreadNeverLosesAWakeUp() throws Exception {
        Connection c = connect();
        CallRecorder read = new CallRecorder();
        for (int i = 0; i < 1000; i++) {
            byte b = (byte) i;
            c.state().writeBuffer(new byte[] {b}, null);
            assertThat(c.peer().readExactly(1)[0]).isEqualTo(b);
            c.state().readBuffer(new byte[1], read);
            c.peer().send(new byte[] {(byte) (b + 1)});
            Call call = read.next();
            assertThat(call.bytes()[0]).isEqualTo((byte) (b + 1));
        }
    }

    @Test
    void anAbortRacingWithCompletionCallsTheAbortCallbackExactlyOnce() throws Exception {
        Connection c = connect();
        for (int round = 0; round < 200; round++) {
            AtomicInteger reads = new AtomicInteger();
            AtomicInteger aborts = new AtomicInteger();
            AtomicInteger abortCount = new AtomicInteger(-1);
            CountDownLatch aborted = new CountDownLatch(1);
            byte[] buffer = new byte[1];
            c.state().readBuffer(buffer, (s, b, n) -> reads.incrementAndGet());
            c.peer().send(new byte[] {1});
            c.state().abort((s, b, n) -> {
                aborts.incrementAndGet();
                abortCount.set(b == null ? -2 : n);
                aborted.countDown();
            });
            assertThat(aborted.await(10, TimeUnit.SECONDS)).as("round %d: abort callback", round).isTrue();
            roundTrip();
            assertThat(aborts.get()).as("round %d: abort callbacks", round).isEqualTo(1);
            assertThat(reads.get()).as("round %d: read callbacks", round).isBetween(0, 1);
            if (reads.get() == 1) {
                assertThat(abortCount.get()).as("round %d: completed first, so nothing was active", round)
                        .isEqualTo(-2);
            } else {
                // Aborted first: the abort callback got the read's buffer, and the byte may or may not be in it.
                assertThat(abortCount.get()).as("round %d: aborted an active read", round).isBetween(0, 1);
                if (abortCount.get() == 0) { // not read yet: take it so the next round starts clean
                    CallRecorder drain = new CallRecorder();
                    c.state().readBuffer(new byte[1], drain);
                    assertThat(drain.next().count()).isEqualTo(1);
                }
            }
            assertThat(c.state().isReading()).isFalse();
        }
    }
}
