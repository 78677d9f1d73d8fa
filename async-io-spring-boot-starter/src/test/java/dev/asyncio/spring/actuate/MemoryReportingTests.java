package dev.asyncio.spring.actuate;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import dev.asyncio.core.ConnectionFunction;
import dev.asyncio.core.OutputLimitExceededException;
import dev.asyncio.spring.ManagedAcceptingHandle;
import dev.asyncio.spring.actuate.endpoint.AsyncIoEndpoint;
import dev.asyncio.spring.actuate.health.AsyncIoHealthIndicator;
import dev.asyncio.spring.autoconfigure.AsyncIoAutoConfiguration;
import dev.asyncio.spring.autoconfigure.endpoint.AsyncIoEndpointAutoConfiguration;
import dev.asyncio.spring.autoconfigure.health.AsyncIoHealthContributorAutoConfiguration;
import dev.asyncio.spring.autoconfigure.metrics.AsyncIoMetricsAutoConfiguration;
import dev.asyncio.spring.metrics.AsyncIoMeterBinder;
import dev.asyncio.spring.test.EchoClient;
import dev.asyncio.spring.test.EchoConnectionFunction;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The memory budget and the accept back-off in meters, health and the endpoint. */
class MemoryReportingTests {

    private static final long MB = 1024 * 1024;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AsyncIoAutoConfiguration.class,
                AsyncIoMetricsAutoConfiguration.class, AsyncIoEndpointAutoConfiguration.class,
                AsyncIoHealthContributorAutoConfiguration.class))
        .withBean("echoFunction", ConnectionFunction.class, EchoConnectionFunction::new)
        .withPropertyValues("async-io.handles.echo.port=0", "async-io.handles.echo.address=127.0.0.1",
                "async-io.handles.echo.queue-output=true", "async-io.memory.hard-limit=1MB",
                "async-io.memory.soft-limit=512KB", "management.endpoints.web.exposure.include=asyncio");

    @Test
    void memoryMetersShowUseLimitsShedAndRefusedWrites() {
        AtomicReference<Throwable> refused = new AtomicReference<>();
        this.runner.withBean(SimpleMeterRegistry.class)
            .withBean("bigFunction", ConnectionFunction.class, () -> (handle, state) -> {
                try {
                    state.writeBuffer(new byte[(int) (2 * MB)], null);
                }
                catch (RuntimeException ex) {
                    refused.set(ex);
                    state.close();
                }
            })
            .withPropertyValues("async-io.handles.big.port=0", "async-io.handles.big.address=127.0.0.1",
                    "async-io.handles.big.connection-function=bigFunction", "async-io.handles.big.max-queued-output=4MB",
                    "async-io.handles.echo.connection-function=echoFunction")
            .run((context) -> {
                MeterRegistry meters = context.getBean(MeterRegistry.class);
                context.getBean(AsyncIoMeterBinder.class).bindTo(meters);
                assertThat(meters.get("asyncio.memory.limit").tag("mark", "hard").gauge().value())
                    .isEqualTo((double) MB);
                assertThat(meters.get("asyncio.memory.limit").tag("mark", "soft").gauge().value())
                    .isEqualTo(512.0 * 1024);
                for (String reason : new String[] { "queued_output", "buffered_input", "tls_buffers" }) {
                    assertThat(meters.get("asyncio.connections.shed").tag("reason", reason).functionCounter().count())
                        .isZero();
                }
                assertThat(meters.get("asyncio.memory.crossings").tag("mark", "hard").functionCounter()).isNotNull();
                ManagedAcceptingHandle echo = context.getBean("echo", ManagedAcceptingHandle.class);
                try (EchoClient client = EchoClient.connect(echo.localPort())) {
                    assertThat(client.echo("held")).isEqualTo("held");
                    await().untilAsserted(() -> {
                        assertThat(meters.get("asyncio.memory.used").gauge().value()).isPositive();
                        assertThat(meters.get("asyncio.connections.memory").tag("handle", "echo").gauge().value())
                            .isPositive();
                    });
                }
                ManagedAcceptingHandle big = context.getBean("big", ManagedAcceptingHandle.class);
                try (EchoClient client = EchoClient.connect(big.localPort())) {
                    await().untilAsserted(() -> assertThat(
                            meters.get("asyncio.memory.refused.writes").functionCounter().count()).isEqualTo(1.0));
                }
                assertThat(refused.get()).isInstanceOf(OutputLimitExceededException.class);
                assertThat(meters.get("asyncio.accept.backoff").tag("handle", "echo").gauge().value()).isZero();
                assertThat(meters.get("asyncio.accept.failures").tag("handle", "echo").functionCounter().count())
                    .isZero();
            });
    }

    @Test
    void aConnectionShedOverTheHardLimitIsCountedByReason() {
        // The soft limit close to the hard one: the input buffer that doubles past both is shed.
        this.runner.withBean(SimpleMeterRegistry.class)
            .withBean("hoarderFunction", ConnectionFunction.class,
                    () -> (handle, state) -> state.readWithChecking((s, buffer, end) -> {
                        // Never discards: everything read stays buffered, charged to the budget.
                    }))
            .withPropertyValues("async-io.memory.hard-limit=2MB", "async-io.memory.soft-limit=1900KB",
                    "async-io.handles.hoarder.port=0", "async-io.handles.hoarder.address=127.0.0.1",
                    "async-io.handles.hoarder.connection-function=hoarderFunction",
                    "async-io.handles.echo.connection-function=echoFunction")
            .run((context) -> {
                MeterRegistry meters = context.getBean(MeterRegistry.class);
                context.getBean(AsyncIoMeterBinder.class).bindTo(meters);
                ManagedAcceptingHandle hoarder = context.getBean("hoarder", ManagedAcceptingHandle.class);
                try (java.net.Socket socket = new java.net.Socket("127.0.0.1", hoarder.localPort())) {
                    socket.setSoTimeout(30_000);
                    try {
                        java.io.OutputStream out = socket.getOutputStream();
                        for (int i = 0; i < 48; i++) {
                            out.write(new byte[64 * 1024]);
                        }
                        out.flush();
                    }
                    catch (java.io.IOException closedByTheServer) {
                        // Shed while we were still sending: what the test is after.
                    }
                    await().untilAsserted(() -> assertThat(
                            meters.get("asyncio.connections.shed").tag("reason", "buffered_input").functionCounter()
                                .count()).isOne());
                }
                assertThat(meters.get("asyncio.memory.crossings").tag("mark", "hard").functionCounter().count())
                    .isGreaterThanOrEqualTo(1.0);
                assertThat(meters.get("asyncio.connections.shed").tag("reason", "queued_output").functionCounter()
                    .count()).isZero();
                AsyncIoEndpoint.MemoryDescriptor memory = context.getBean(AsyncIoEndpoint.class).overview().memory();
                assertThat(memory.shed()).containsEntry("buffered_input", 1L);
                assertThat(memory.hardCrossings()).isPositive();
            });
    }

    @Test
    void healthShowsMemoryAndAcceptBackoffWithoutChangingTheStatus() {
        this.runner.run((context) -> {
            AsyncIoHealthIndicator indicator = context.getBean(AsyncIoHealthIndicator.class);
            ManagedAcceptingHandle echo = context.getBean("echo", ManagedAcceptingHandle.class);
            try (EchoClient client = EchoClient.connect(echo.localPort())) {
                assertThat(client.echo("x")).isEqualTo("x");
                Health health = indicator.health();
                assertThat(health.getStatus()).isEqualTo(Status.UP);
                @SuppressWarnings("unchecked")
                Map<String, Object> memory = (Map<String, Object>) health.getDetails().get("memory");
                assertThat(memory).containsEntry("budget", "async-io")
                    .containsEntry("hardLimit", MB)
                    .containsEntry("softLimit", 512L * 1024)
                    .containsKeys("used", "pressure", "softCrossings", "hardCrossings", "refusedWrites");
                assertThat(memory.get("shed")).isEqualTo(
                        Map.of("queued_output", 0L, "buffered_input", 0L, "tls_buffers", 0L));
                @SuppressWarnings("unchecked")
                Map<String, Map<String, Object>> handles = (Map<String, Map<String, Object>>) health.getDetails()
                    .get("handles");
                assertThat(handles.get("echo")).containsEntry("acceptBackoff", false)
                    .containsEntry("acceptFailures", 0L)
                    .containsKey("memoryUsed");
            }
        });
    }

    @Test
    void endpointListsTheBudgetAndMemoryPerHandle() {
        this.runner.run((context) -> {
            AsyncIoEndpoint endpoint = context.getBean(AsyncIoEndpoint.class);
            ManagedAcceptingHandle echo = context.getBean("echo", ManagedAcceptingHandle.class);
            AsyncIoEndpoint.MemoryDescriptor memory = endpoint.overview().memory();
            assertThat(memory.name()).isEqualTo("async-io");
            assertThat(memory.hardLimit()).isEqualTo(MB);
            assertThat(memory.softLimit()).isEqualTo(512 * 1024);
            assertThat(memory.shed()).containsOnlyKeys("queued_output", "buffered_input", "tls_buffers");
            try (EchoClient client = EchoClient.connect(echo.localPort())) {
                assertThat(client.echo("y")).isEqualTo("y");
                await().untilAsserted(() -> {
                    AsyncIoEndpoint.HandleDescriptor handle = endpoint.handle("echo", null).handle();
                    assertThat(handle.memoryUsed()).isPositive();
                    assertThat(handle.acceptBackoff()).isFalse();
                    assertThat(handle.acceptFailures()).isZero();
                    assertThat(endpoint.overview().memory().used()).isPositive();
                });
            }
        });
    }
}
