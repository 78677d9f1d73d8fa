package dev.asyncio.spring.observation;

import dev.asyncio.core.ConnectionFunction;
import dev.asyncio.spring.ManagedAcceptingHandle;
import dev.asyncio.spring.autoconfigure.AsyncIoAutoConfiguration;
import dev.asyncio.spring.autoconfigure.observation.AsyncIoObservationAutoConfiguration;
import dev.asyncio.spring.test.EchoClient;
import dev.asyncio.spring.test.EchoConnectionFunction;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The {@code asyncio.connection} observation and the connection-duration timer it gives. */
class ConnectionObservationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(
                AutoConfigurations.of(AsyncIoObservationAutoConfiguration.class, AsyncIoAutoConfiguration.class))
        .withBean("echoFunction", ConnectionFunction.class, EchoConnectionFunction::new)
        .withPropertyValues("async-io.handles.echo.port=0", "async-io.handles.echo.address=127.0.0.1",
                "async-io.handles.echo.queue-output=true");

    @Test
    void eachConnectionIsOneObservationWithBoundedTagsAndThePeerAsHighCardinality() {
        TestObservationRegistry registry = TestObservationRegistry.create();
        this.runner.withBean(ObservationRegistry.class, () -> registry).run((context) -> {
            ManagedAcceptingHandle echo = context.getBean("echo", ManagedAcceptingHandle.class);
            int clientPort;
            try (EchoClient client = EchoClient.connect(echo.localPort())) {
                assertThat(client.echo("observed")).isEqualTo("observed");
                clientPort = client.localPort();
            }
            await().untilAsserted(() -> TestObservationRegistryAssert.assertThat(registry)
                .hasObservationWithNameEqualTo("asyncio.connection")
                .that()
                .hasBeenStarted()
                .hasBeenStopped()
                .hasContextualNameEqualTo("asyncio connection echo")
                .hasLowCardinalityKeyValue("handle", "echo")
                .hasLowCardinalityKeyValue("collection", "echo")
                .hasLowCardinalityKeyValue("outcome", "ok")
                .hasHighCardinalityKeyValue("peer.address", "127.0.0.1:" + clientPort)
                .doesNotHaveLowCardinalityKeyValueWithKey("peer.address"));
        });
    }

    @Test
    void noObservationsWithoutAnObservationRegistry() {
        this.runner.run((context) -> assertThat(context).doesNotHaveBean(ObservingHandleCustomizer.class));
        this.runner.withClassLoader(new FilteredClassLoader(ObservationRegistry.class))
            .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ObservingHandleCustomizer.class));
    }

    @Test
    void connectionDurationHistogramThroughBootsDistributionProperties() {
        this.runner
            .withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class,
                    MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
                    SimpleMetricsExportAutoConfiguration.class))
            .withPropertyValues(
                    // The simple registry of this test keeps SLO buckets only; a Prometheus registry would also take
                    // percentiles-histogram.asyncio.connection=true.
                    "management.metrics.distribution.slo.asyncio.connection=10ms,100ms,1s,10s")
            .run((context) -> {
                ManagedAcceptingHandle echo = context.getBean("echo", ManagedAcceptingHandle.class);
                try (EchoClient client = EchoClient.connect(echo.localPort())) {
                    assertThat(client.echo("timed")).isEqualTo("timed");
                }
                MeterRegistry meters = context.getBean(MeterRegistry.class);
                await().until(() -> meters.find("asyncio.connection").tag("outcome", "ok").timer() != null);
                Timer timer = meters.get("asyncio.connection").tags("handle", "echo", "collection", "echo").timer();
                assertThat(timer.count()).isOne();
                assertThat(timer.takeSnapshot().histogramCounts()).hasSize(4);
            });
    }
}
