package dev.asyncio.spring.observation;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.asyncio.core.ConnectionFunction;
import dev.asyncio.core.IoStatus;
import dev.asyncio.spring.ManagedAcceptingHandle;
import dev.asyncio.spring.autoconfigure.AsyncIoAutoConfiguration;
import dev.asyncio.spring.autoconfigure.observation.AsyncIoObservationAutoConfiguration;
import dev.asyncio.spring.test.EchoClient;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.test.simple.SimpleTracer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The connection's observation (and with Micrometer Tracing its span) is current in user code: in the connection
 * function and in every callback of the connection — what puts trace and span ids in their log lines.
 */
class ConnectionTraceContextTests {

    private final SimpleTracer tracer = new SimpleTracer();

    private final ObservationRegistry registry = ObservationRegistry.create();

    private final CompletableFuture<@Nullable Observation> inConnectionFunction = new CompletableFuture<>();

    private final CompletableFuture<@Nullable Span> spanInConnectionFunction = new CompletableFuture<>();

    private final CompletableFuture<@Nullable Observation> inReadCallback = new CompletableFuture<>();

    private final CompletableFuture<@Nullable Span> spanInReadCallback = new CompletableFuture<>();

    private final CompletableFuture<@Nullable Span> spanInClosedCallback = new CompletableFuture<>();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(
                AutoConfigurations.of(AsyncIoObservationAutoConfiguration.class, AsyncIoAutoConfiguration.class))
        .withBean(ObservationRegistry.class, () -> this.registry)
        .withBean("recording", ConnectionFunction.class, () -> this::connected)
        .withPropertyValues("async-io.handles.traced.port=0", "async-io.handles.traced.address=127.0.0.1",
                "async-io.handles.traced.connection-function=recording");

    ConnectionTraceContextTests() {
        this.registry.observationConfig().observationHandler(new DefaultTracingObservationHandler(this.tracer));
    }

    /** A user's connection function: reads one byte, answers it, closes; records what is current at each step. */
    private void connected(dev.asyncio.core.AcceptingHandle handle, dev.asyncio.core.AsyncIoState state) {
        this.inConnectionFunction.complete(this.registry.getCurrentObservation());
        this.spanInConnectionFunction.complete(this.tracer.currentSpan());
        state.readBuffer(new byte[1], (s, buffer, count) -> {
            this.inReadCallback.complete(this.registry.getCurrentObservation());
            this.spanInReadCallback.complete(this.tracer.currentSpan());
            if (s.readStatus() == IoStatus.OK) {
                s.writeBuffer(buffer, 0, count, (w, b, n) -> w.closeGracefully(null,
                        (closed) -> this.spanInClosedCallback.complete(this.tracer.currentSpan())));
            }
        });
    }

    @Test
    void theConnectionsSpanIsCurrentInTheConnectionFunctionAndItsCallbacks() {
        this.runner.run((context) -> {
            ManagedAcceptingHandle handle = context.getBean("traced", ManagedAcceptingHandle.class);
            try (EchoClient client = EchoClient.connect(handle.localPort())) {
                assertThat(client.echo("x")).isEqualTo("x");
            }
            Observation observation = this.inConnectionFunction.get(10, TimeUnit.SECONDS);
            assertThat(observation).isNotNull();
            assertThat(observation.getContext()).isInstanceOf(ConnectionObservationContext.class);
            assertThat(this.inReadCallback.get(10, TimeUnit.SECONDS)).isSameAs(observation);

            Span span = this.spanInConnectionFunction.get(10, TimeUnit.SECONDS);
            assertThat(span).isNotNull();
            assertThat(span.context().traceId()).isNotEmpty();
            Span inRead = this.spanInReadCallback.get(10, TimeUnit.SECONDS);
            assertThat(inRead).isNotNull();
            assertThat(inRead.context().traceId()).isEqualTo(span.context().traceId());
            assertThat(inRead.context().spanId()).isEqualTo(span.context().spanId());
            Span inClosed = this.spanInClosedCallback.get(10, TimeUnit.SECONDS);
            assertThat(inClosed).isNotNull();
            assertThat(inClosed.context().spanId()).isEqualTo(span.context().spanId());

            await().untilAsserted(() -> assertThat(this.tracer.getSpans()).hasSize(1));
            assertThat(this.tracer.onlySpan().getName()).isEqualTo("asyncio connection traced");
            assertThat(this.tracer.currentSpan()).as("nothing leaks to the test thread").isNull();
        });
    }

    @Test
    void withoutTheCallbackScopeOnlyTheConnectionFunctionRunsInTheObservationAndTheSpanIsStillRecorded() {
        this.runner.withPropertyValues("async-io.observation.callback-scope=false").run((context) -> {
            ManagedAcceptingHandle handle = context.getBean("traced", ManagedAcceptingHandle.class);
            try (EchoClient client = EchoClient.connect(handle.localPort())) {
                assertThat(client.echo("x")).isEqualTo("x");
            }
            assertThat(this.inConnectionFunction.get(10, TimeUnit.SECONDS)).isNotNull();
            assertThat(this.inReadCallback.get(10, TimeUnit.SECONDS)).as("no scope per callback").isNull();
            assertThat(this.spanInReadCallback.get(10, TimeUnit.SECONDS)).isNull();
            await().untilAsserted(() -> assertThat(this.tracer.getSpans()).hasSize(1));
            assertThat(this.tracer.onlySpan().getName()).isEqualTo("asyncio connection traced");
        });
    }
}
