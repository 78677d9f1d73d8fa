package dev.asyncio.core.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Logs one line per interval for a recurring failure and counts the rest, so that a peer that can make the engine
 * fail cannot also flood the log: the next line says how many were suppressed. Any thread.
 */
public final class LogLimiter {
    private final Logger logger;
    private final long intervalNanos;
    private final java.util.function.LongSupplier clock;
    private final AtomicLong nextAllowed = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    /**
     * @param logger where the lines go
     * @param intervalSeconds at most one line per this many seconds
     */
    public LogLimiter(Logger logger, long intervalSeconds) {
        this(logger, intervalSeconds, System::nanoTime);
    }

    /**
     * @param logger where the lines go
     * @param intervalSeconds at most one line per this many seconds
     * @param nanoClock the clock (tests inject one)
     */
    public LogLimiter(Logger logger, long intervalSeconds, java.util.function.LongSupplier nanoClock) {
        this.logger = logger;
        this.intervalNanos = TimeUnit.SECONDS.toNanos(intervalSeconds);
        this.clock = nanoClock;
    }

    /**
     * @param level the level
     * @param message the line (built only when it is logged)
     * @param failure the cause, or {@code null}
     */
    public void log(Level level, java.util.function.Supplier<String> message, Throwable failure) {
        long now = clock.getAsLong();
        long next = nextAllowed.get();
        if (next != Long.MIN_VALUE && now - next < 0) {
            suppressed.incrementAndGet();
            return;
        }
        if (!nextAllowed.compareAndSet(next, now + intervalNanos)) {
            suppressed.incrementAndGet();
            return;
        }
        long skipped = suppressed.getAndSet(0);
        try {
            String text = message.get() + (skipped > 0 ? " (" + skipped + " more like it since the last line)" : "");
            if (failure != null) {
                logger.log(level, text, failure);
            } else {
                logger.log(level, text);
            }
        } catch (Throwable t) {
            // Logging failed (out of memory, a broken handler): the loop must go on regardless.
        }
    }
}
