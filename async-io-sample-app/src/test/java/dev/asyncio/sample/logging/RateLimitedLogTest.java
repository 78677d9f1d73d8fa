package dev.asyncio.sample.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

/** One line per interval, with the count of what was not logged, on an injected clock. */
class RateLimitedLogTest {

    /** Collects lines. */
    static final class Lines implements Logger {
        final List<String> lines = new ArrayList<>();

        @Override
        public String getName() {
            return "test";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, Supplier<String> message) {
            lines.add(message.get());
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
    void twoThousandEventsInOneIntervalMakeOneLineAndTheNextLineCountsTheRest() {
        AtomicLong clock = new AtomicLong();
        Lines logger = new Lines();
        RateLimitedLog log = new RateLimitedLog(logger, Level.WARNING, Duration.ofSeconds(10), clock::get);
        for (int i = 0; i < 2000; i++) {
            int n = i;
            log.log(() -> "closing client " + n);
            clock.addAndGet(1_000_000); // 1 ms apart: all within the first 10 s
        }
        assertThat(logger.lines).containsExactly("closing client 0");
        assertThat(log.suppressed()).isEqualTo(1999);
        clock.addAndGet(Duration.ofSeconds(10).toNanos());
        log.log(() -> "closing client 2000");
        assertThat(logger.lines).hasSize(2);
        assertThat(logger.lines.get(1)).startsWith("closing client 2000").contains("1999 more like this");
        assertThat(log.suppressed()).isZero();
    }
}
