package dev.asyncio.spring.logging;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fallback of an executable jar, where the JDK cannot see {@link SpringLoggerFinder}: records of the routed JUL
 * loggers go to Commons Logging, also after JUL's shutdown reset; closing puts the JUL loggers back.
 */
@ExtendWith(OutputCaptureExtension.class)
class SystemLoggerRoutingTests {

    @Test
    void whereTheFinderIsInUseNothingIsRouted() {
        try (SystemLoggerRouting routing = SystemLoggerRouting.install()) {
            assertThat(routing.routedLoggers()).isEmpty();
        }
    }

    @Test
    void routedRecordsReachCommonsLoggingAlsoAfterJulsShutdownResetUntilClosed(CapturedOutput output) {
        Logger logger = Logger.getLogger("dev.asyncio.routingtest");
        try (SystemLoggerRouting routing = SystemLoggerRouting.viaJul(List.of("dev.asyncio.routingtest"))) {
            assertThat(routing.routedLoggers()).containsExactly("dev.asyncio.routingtest");
            logger.log(Level.INFO, "routed {0} line", "info");
            assertThat(output).contains("routed info line");
            // What LogManager.reset() does to each logger in JUL's shutdown hook: handlers gone, level unset.
            for (java.util.logging.Handler handler : logger.getHandlers()) {
                logger.removeHandler(handler);
            }
            logger.setLevel(null);
            logger.warning("after the reset");
            assertThat(output).contains("after the reset");
        }
        assertThat(logger.getFilter()).isNull();
        assertThat(logger.getLevel()).isNull();
    }
}
