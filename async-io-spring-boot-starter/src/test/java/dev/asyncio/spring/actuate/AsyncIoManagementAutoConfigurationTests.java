package dev.asyncio.spring.actuate;

import dev.asyncio.core.ConnectionFunction;
import dev.asyncio.spring.AsyncIoRegistry;
import dev.asyncio.spring.ManagedAcceptingHandle;
import dev.asyncio.spring.actuate.endpoint.AsyncIoEndpoint;
import dev.asyncio.spring.autoconfigure.endpoint.AsyncIoEndpointAutoConfiguration;
import dev.asyncio.spring.actuate.endpoint.AsyncIoEndpointWebExtension;
import dev.asyncio.spring.autoconfigure.health.AsyncIoHealthContributorAutoConfiguration;
import dev.asyncio.spring.actuate.health.AsyncIoHealthIndicator;
import dev.asyncio.spring.autoconfigure.AsyncIoAutoConfiguration;
import dev.asyncio.spring.metrics.AsyncIoMeterBinder;
import dev.asyncio.spring.autoconfigure.metrics.AsyncIoMetricsAutoConfiguration;
import dev.asyncio.spring.test.EchoClient;
import dev.asyncio.spring.test.EchoConnectionFunction;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Conditions of the optional metrics, endpoint and health auto-configurations. */
class AsyncIoManagementAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AsyncIoAutoConfiguration.class,
                AsyncIoMetricsAutoConfiguration.class, AsyncIoEndpointAutoConfiguration.class,
                AsyncIoHealthContributorAutoConfiguration.class))
        .withBean("echoFunction", ConnectionFunction.class, EchoConnectionFunction::new)
        .withPropertyValues("async-io.handles.echo.port=0", "async-io.handles.echo.address=127.0.0.1",
                "async-io.handles.echo.queue-output=true");

    @Test
    void withoutActuatorHealthOrMicrometerTheStarterStillWorks() {
        this.runner
            .withClassLoader(new FilteredClassLoader(MeterRegistry.class, ConditionalOnAvailableEndpoint.class,
                    ConditionalOnEnabledHealthIndicator.class))
            .withPropertyValues("management.endpoints.web.exposure.include=asyncio")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(context).doesNotHaveBean(AsyncIoMeterBinder.class);
                assertThat(context).doesNotHaveBean(AsyncIoEndpoint.class);
                assertThat(context).doesNotHaveBean(AsyncIoHealthIndicator.class);
                assertThat(context.getBean("echo", ManagedAcceptingHandle.class).isOpen()).isTrue();
            });
    }

    @Test
    void noMeterBinderWithoutAMeterRegistry() {
        this.runner.run((context) -> assertThat(context).doesNotHaveBean(AsyncIoMeterBinder.class));
    }

    @Test
    void meterBinderWithAMeterRegistryMeasuresHandlesAndLoops() {
        this.runner.withBean(SimpleMeterRegistry.class).run((context) -> {
            assertThat(context).hasSingleBean(AsyncIoMeterBinder.class);
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            context.getBean(AsyncIoMeterBinder.class).bindTo(meters);
            ManagedAcceptingHandle handle = context.getBean("echo", ManagedAcceptingHandle.class);
            assertThat(meters.get("asyncio.connections.accepted").tags("handle", "echo", "collection", "echo")
                .functionCounter()
                .count()).isZero();
            try (EchoClient client = EchoClient.connect(handle.localPort())) {
                assertThat(client.echo("12345")).isEqualTo("12345");
                await().untilAsserted(() -> {
                    assertThat(meters.get("asyncio.connections.active").tag("handle", "echo").gauge().value())
                        .isEqualTo(1.0);
                    assertThat(meters.get("asyncio.bytes.read").tag("handle", "echo").functionCounter().count())
                        .isEqualTo(5.0);
                    assertThat(meters.get("asyncio.bytes.written").tag("handle", "echo").functionCounter().count())
                        .isEqualTo(5.0);
                });
            }
            assertThat(meters.get("asyncio.loop.tasks.pending").tag("collection", "echo").gauge()).isNotNull();
            assertThat(meters.get("asyncio.bytes.read").meter().getId().getBaseUnit()).isEqualTo("bytes");
            assertThat(meters.get("asyncio.bytes.read").meter().getId().getDescription()).isNotBlank();
            context.getBean(AsyncIoRegistry.class).stop();
            assertThat(meters.find("asyncio.bytes.read").tag("handle", "echo").meters()).isEmpty();
            assertThat(meters.find("asyncio.loop.tasks.pending").meters()).isEmpty();
        });
    }

    @Test
    void endpointNotConfiguredWhenNotExposed() {
        this.runner.run((context) -> assertThat(context).doesNotHaveBean(AsyncIoEndpoint.class));
    }

    @Test
    void endpointConfiguredWhenExposed() {
        this.runner.withPropertyValues("management.endpoints.web.exposure.include=asyncio").run((context) -> {
            assertThat(context).hasSingleBean(AsyncIoEndpoint.class);
            assertThat(context).doesNotHaveBean(AsyncIoEndpointWebExtension.class);
            AsyncIoEndpoint.AsyncIoDescriptor overview = context.getBean(AsyncIoEndpoint.class).overview();
            assertThat(overview.handles()).extracting(AsyncIoEndpoint.HandleDescriptor::name).containsExactly("echo");
        });
    }

    @Test
    void endpointNotConfiguredWhenAccessIsNone() {
        this.runner
            .withPropertyValues("management.endpoints.web.exposure.include=asyncio",
                    "management.endpoint.asyncio.access=NONE")
            .run((context) -> assertThat(context).doesNotHaveBean(AsyncIoEndpoint.class));
    }

    @Test
    void webExtensionInAWebApplication() {
        new WebApplicationContextRunner().withConfiguration(AutoConfigurations.of(AsyncIoAutoConfiguration.class,
                AsyncIoEndpointAutoConfiguration.class))
            .withPropertyValues("management.endpoints.web.exposure.include=asyncio")
            .run((context) -> assertThat(context).hasSingleBean(AsyncIoEndpointWebExtension.class));
    }

    @Test
    void userEndpointBacksOffTheDefault() {
        this.runner.withPropertyValues("management.endpoints.web.exposure.include=asyncio")
            .withBean("myEndpoint", AsyncIoEndpoint.class,
                    () -> new AsyncIoEndpoint(new AsyncIoRegistry(java.util.Map.of()), java.time.Duration.ZERO))
            .run((context) -> {
                assertThat(context).hasSingleBean(AsyncIoEndpoint.class);
                assertThat(context).hasBean("myEndpoint");
            });
    }

    @Test
    void healthIndicatorUpThenOutOfServiceWhenAHandleIsClosed() {
        this.runner.run((context) -> {
            AsyncIoHealthIndicator indicator = context.getBean("asyncioHealthIndicator", AsyncIoHealthIndicator.class);
            Health health = indicator.health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsKeys("collections", "handles");
            context.getBean("echo", ManagedAcceptingHandle.class)
                .close(dev.asyncio.spring.HandleCloseMode.KEEP, java.time.Duration.ZERO);
            assertThat(indicator.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
        });
    }

    @Test
    void healthIndicatorDownWhenALoopThreadDies() {
        // Without the restart, so that the dead loop stays dead (LoopRestartTests covers the restart).
        this.runner.withPropertyValues("async-io.restart-dead-loops=false").run((context) -> {
            AsyncIoHealthIndicator indicator = context.getBean("asyncioHealthIndicator", AsyncIoHealthIndicator.class);
            dev.asyncio.core.WaitStateCollection loop = context.getBean(AsyncIoRegistry.class).collection("echo");
            loop.stopLoop();
            await().until(() -> !loop.isAlive());
            assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN);
        });
    }

    @Test
    void healthIndicatorDisabledByProperty() {
        this.runner.withPropertyValues("management.health.asyncio.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean(AsyncIoHealthIndicator.class));
    }
}
