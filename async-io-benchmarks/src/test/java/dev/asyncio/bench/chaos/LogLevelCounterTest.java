package dev.asyncio.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Counting a Spring Boot console log's ERROR and WARN lines, the way the scenarios judge a log. */
class LogLevelCounterTest {

    private static final String ERROR = "2026-12-07T21:27:54.481Z ERROR 31812 --- [async-io-sample] "
            + "[-25020-Acceptor] org.apache.tomcat.util.net.Acceptor      : Socket accept failed";
    private static final String WARN = "2026-12-07T21:27:54.381Z  WARN 31812 --- [async-io-sample] "
            + "[lection default] dev.asyncio.core.accept                  : accept failed (Too many open files)";
    private static final String INFO = "2026-12-07T21:27:50.000Z  INFO 31812 --- [async-io-sample] [main] "
            + "dev.asyncio.spring : echo listens on 25021; this message mentions ERROR and WARN in its text";

    @Test
    void countsLevelsByTheirColumnNotByTheirText() {
        LogLevelCounter c = LogLevelCounter.count(List.of(INFO, WARN, ERROR, ERROR, INFO));
        assertThat(c.errors()).isEqualTo(2);
        assertThat(c.warnings()).isEqualTo(1);
        assertThat(c.firstErrors()).containsExactly(ERROR, ERROR);
    }

    @Test
    void stackTraceLinesBelongToTheirLogLineButAnUncaughtExceptionCounts() {
        LogLevelCounter c = LogLevelCounter.count(List.of(ERROR,
                "java.io.IOException: Too many open files",
                "\tat java.base/sun.nio.ch.Net.accept(Native Method)",
                "Exception in thread \"worker\" java.lang.OutOfMemoryError: Java heap space"));
        assertThat(c.errors()).isEqualTo(2);
        assertThat(c.outOfMemory()).isEqualTo(1);
    }

    @Test
    void keepsOnlyTheFirstFewErrorsCutShort() {
        String longError = ERROR + "x".repeat(500);
        LogLevelCounter c = LogLevelCounter.count(java.util.Collections.nCopies(20, longError));
        assertThat(c.errors()).isEqualTo(20);
        assertThat(c.firstErrors()).hasSize(5).allSatisfy(l -> assertThat(l).hasSize(303).endsWith("..."));
    }

    @Test
    void anEmptyLogHasNothing() {
        LogLevelCounter c = LogLevelCounter.count(List.of());
        assertThat(c.errors()).isZero();
        assertThat(c.warnings()).isZero();
        assertThat(c.firstErrors()).isEmpty();
    }
}
