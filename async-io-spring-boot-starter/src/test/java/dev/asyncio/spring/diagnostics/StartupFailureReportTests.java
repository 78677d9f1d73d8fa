package dev.asyncio.spring.diagnostics;

import dev.asyncio.core.ConnectionFunction;
import dev.asyncio.spring.test.EchoConnectionFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/** The report a user sees when a real application fails to start because of an async-io property. */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureReportTests {

    @Test
    void portOutOfRangeIsReportedWithThePropertyAndAnAction(CapturedOutput output) {
        assertThatException().isThrownBy(() -> run("async-io.handles.echo.port=70000"));
        assertThat(output).contains("APPLICATION FAILED TO START")
            .contains("Property: async-io.handles.echo.port")
            .contains("Value: \"70000\"")
            .contains("Set async-io.handles.echo.port to a port from 0 (ephemeral) to 65535.");
    }

    @Test
    void unknownServiceNameIsReportedWithTheProperty(CapturedOutput output) {
        assertThatException().isThrownBy(() -> run("async-io.handles.echo.port=no-such-service-here"));
        assertThat(output).contains("APPLICATION FAILED TO START")
            .contains("Property: async-io.handles.echo.port")
            .contains("unknown tcp service name");
    }

    private static void run(String property) {
        new SpringApplicationBuilder(FailingApplication.class).web(WebApplicationType.NONE)
            .properties(property, "async-io.handles.echo.address=127.0.0.1", "spring.main.banner-mode=off")
            .run()
            .close();
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class FailingApplication {

        @Bean
        ConnectionFunction echoFunction() {
            return new EchoConnectionFunction();
        }
    }
}
