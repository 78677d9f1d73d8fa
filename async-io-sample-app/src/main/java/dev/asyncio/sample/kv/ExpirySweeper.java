package dev.asyncio.sample.kv;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.asyncio.core.WaitStateCollection;

/**
 * Removes expired keys nobody reads: at a fixed interval it queues a bounded {@link KeyValueStore#sweep(int) sweep}
 * onto the loop thread of the collection that owns the store, so the store stays confined to that thread (the timer
 * thread never touches it). At most one sweep is queued at a time, so a busy loop never accumulates them.
 *
 * <p>{@link #start} may be called from any thread, once; {@link #close} stops the timer and is idempotent.
 */
final class ExpirySweeper implements AutoCloseable {

    private final KeyValueStore store;
    private final KvSettings settings;
    private final AtomicBoolean queued = new AtomicBoolean();
    private ScheduledExecutorService timer;

    ExpirySweeper(KeyValueStore store, KvSettings settings) {
        this.store = store;
        this.settings = settings;
    }

    /** @param collection the collection whose loop thread owns the store */
    synchronized void start(WaitStateCollection collection) {
        if (timer != null) {
            throw new IllegalStateException("expiry sweeper already started");
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kv-expiry-sweeper");
            t.setDaemon(true);
            return t;
        });
        long period = settings.sweepInterval().toMillis();
        timer.scheduleAtFixedRate(() -> {
            if (collection.isAlive() && queued.compareAndSet(false, true)) {
                try {
                    collection.apply(() -> {
                        queued.set(false);
                        store.sweep(settings.sweepBudget());
                    });
                } catch (RuntimeException closed) {
                    // The collection closed between the check and the call: nothing left to sweep for.
                    queued.set(false);
                }
            }
        }, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
