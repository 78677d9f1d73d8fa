package dev.asyncio.spring.diagnostics;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;

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
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * The start-up reports of a real {@code SpringApplication} for the failures that used to mislead (issue 22): each
 * names the property and the fix.
 */
@ExtendWith(OutputCaptureExtension.class)
class StarterFailureReportTests {

    @Test
    void aConnectionFunctionNamedLikeItsHandleButMissingIsReportedAsMissing(CapturedOutput output) {
        assertThatException().isThrownBy(() -> run(NoFunctionApplication.class, WebApplicationType.NONE,
                "async-io.handles.echo.port=0", "async-io.handles.echo.address=127.0.0.1",
                "async-io.handles.echo.connection-function=echo"));
        assertThat(output).contains("APPLICATION FAILED TO START")
            .contains("Property: async-io.handles.echo.connection-function")
            .contains("names no ConnectionFunction bean: 'echo' is the bean of the async-io handle itself")
            .contains("there is no ConnectionFunction bean")
            .contains("Declare a dev.asyncio.core.ConnectionFunction bean named 'echo'")
            .doesNotContain("which is not a");
    }

    @Test
    void aHandleOnTheWebServersPortIsReportedWithBothProperties(CapturedOutput output) throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        // Fails while the context refreshes, before the web server or the handle binds anything.
        int configured = port;
        assertThatException().isThrownBy(() -> run(EchoApplication.class, WebApplicationType.SERVLET,
                "server.port=" + configured, "server.address=127.0.0.1", "async-io.handles.echo.port=" + configured,
                "async-io.handles.echo.address=127.0.0.1"));
        assertThat(output).contains("APPLICATION FAILED TO START")
            .contains("Property: async-io.handles.echo.port")
            .contains("is also server.port: the application's embedded web server listens on port " + port)
            .contains("Give async-io.handles.echo.port another port than server.port")
            .doesNotContain("Web server failed to start");
    }

    @Test
    void aPortHeldByALiveServerFailsAtOnceWithTheDefaultInitTimeout(CapturedOutput output) throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = busy.getLocalPort();
            // The default init-timeout (60s) is not waited for: the holder accepts connections.
            assertThatException().isThrownBy(() -> run(EchoApplication.class, WebApplicationType.NONE,
                    "async-io.handles.echo.port=" + port, "async-io.handles.echo.address=127.0.0.1"));
            assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("async-io handle 'echo' failed to start. Port " + port + " was already in use.")
                .contains("Held by: a process that accepts connections on port " + port)
                .contains("Retried for: 0s");
        }
    }

    @Test
    void aTypoInAnEnvironmentVariableIsReportedUnderTheVariable(CapturedOutput output) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources()
            .replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                    new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                            Map.of("ASYNC_IO_HANDLES_ECHO_READTIMOUT", "5s")));
        assertThatException().isThrownBy(() -> new SpringApplicationBuilder(EchoApplication.class)
            .web(WebApplicationType.NONE)
            .environment(environment)
            .properties("async-io.handles.echo.port=0", "async-io.handles.echo.address=127.0.0.1",
                    "async-io.fail-on-unknown-properties=true", "spring.main.banner-mode=off")
            .run()
            .close());
        assertThat(output).contains("APPLICATION FAILED TO START")
            .contains("Property: ASYNC_IO_HANDLES_ECHO_READTIMOUT (environment variable)")
            .contains("did you mean async-io.handles.echo.read-timeout (ASYNC_IO_HANDLES_ECHO_READTIMEOUT)?");
    }

    private static void run(Class<?> application, WebApplicationType web, String... properties) {
        new SpringApplicationBuilder(application).web(web)
            .properties(properties)
            .properties("spring.main.banner-mode=off")
            .run()
            .close();
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class EchoApplication {

        @Bean
        ConnectionFunction echoFunction() {
            return new EchoConnectionFunction();
        }
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class NoFunctionApplication {

    }
}
