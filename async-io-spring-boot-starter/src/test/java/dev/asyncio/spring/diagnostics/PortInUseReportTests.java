package dev.asyncio.spring.diagnostics;

import java.net.InetAddress;
import java.net.ServerSocket;

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

/** The report a real application prints when a configured handle's port stays in use. */
@ExtendWith(OutputCaptureExtension.class)
class PortInUseReportTests {

    @Test
    void busyPortIsReportedAsAPortInUseNamingThePropertiesToChange(CapturedOutput output) throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = busy.getLocalPort();
            assertThatException().isThrownBy(() -> new SpringApplicationBuilder(EchoApplication.class)
                .web(WebApplicationType.NONE)
                .properties("async-io.handles.echo.port=" + port, "async-io.handles.echo.address=127.0.0.1",
                        "async-io.handles.echo.init-timeout=0s", "spring.main.banner-mode=off")
                .run()
                .close());
            assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("async-io handle 'echo' failed to start. Port " + port + " was already in use.")
                .contains("Property: async-io.handles.echo.port")
                .contains("Retried for: 0s (async-io.handles.echo.init-timeout)")
                .contains("Identify and stop the process that is listening on port " + port);
        }
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class EchoApplication {

        @Bean
        ConnectionFunction echoFunction() {
            return new EchoConnectionFunction();
        }
    }
}
