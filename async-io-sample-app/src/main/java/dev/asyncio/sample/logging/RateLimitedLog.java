package dev.asyncio.sample.logging;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A log line that cannot become a flood: at most one line per interval; the lines suppressed in between are counted
 * and reported with the next line that is written ("… (1,999 more like this in the last 10s)"). A hostile peer that
 * triggers a warning per connection or per datagram thus costs a few lines a minute, not one per event.
 *
 * <p>Thread-safe: loop threads and HTTP threads may share one.
 */
public final class RateLimitedLog {

    private final Logger logger;
    private final Level level;
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private boolean logged;
    private long lastLogged;
    private long suppressed;

    /**
     * @param logger   where the lines go
     * @param level    their level
     * @param interval the shortest time between two lines; positive
     * @param nanoClock {@link System#nanoTime()} in production
     * @throws IllegalArgumentException if the interval is not positive
     */
    public RateLimitedLog(Logger logger, Level level, Duration interval, LongSupplier nanoClock) {
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the log interval must be positive, got " + interval);
        }
        this.logger = logger;
        this.level = level;
        this.intervalNanos = interval.toNanos();
        this.nanoClock = nanoClock;
    }

    /**
     * @param logger   where the lines go
     * @param level    their level
     * @param interval the shortest time between two lines; positive
     */
    public RateLimitedLog(Logger logger, Level level, Duration interval) {
        this(logger, level, interval, System::nanoTime);
    }

    /**
     * Logs the message unless a line was logged less than an interval ago; then it is only counted. The message is
     * built only when it is logged.
     *
     * @param message the line
     * @return whether it was logged
     */
    public boolean log(Supplier<String> message) {
        long count;
        synchronized (this) {
            long now = nanoClock.getAsLong();
            if (logged && now - lastLogged < intervalNanos) {
                suppressed++;
                return false;
            }
            logged = true;
            lastLogged = now;
            count = suppressed;
            suppressed = 0;
        }
        if (logger.isLoggable(level)) {
            long dropped = count;
            logger.log(level, () -> dropped == 0 ? message.get()
                    : message.get() + " (" + dropped + " more like this were not logged since the last such line)");
        }
        return true;
    }

    /** @return lines counted but not logged since the last line that was */
    public synchronized long suppressed() {
        return suppressed;
    }
}
