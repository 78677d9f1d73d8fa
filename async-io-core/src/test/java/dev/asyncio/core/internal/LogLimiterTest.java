package dev.asyncio.core.internal;

import org.junit.jupiter.api.Test;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** A recurring failure is logged once per interval, and the next line says how many were left out. */
class LogLimiterTest {

    /** Keeps every message logged. */
    private static class Recording implements System.Logger {
        final List<String> lines = new ArrayList<>();

        @Override
        public String getName() {
            return "recording";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            lines.add(msg);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            lines.add(format);
        }
    }

    @Test
    void aFloodIsOneLinePerIntervalAndTheNextCountsWhatWasLeftOut() {
        Recording logger = new Recording();
        AtomicLong clock = new AtomicLong(5);
        LogLimiter limiter = new LogLimiter(logger, 1, clock::get);
        for (int i = 0; i < 1000; i++) {
            limiter.log(Level.ERROR, () -> "boom", new IllegalStateException());
        }
        assertThat(logger.lines).containsExactly("boom");

        clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(1001));
        limiter.log(Level.ERROR, () -> "boom", null);
        assertThat(logger.lines).containsExactly("boom", "boom (999 more like it since the last line)");
    }

    @Test
    void aFailingLoggerIsSurvived() {
        System.Logger broken = new Recording() {
            @Override
            public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
                throw new OutOfMemoryError("pretend");
            }
        };
        new LogLimiter(broken, 1).log(Level.ERROR, () -> "x", null);
    }
}
