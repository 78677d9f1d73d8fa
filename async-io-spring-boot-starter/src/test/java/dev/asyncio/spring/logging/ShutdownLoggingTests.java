package dev.asyncio.spring.logging;

import dev.asyncio.core.ConnectionFunction;
import dev.asyncio.spring.ManagedAcceptingHandle;
import dev.asyncio.spring.test.EchoClient;
import dev.asyncio.spring.test.EchoConnectionFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.ContextClosedEvent;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Log lines of a graceful shutdown reach Spring Boot's logging after {@link ContextClosedEvent} — when Boot has
 * already removed its bridge from {@code java.util.logging} — because {@link SpringLoggerFinder} routes
 * {@code System.Logger} to Commons Logging.
 */
@ExtendWith(OutputCaptureExtension.class)
class ShutdownLoggingTests {

    private static final String MARKER = "<<ContextClosedEvent published>>";

    @Test
    void systemLoggersComeFromTheStartersFinder() {
        assertThat(System.LoggerFinder.getLoggerFinder()).isInstanceOf(SpringLoggerFinder.class);
        assertThat(System.getLogger("dev.asyncio.core.test")).isInstanceOf(CommonsLoggingSystemLogger.class);
    }

    @Test
    void startAndShutdownLinesAppearAndTheDrainLinesComeAfterContextClosedEvent(CapturedOutput output) {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(EchoApplication.class)
            .web(WebApplicationType.NONE)
            .properties("async-io.handles.echo.port=0", "async-io.handles.echo.address=127.0.0.1",
                    "async-io.handles.echo.queue-output=true", "async-io.shutdown-quiet-period=100ms",
                    "spring.main.banner-mode=off")
            .run();
        ManagedAcceptingHandle echo = context.getBean("echoHandle", ManagedAcceptingHandle.class);
        assertThat(output).contains("async-io handle 'echo' listening on 127.0.0.1:" + echo.localPort()
                + " (collection echo" + loops() + ")");
        try (EchoClient client = EchoClient.connect(echo.localPort())) {
            assertThat(client.echo("before")).isEqualTo("before");
            context.close();
        }
        String all = output.getAll();
        int closed = all.indexOf(MARKER);
        assertThat(closed).isPositive();
        assertThat(all.indexOf("Commencing async-io graceful shutdown")).isGreaterThan(closed);
        assertThat(all.indexOf("Draining 1 async-io connection(s)")).isGreaterThan(closed);
        assertThat(all.indexOf("async-io drain finished")).isGreaterThan(closed);
        assertThat(all.indexOf("1 connection(s) closed when quiet")).isGreaterThan(closed);
        assertThat(all.indexOf("async-io graceful shutdown complete")).isGreaterThan(closed);
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class EchoApplication {

        @Bean
        ConnectionFunction echo() {
            return new EchoConnectionFunction();
        }

        @Bean
        ApplicationListener<ContextClosedEvent> marker() {
            return (event) -> System.out.println(MARKER);
        }
    }

    /** @return what the INFO line says about the loops of a handle with the default {@code loops} */
    private static String loops() {
        int cores = Runtime.getRuntime().availableProcessors();
        return (cores > 1) ? ", connections over " + cores + " loops" : "";
    }
}
