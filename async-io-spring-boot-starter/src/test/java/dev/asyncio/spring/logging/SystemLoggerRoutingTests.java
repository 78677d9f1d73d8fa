package dev.asyncio.spring.logging;

import java.util.logging.Logger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fallback of an executable jar, where the JDK cannot see {@link SpringLoggerFinder}: JUL records under
 * {@code dev.asyncio} go to Commons Logging and not to the root logger; closing puts the JUL logger back.
 */
@ExtendWith(OutputCaptureExtension.class)
class SystemLoggerRoutingTests {

    @Test
    void whereTheFinderIsInUseNothingIsHungOnJul() {
        try (SystemLoggerRouting routing = SystemLoggerRouting.install()) {
            assertThat(routing.isViaJul()).isFalse();
        }
    }

    @Test
    void julRecordsOfTheRoutedTreeReachCommonsLoggingUntilClosed(CapturedOutput output) {
        Logger logger = Logger.getLogger("dev.asyncio.routingtest");
        Logger child = Logger.getLogger("dev.asyncio.routingtest.core");
        try (SystemLoggerRouting routing = SystemLoggerRouting.viaJul("dev.asyncio.routingtest")) {
            assertThat(routing.isViaJul()).isTrue();
            assertThat(logger.getUseParentHandlers()).isFalse();
            child.log(java.util.logging.Level.WARNING, "routed {0} line", "one");
            assertThat(output).contains("routed one line");
        }
        assertThat(logger.getUseParentHandlers()).isTrue();
        assertThat(logger.getHandlers()).isEmpty();
        assertThat(logger.getLevel()).isNull();
    }
}
