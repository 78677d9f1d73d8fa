package dev.asyncio.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

/**
 * Issue 13, defect 1: one collection has one driver at a time, whichever way it is driven; a second driver gets an
 * {@link IllegalStateException} naming the thread that drives it.
 */
class SingleDriverFidelityTest {

    private static final long WAIT_SECONDS = 10;

    /** A thread that drives a collection with waitFor/callReady until told to stop. */
    private static final class WaitForDriver implements AutoCloseable {
        final WaitStateCollection collection;
        final Thread thread;
        final AtomicBoolean stop = new AtomicBoolean();
        final CompletableFuture<Void> driving = new CompletableFuture<>();
        final CompletableFuture<Throwable> ended = new CompletableFuture<>();

        WaitForDriver(WaitStateCollection collection, String name) {
            this.collection = collection;
            this.thread = new Thread(this::drive, name);
            thread.start();
        }

        private void drive() {
            try {
                // The first waitFor returns at once: the function queued below wakes it.
                collection.apply(() -> driving.complete(null));
                while (!stop.get()) {
                    collection.waitFor();
                    collection.callReady();
                }
                collection.stopDriving();
                ended.complete(null);
            } catch (Throwable t) {
                driving.completeExceptionally(t);
                ended.complete(t);
            }
        }

        @Override
        public void close() throws Exception {
            stop.set(true);
            collection.apply(() -> { });
            assertThat(ended.get(WAIT_SECONDS, TimeUnit.SECONDS)).as("the driver ended cleanly").isNull();
        }
    }

    private static CompletableFuture<Void> loopProcessingOn(WaitStateCollection c, String threadName) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                c.loopProcessing();
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        }, threadName);
        t.setDaemon(true);
        t.start();
        return done;
    }

    @Test
    void loopProcessingIsRefusedWhileAnotherThreadDrivesWithWaitFor() throws Exception {
        WaitStateCollection c = WaitStateCollection.create("two-drivers");
        try (WaitForDriver first = new WaitForDriver(c, "first-driver")) {
            first.driving.get(WAIT_SECONDS, TimeUnit.SECONDS);
            CompletableFuture<Void> second = loopProcessingOn(c, "second-driver");
            // Old code: the second loopProcessing was accepted and took over (this get timed out).
            assertThatThrownBy(() -> second.get(WAIT_SECONDS, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("first-driver").hasMessageContaining("waitFor/callReady")
                    .hasMessageContaining("one driver per collection");

            // The first driver is unharmed: applied functions still run on it.
            CompletableFuture<String> ranOn = new CompletableFuture<>();
            c.apply(() -> ranOn.complete(Thread.currentThread().getName()));
            assertThat(ranOn.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("first-driver");
        } finally {
            c.close();
        }
    }

    @Test
    void waitForIsRefusedWhileLoopProcessingRunsElsewhereAndAllowedAfterItReturns() throws Exception {
        WaitStateCollection c = WaitStateCollection.create("loop-then-wait");
        try {
            CompletableFuture<String> running = new CompletableFuture<>();
            c.apply(() -> running.complete(Thread.currentThread().getName()));
            CompletableFuture<Void> loop = loopProcessingOn(c, "looper");
            assertThat(running.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("looper");

            assertThatThrownBy(c::waitFor).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("looper").hasMessageContaining("loopProcessing");
            assertThatThrownBy(c::callReady).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("looper");

            c.stopLoop();
            loop.get(WAIT_SECONDS, TimeUnit.SECONDS);
            // loopProcessing returned: its thread is no longer the driver, so this thread may drive now.
            c.apply(() -> { });
            c.waitFor();
            c.callReady();
            c.stopDriving();
        } finally {
            c.close();
        }
    }

    @Test
    void aCreateAndRunCollectionRefusesEveryOtherDriverNamingItsThread() throws Exception {
        WaitStateCollection c = WaitStateCollection.createAndRun("owned");
        try {
            assertThatThrownBy(c::waitFor).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Loop Collection owned").hasMessageContaining("createAndRun");
            CompletableFuture<Void> second = loopProcessingOn(c, "intruder");
            assertThatThrownBy(() -> second.get(WAIT_SECONDS, TimeUnit.SECONDS))
                    .cause().isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Loop Collection owned");
            assertThat(c.isAlive()).isTrue();
        } finally {
            c.close();
        }
    }

    @Test
    void aWaitForDriverThatStopsDrivingLetsAnotherThreadLoop() throws Exception {
        WaitStateCollection c = WaitStateCollection.create("hand-over");
        try {
            WaitForDriver first = new WaitForDriver(c, "first");
            first.driving.get(WAIT_SECONDS, TimeUnit.SECONDS);
            first.close();

            CompletableFuture<String> ranOn = new CompletableFuture<>();
            c.apply(() -> ranOn.complete(Thread.currentThread().getName()));
            CompletableFuture<Void> loop = loopProcessingOn(c, "second");
            assertThat(ranOn.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("second");
            c.stopLoop();
            loop.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } finally {
            c.close();
        }
    }

    @Test
    void aDriverThreadThatEndedHoldsNothing() throws Exception {
        WaitStateCollection c = WaitStateCollection.create("dead-driver");
        try {
            Thread once = new Thread(() -> {
                c.apply(() -> { });
                c.waitFor();
                c.callReady();
            }, "once");
            once.start();
            once.join(WAIT_SECONDS * 1000);
            assertThat(once.isAlive()).isFalse();

            CompletableFuture<String> ranOn = new CompletableFuture<>();
            c.apply(() -> ranOn.complete(Thread.currentThread().getName()));
            CompletableFuture<Void> loop = loopProcessingOn(c, "successor");
            assertThat(ranOn.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("successor");
            c.stopLoop();
            loop.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } finally {
            c.close();
        }
    }

    @Test
    void stopDrivingByAThreadThatDoesNotDriveIsRefused() {
        WaitStateCollection c = WaitStateCollection.create("not-mine");
        try {
            assertThatThrownBy(c::stopDriving).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("not-mine").hasMessageContaining("does not drive it");
        } finally {
            c.close();
        }
    }
}
