package dev.asyncio.spring.actuate;

import java.util.Map;

import dev.asyncio.core.ConnectionFunction;
import dev.asyncio.spring.AsyncIoRegistry;
import dev.asyncio.spring.ManagedAcceptingHandle;
import dev.asyncio.spring.actuate.health.AsyncIoHealthIndicator;
import dev.asyncio.spring.autoconfigure.AsyncIoAutoConfiguration;
import dev.asyncio.spring.autoconfigure.health.AsyncIoHealthContributorAutoConfiguration;
import dev.asyncio.spring.test.EchoClient;
import dev.asyncio.spring.test.EchoConnectionFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A handle whose listening socket is closed behind its back (by code holding the socket, or by the JDK when a thread
 * is interrupted in an operation on it) accepts nothing, ever: health says so, naming the handle, and the watchdog
 * binds it again on its port.
 */
@ExtendWith(OutputCaptureExtension.class)
class DeadListenerTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AsyncIoAutoConfiguration.class,
                AsyncIoHealthContributorAutoConfiguration.class))
        .withBean("echoFunction", ConnectionFunction.class, EchoConnectionFunction::new)
        .withPropertyValues("async-io.handles.echo.port=0", "async-io.handles.echo.address=127.0.0.1",
                "async-io.handles.echo.queue-output=true");

    @Test
    void aListenerClosedBehindTheHandlesBackIsReportedDownThenBoundAgain() {
        this.runner.withPropertyValues("async-io.restart-dead-loops=false").run((context) -> {
            AsyncIoRegistry registry = context.getBean(AsyncIoRegistry.class);
            AsyncIoHealthIndicator health = context.getBean(AsyncIoHealthIndicator.class);
            ManagedAcceptingHandle echo = context.getBean("echo", ManagedAcceptingHandle.class);
            int port = echo.localPort();
            assertThat(health.health().getStatus()).isEqualTo(Status.UP);

            echo.handle().socket().close();

            Health down = health.health();
            assertThat(down.getStatus()).isEqualTo(Status.DOWN);
            assertThat(handleDetails(down, "echo")).containsEntry("status", "failed")
                .hasEntrySatisfying("error", (error) -> assertThat((String) error).contains("listening socket"));
            assertThat(echo.listenerDied()).isTrue();

            assertThat(registry.reopenDeadListeners()).isOne();
            assertThat(echo.status()).isEqualTo(ManagedAcceptingHandle.Status.OPEN);
            assertThat(echo.localPort()).isEqualTo(port);
            try (EchoClient client = EchoClient.connect(port)) {
                assertThat(client.echo("again")).isEqualTo("again");
            }
            assertThat(health.health().getStatus()).isEqualTo(Status.UP);
            assertThat(registry.reopenDeadListeners()).isZero();
        });
    }

    @Test
    void byDefaultTheWatchdogBindsADeadListenerAgainAndSaysSo(CapturedOutput output) {
        this.runner.run((context) -> {
            ManagedAcceptingHandle echo = context.getBean("echo", ManagedAcceptingHandle.class);
            int port = echo.localPort();
            echo.handle().socket().close();
            await().until(() -> echo.status() == ManagedAcceptingHandle.Status.OPEN && !echo.listenerDied());
            assertThat(echo.localPort()).isEqualTo(port);
            try (EchoClient client = EchoClient.connect(port)) {
                assertThat(client.echo("watched")).isEqualTo("watched");
            }
            assertThat(output).contains("async-io handle 'echo': its listening socket was closed behind its back; "
                    + "bound it again on port " + port);
        });
    }

    @Test
    void aHandleClosedOnPurposeIsNotReopened() {
        this.runner.withPropertyValues("async-io.restart-dead-loops=false").run((context) -> {
            AsyncIoRegistry registry = context.getBean(AsyncIoRegistry.class);
            ManagedAcceptingHandle echo = context.getBean("echo", ManagedAcceptingHandle.class);
            echo.close(dev.asyncio.spring.HandleCloseMode.KEEP, java.time.Duration.ZERO);
            assertThat(echo.listenerDied()).isFalse();
            assertThat(registry.reopenDeadListeners()).isZero();
            assertThat(echo.status()).isEqualTo(ManagedAcceptingHandle.Status.CLOSED);
        });
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> handleDetails(Health health, String name) {
        return ((Map<String, Map<String, Object>>) health.getDetails().get("handles")).get(name);
    }
}
