package dev.asyncio.spring.testsupport;

import dev.asyncio.spring.test.EchoClient;
import dev.asyncio.spring.test.LocalAsyncIoPort;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

import org.springframework.boot.test.context.SpringBootTest;

/**
 * The second {@code @SpringBootTest} class: another configuration (two handles, one on the port the first class's
 * handle is configured with), so Spring caches a second context next to the first; both bind ephemeral ports.
 */
@SpringBootTest(classes = EchoTestApplication.class,
        properties = { "async-io.ephemeral-ports=true", "async-io.handles.echo.port=47391",
                "async-io.handles.echo.address=127.0.0.1", "async-io.handles.echo.queue-output=true",
                "async-io.handles.echo.init-timeout=0s", "async-io.handles.echo.connection-function=echoFunction",
                "async-io.handles.other.port=47392", "async-io.handles.other.address=127.0.0.1",
                "async-io.handles.other.queue-output=true", "async-io.handles.other.init-timeout=0s",
                "async-io.handles.other.connection-function=echoFunction" })
class LocalAsyncIoPortSecondContextTests {

    @Test
    void eachHandleHasItsOwnEphemeralPort(@LocalAsyncIoPort("echo") int echo, @LocalAsyncIoPort("other") long other) {
        assertThat(echo).isPositive().isNotEqualTo(47391);
        assertThat(other).isPositive().isNotEqualTo(echo);
        try (EchoClient a = EchoClient.connect(echo); EchoClient b = EchoClient.connect((int) other)) {
            assertThat(a.echo("one")).isEqualTo("one");
            assertThat(b.echo("two")).isEqualTo("two");
        }
    }
}
