package dev.asyncio.bench.chaos;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded polling of conditions the harness cannot be notified of (another process's state, a swarm's counters). */
final class Waits {

    private static final long POLL_MILLIS = 50;

    private Waits() {
    }

    /**
     * @param condition what to wait for
     * @param timeout   the bound
     * @return whether it held before the timeout
     * @throws InterruptedException when interrupted
     */
    static boolean until(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() >= deadline) {
                return false;
            }
            Thread.sleep(POLL_MILLIS); // polling interval of an observer, not synchronisation with the server
        }
        return true;
    }

    /**
     * Lets time pass on purpose (an idle period is what scenario 1 tests).
     *
     * @param d how long
     * @throws InterruptedException when interrupted
     */
    static void idle(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis());
    }
}
