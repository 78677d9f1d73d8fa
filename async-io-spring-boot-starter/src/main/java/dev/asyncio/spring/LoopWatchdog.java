package dev.asyncio.spring;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Checks the loop threads of an {@link AsyncIoRegistry} at a fixed interval and restarts those that ended while the
 * registry runs ({@link AsyncIoRegistry#restartDeadLoops()}), then binds again the handles whose listening socket
 * was closed behind their back ({@link AsyncIoRegistry#reopenDeadListeners()}). One daemon thread,
 * {@code async-io-loop-watchdog}; each check only reads a flag per collection and per handle. {@link #close()} stops
 * it.
 */
public final class LoopWatchdog implements AutoCloseable {

    /** How often the loops are checked by default. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);

    private static final Log LOGGER = LogFactory.getLog(LoopWatchdog.class);

    private final ScheduledExecutorService executor;

    /**
     * Starts checking.
     *
     * @param registry the registry whose loops are checked
     * @param interval the time between two checks, positive
     */
    public LoopWatchdog(AsyncIoRegistry registry, Duration interval) {
        Objects.requireNonNull(registry, "registry");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive, got " + interval);
        }
        this.executor = Executors.newSingleThreadScheduledExecutor((task) -> {
            Thread thread = new Thread(task, "async-io-loop-watchdog");
            thread.setDaemon(true);
            return thread;
        });
        long millis = Math.max(1, interval.toMillis());
        this.executor.scheduleWithFixedDelay(() -> check(registry), millis, millis, TimeUnit.MILLISECONDS);
    }

    private static void check(AsyncIoRegistry registry) {
        if (registry.isStopped()) {
            return;
        }
        try {
            registry.restartDeadLoops();
        }
        catch (RuntimeException ex) {
            LOGGER.warn("Restarting a dead async-io loop failed; trying again at the next check", ex);
        }
        try {
            registry.reopenDeadListeners();
        }
        catch (RuntimeException ex) {
            LOGGER.warn("Re-opening an async-io handle whose listening socket died failed; trying again at the next "
                    + "check", ex);
        }
    }

    /** Stops checking; a check under way finishes. */
    @Override
    public void close() {
        this.executor.shutdownNow();
    }
}
