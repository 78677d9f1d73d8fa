package dev.asyncio.spring.actuate;

import java.util.List;
import java.util.Map;

import dev.asyncio.core.ConnectionFunction;
import dev.asyncio.core.WaitStateCollection;
import dev.asyncio.spring.AsyncIoRegistry;
import dev.asyncio.spring.HandleCloseMode;
import dev.asyncio.spring.LoopWatchdog;
import dev.asyncio.spring.ManagedAcceptingHandle;
import dev.asyncio.spring.actuate.health.AsyncIoHealthIndicator;
import dev.asyncio.spring.autoconfigure.AsyncIoAutoConfiguration;
import dev.asyncio.spring.autoconfigure.health.AsyncIoHealthContributorAutoConfiguration;
import dev.asyncio.spring.autoconfigure.metrics.AsyncIoMetricsAutoConfiguration;
import dev.asyncio.spring.metrics.AsyncIoMeterBinder;
import dev.asyncio.spring.test.EchoClient;
import dev.asyncio.spring.test.EchoConnectionFunction;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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

/** A loop thread that ends while the application runs: health DOWN, then a new loop and the handles re-opened. */
@ExtendWith(OutputCaptureExtension.class)
class LoopRestartTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AsyncIoAutoConfiguration.class,
                AsyncIoMetricsAutoConfiguration.class, AsyncIoHealthContributorAutoConfiguration.class))
        .withBean("echoFunction", ConnectionFunction.class, EchoConnectionFunction::new)
        .withPropertyValues("async-io.handles.echo.port=0", "async-io.handles.echo.address=127.0.0.1",
                "async-io.handles.echo.queue-output=true", "async-io.handles.echo.loops=2");

    /** Restarts by hand: the watchdog is off, so every step is observed. */
    private final ApplicationContextRunner manual = this.runner
        .withPropertyValues("async-io.restart-dead-loops=false");

    @Test
    void aDeadWorkerLoopIsReportedThenReplacedAndTheHandleSpreadsOverLiveLoopsAgain() {
        this.manual.withBean(SimpleMeterRegistry.class).run((context) -> {
            assertThat(context).doesNotHaveBean(LoopWatchdog.class);
            AsyncIoRegistry registry = context.getBean(AsyncIoRegistry.class);
            AsyncIoHealthIndicator health = context.getBean(AsyncIoHealthIndicator.class);
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            context.getBean(AsyncIoMeterBinder.class).bindTo(meters);
            ManagedAcceptingHandle echo = context.getBean("echo", ManagedAcceptingHandle.class);
            int port = echo.localPort();
            WaitStateCollection dead = echo.collections().get(1);
            dead.stopLoop();
            await().until(() -> !dead.isAlive());
            assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
            assertThat(meters.get("asyncio.loop.alive").tag("collection", "echo-2").gauge().value()).isZero();

            assertThat(registry.restartDeadLoops()).isOne();

            WaitStateCollection fresh = echo.collections().get(1);
            assertThat(fresh).isNotSameAs(dead);
            assertThat(fresh.name()).isEqualTo("echo-2");
            assertThat(fresh.isAlive()).isTrue();
            assertThat(fresh.memoryBudget()).isSameAs(registry.memoryBudget());
            assertThat(registry.collections()).contains(fresh).doesNotContain(dead);
            assertThat(registry.restarts(fresh)).isOne();
            assertThat(echo.status()).isEqualTo(ManagedAcceptingHandle.Status.OPEN);
            assertThat(echo.localPort()).isEqualTo(port);
            assertThat(echo.handle().options().spreadOver()).isEqualTo(echo.collections());
            assertOneConnectionOnEach(echo);
            Health after = health.health();
            assertThat(after.getStatus()).isEqualTo(Status.UP);
            assertThat(collectionDetails(after, "echo-2")).containsEntry("restarts", 1).containsEntry("alive", true);
            assertThat(meters.get("asyncio.loop.alive").tag("collection", "echo-2").gauge().value()).isOne();
            assertThat(registry.restartDeadLoops()).isZero();
        });
    }

    @Test
    void aDeadAcceptingLoopIsReplacedAndTheHandleReopensOnItsPort() {
        this.manual.run((context) -> {
            AsyncIoRegistry registry = context.getBean(AsyncIoRegistry.class);
            ManagedAcceptingHandle echo = context.getBean("echo", ManagedAcceptingHandle.class);
            int port = echo.localPort();
            WaitStateCollection dead = echo.collection();
            dead.stopLoop();
            await().until(() -> echo.status() == ManagedAcceptingHandle.Status.FAILED);
            assertThat(registry.restartDeadLoops()).isOne();
            assertThat(echo.collection()).isNotSameAs(dead);
            assertThat(echo.collection().name()).isEqualTo("echo");
            assertThat(echo.status()).isEqualTo(ManagedAcceptingHandle.Status.OPEN);
            assertThat(echo.localPort()).isEqualTo(port);
            try (EchoClient client = EchoClient.connect(port)) {
                assertThat(client.echo("back")).isEqualTo("back");
            }
        });
    }

    @Test
    void aHandleClosedByAnOperatorMovesToTheNewLoopButStaysClosed() {
        this.manual.run((context) -> {
            AsyncIoRegistry registry = context.getBean(AsyncIoRegistry.class);
            ManagedAcceptingHandle echo = context.getBean("echo", ManagedAcceptingHandle.class);
            echo.close(HandleCloseMode.KEEP, java.time.Duration.ZERO);
            WaitStateCollection dead = echo.collection();
            dead.stopLoop();
            await().until(() -> !dead.isAlive());
            assertThat(registry.restartDeadLoops()).isOne();
            assertThat(echo.collection()).isNotSameAs(dead);
            assertThat(echo.status()).isEqualTo(ManagedAcceptingHandle.Status.CLOSED);
            echo.reopen();
            assertThat(echo.handle().collection()).isSameAs(echo.collection());
        });
    }

    @Test
    void byDefaultTheWatchdogRestartsADeadLoopAndSaysSo(CapturedOutput output) {
        this.runner.run((context) -> {
            assertThat(context).hasSingleBean(LoopWatchdog.class);
            ManagedAcceptingHandle echo = context.getBean("echo", ManagedAcceptingHandle.class);
            int port = echo.localPort();
            WaitStateCollection dead = echo.collection();
            dead.stopLoop();
            await().until(() -> echo.collection() != dead && echo.isOpen());
            assertThat(echo.localPort()).isEqualTo(port);
            try (EchoClient client = EchoClient.connect(port)) {
                assertThat(client.echo("watched")).isEqualTo("watched");
            }
            assertThat(output).contains("async-io collection 'echo': its loop thread ended while the application "
                    + "runs; started a new one (restart 1)")
                .contains("async-io handle 'echo' re-opened on port " + port);
        });
    }

    @Test
    void noRestartAfterTheContextStopped() {
        List<WaitStateCollection> group = new java.util.ArrayList<>();
        AsyncIoRegistry[] registry = new AsyncIoRegistry[1];
        this.manual.run((context) -> {
            registry[0] = context.getBean(AsyncIoRegistry.class);
            group.addAll(context.getBean("echo", ManagedAcceptingHandle.class).collections());
        });
        assertThat(group).allSatisfy((c) -> assertThat(c.isAlive()).isFalse());
        assertThat(registry[0].restartDeadLoops()).isZero();
    }

    private static void assertOneConnectionOnEach(ManagedAcceptingHandle handle) {
        try (EchoClient first = EchoClient.connect(handle.localPort());
                EchoClient second = EchoClient.connect(handle.localPort())) {
            assertThat(first.echo("1")).isEqualTo("1");
            assertThat(second.echo("2")).isEqualTo("2");
            await().untilAsserted(() -> assertThat(handle.collections())
                .allSatisfy((c) -> assertThat(c.statistics().states()).isEqualTo(1)));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> collectionDetails(Health health, String name) {
        return ((Map<String, Map<String, Object>>) health.getDetails().get("collections")).get(name);
    }
}
