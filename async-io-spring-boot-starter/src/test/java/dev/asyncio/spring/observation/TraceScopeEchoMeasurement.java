package dev.asyncio.spring.observation;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.asyncio.core.ConnectionFunction;
import dev.asyncio.spring.ManagedAcceptingHandle;
import dev.asyncio.spring.autoconfigure.AsyncIoAutoConfiguration;
import dev.asyncio.spring.autoconfigure.observation.AsyncIoObservationAutoConfiguration;
import dev.asyncio.spring.test.EchoConnectionFunction;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.test.simple.SimpleTracer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Not a test: a measurement of what the connection's callback scope costs, run by hand with
 * {@code -Dtest=TraceScopeEchoMeasurement -Dasyncio.measure=true}. Echo round trips (32 bytes) on one connection
 * against three handles: no ObservationRegistry (no scope), a registry with only the metrics handler (the scope is
 * opened and closed around every read callback, nothing is traced), and a registry with a tracer (the span is made
 * current around every callback). Prints msgs/s per run and the median; asserts nothing.
 */
@EnabledIfSystemProperty(named = "asyncio.measure", matches = "true")
class TraceScopeEchoMeasurement {

    private static final int ROUND_TRIPS = Integer.getInteger("asyncio.measure.roundTrips", 20_000);

    private static final int RUNS = Integer.getInteger("asyncio.measure.runs", 7);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(
                AutoConfigurations.of(AsyncIoObservationAutoConfiguration.class, AsyncIoAutoConfiguration.class))
        .withBean("echoFunction", ConnectionFunction.class, EchoConnectionFunction::new)
        .withPropertyValues("async-io.handles.echo.port=0", "async-io.handles.echo.address=127.0.0.1",
                "async-io.handles.echo.queue-output=true", "async-io.handles.echo.loops=1");

    @Test
    void measure() throws Exception {
        ObservationRegistry metricsOnly = ObservationRegistry.create();
        metricsOnly.observationConfig().observationHandler(new DefaultMeterObservationHandler(new SimpleMeterRegistry()));
        ObservationRegistry tracing = ObservationRegistry.create();
        tracing.observationConfig()
            .observationHandler(new DefaultTracingObservationHandler(new SimpleTracer()))
            .observationHandler(new DefaultMeterObservationHandler(new SimpleMeterRegistry()));
        this.runner.run((none) -> this.runner.withBean(ObservationRegistry.class, () -> metricsOnly)
            .run((metrics) -> this.runner.withBean(ObservationRegistry.class, () -> tracing)
                .run((traced) -> measure(Map.of("no observation registry", none, "observation, metrics only", metrics,
                        "observation + tracing", traced)))));
    }

    private static void measure(Map<String, ConfigurableApplicationContext> contexts) throws IOException {
        Map<String, List<Double>> rates = new LinkedHashMap<>();
        List<String> names = List.of("no observation registry", "observation, metrics only", "observation + tracing");
        for (int run = -1; run < RUNS; run++) {
            for (String name : names) {
                int port = contexts.get(name).getBean("echo", ManagedAcceptingHandle.class).localPort();
                double rate = roundTrips(port);
                if (run >= 0) {
                    rates.computeIfAbsent(name, (n) -> new ArrayList<>()).add(rate);
                }
            }
        }
        rates.forEach((name, list) -> {
            double[] sorted = list.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            System.out.printf("MEASURE %-28s median %8.0f msgs/s  runs %s%n", name, sorted[sorted.length / 2],
                    Arrays.toString(list.stream().mapToLong(Math::round).toArray()));
        });
    }

    private static double roundTrips(int port) throws IOException {
        byte[] message = new byte[32];
        Arrays.fill(message, (byte) 'x');
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            long started = System.nanoTime();
            for (int i = 0; i < ROUND_TRIPS; i++) {
                out.write(message);
                in.readNBytes(message.length);
            }
            return ROUND_TRIPS / ((System.nanoTime() - started) / 1e9);
        }
    }
}
