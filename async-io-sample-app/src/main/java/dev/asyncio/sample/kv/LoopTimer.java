package dev.asyncio.sample.kv;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.asyncio.core.WaitStateCollection;

/**
 * Runs a task periodically on the loop thread of a collection: a timer thread only queues the task with
 * {@link WaitStateCollection#apply}, so whatever the task touches stays confined to the loop thread. At most one run
 * is queued at a time, so a busy loop never accumulates them.
 *
 * <p>{@link #start} may be called from any thread, once; {@link #close} stops the timer and is idempotent.
 */
final class LoopTimer implements AutoCloseable {

    private final String threadName;
    private final Duration period;
    private final Runnable task;
    private final AtomicBoolean queued = new AtomicBoolean();
    private ScheduledExecutorService timer;

    /**
     * @param threadName the timer thread's name, for thread dumps
     * @param period     time between two runs
     * @param task       what runs on the loop thread
     */
    LoopTimer(String threadName, Duration period, Runnable task) {
        this.threadName = threadName;
        this.period = period;
        this.task = task;
    }

    /** @param collection the collection whose loop thread runs the task */
    synchronized void start(WaitStateCollection collection) {
        if (timer != null) {
            throw new IllegalStateException(threadName + " already started");
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        long millis = Math.max(1, period.toMillis());
        timer.scheduleAtFixedRate(() -> {
            if (collection.isAlive() && queued.compareAndSet(false, true)) {
                try {
                    collection.apply(() -> {
                        queued.set(false);
                        task.run();
                    });
                } catch (RuntimeException closed) {
                    // The collection closed between the check and the call: nothing left to do for it.
                    queued.set(false);
                }
            }
        }, millis, millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
