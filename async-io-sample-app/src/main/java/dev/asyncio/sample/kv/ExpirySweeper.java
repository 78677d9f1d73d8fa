package dev.asyncio.sample.kv;

import dev.asyncio.core.WaitStateCollection;

/**
 * Removes expired keys nobody reads: every {@link KvSettings#sweepInterval()} a bounded
 * {@link KeyValueStore#sweep(int) sweep} runs on the loop thread that owns the store (see {@link LoopTimer}).
 *
 * <p>{@link #start} may be called from any thread, once; {@link #close} stops the timer and is idempotent.
 */
final class ExpirySweeper implements AutoCloseable {

    private final LoopTimer timer;

    ExpirySweeper(KeyValueStore store, KvSettings settings) {
        this.timer = new LoopTimer("kv-expiry-sweeper", settings.sweepInterval(),
                () -> store.sweep(settings.sweepBudget()));
    }

    /** @param collection the collection whose loop thread owns the store */
    void start(WaitStateCollection collection) {
        timer.start(collection);
    }

    @Override
    public void close() {
        timer.close();
    }
}
