package dev.asyncio.spring.testsupport;

import dev.asyncio.spring.ManagedAcceptingHandle;
import dev.asyncio.spring.test.EchoClient;
import dev.asyncio.spring.test.LocalAsyncIoPort;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The first of two {@code @SpringBootTest} classes with different configurations in one build: both configure the
 * same fixed port, and {@code async-io.ephemeral-ports=true} lets their cached contexts live side by side (with
 * {@code init-timeout: 0s}, a clash would fail at once instead of retrying for a minute).
 */
@SpringBootTest(classes = EchoTestApplication.class,
        properties = { "async-io.ephemeral-ports=true", "async-io.handles.echo.port=47391",
                "async-io.handles.echo.address=127.0.0.1", "async-io.handles.echo.queue-output=true",
                "async-io.handles.echo.init-timeout=0s", "async-io.handles.echo.connection-function=echoFunction" })
class LocalAsyncIoPortFieldAndParameterTests {

    @LocalAsyncIoPort("echo")
    private int port;

    @Value("${local.async-io.handles.echo.port}")
    private int portFromProperty;

    @Autowired
    @Qualifier("echo")
    private ManagedAcceptingHandle echo;

    @Test
    void fieldHoldsTheBoundEphemeralPort() {
        assertThat(this.port).isEqualTo(this.echo.localPort()).isNotEqualTo(47391).isPositive();
        assertThat(this.portFromProperty).isEqualTo(this.port);
        try (EchoClient client = EchoClient.connect(this.port)) {
            assertThat(client.echo("field")).isEqualTo("field");
        }
    }

    @Test
    void parameterHoldsTheBoundPort(@LocalAsyncIoPort("echo") int parameter, @LocalAsyncIoPort("echo") String text) {
        assertThat(parameter).isEqualTo(this.echo.localPort());
        assertThat(text).isEqualTo(Integer.toString(parameter));
    }
}
