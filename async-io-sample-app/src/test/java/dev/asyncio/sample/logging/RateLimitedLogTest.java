package dev.asyncio.sample.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.asyncio.sample.testing.RecordingLogger;

/** One line per interval, with the count of what was not logged, on an injected clock. */
class RateLimitedLogTest {

    @Test
    void twoThousandEventsInOneIntervalMakeOneLineAndTheNextLineCountsTheRest() {
        AtomicLong clock = new AtomicLong();
        RecordingLogger logger = new RecordingLogger();
        RateLimitedLog log = new RateLimitedLog(logger, Level.WARNING, Duration.ofSeconds(10), clock::get);
        for (int i = 0; i < 2000; i++) {
            int n = i;
            log.log(() -> "closing client " + n);
            clock.addAndGet(1_000_000); // 1 ms apart: all within the first 10 s
        }
        assertThat(logger.lines()).containsExactly("closing client 0");
        assertThat(log.suppressed()).isEqualTo(1999);
        clock.addAndGet(Duration.ofSeconds(10).toNanos());
        log.log(() -> "closing client 2000");
        assertThat(logger.lines()).hasSize(2);
        assertThat(logger.lines().get(1)).startsWith("closing client 2000").contains("1999 more like this");
        assertThat(log.suppressed()).isZero();
    }
}
