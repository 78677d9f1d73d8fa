package dev.asyncio.spring.client;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.asyncio.core.client.ClientConnection;
import dev.asyncio.core.client.ClientException;
import dev.asyncio.spring.FrameHandler;
import dev.asyncio.spring.ManagedAsyncIoClient;
import dev.asyncio.spring.actuate.health.AsyncIoClientHealthIndicator;
import dev.asyncio.spring.autoconfigure.AsyncIoAutoConfiguration;
import dev.asyncio.spring.autoconfigure.metrics.AsyncIoMetricsAutoConfiguration;
import dev.asyncio.spring.metrics.AsyncIoClientMeterBinder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * A pool's limits from properties, each seen in the meters and the health details: pending-acquire overflow
 * ({@code pool.max-pending-acquires}), acquire timeout ({@code pool.acquire-timeout}), eviction of an idle connection
 * ({@code pool.idle-timeout}, {@code pool.eviction-interval}).
 */
class ClientPoolLimitsTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AsyncIoAutoConfiguration.class, AsyncIoMetricsAutoConfiguration.class))
        .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .withBean("echo", FrameHandler.class, () -> (connection, frame) -> connection.reply(frame))
        .withPropertyValues("async-io.handles.kv.port=0", "async-io.handles.kv.address=127.0.0.1",
                "async-io.handles.kv.loops=1", "async-io.handles.kv.connection-function=echo",
                "async-io.handles.kv.framing.type=line", "async-io.clients.up.address=handle:kv",
                "async-io.clients.up.framing.type=line", "async-io.clients.up.mode=pool",
                "async-io.clients.up.pool.max-connections=1", "async-io.clients.up.pool.max-pending-acquires=1",
                "async-io.clients.up.pool.acquire-timeout=300ms", "async-io.clients.up.pool.idle-timeout=200ms",
                "async-io.clients.up.pool.eviction-interval=50ms");

    @Test
    void overflowTimeoutAndEvictionShowInMetersAndHealth() {
        this.runner.run((context) -> {
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            context.getBean(AsyncIoClientMeterBinder.class).bindTo(meters);
            ManagedAsyncIoClient client = context.getBean("up", ManagedAsyncIoClient.class);
            AsyncIoClientHealthIndicator health = new AsyncIoClientHealthIndicator(client);

            ClientConnection lease = client.acquire().get(10, TimeUnit.SECONDS);
            CompletableFuture<ClientConnection> waiting = client.acquire();
            CompletableFuture<ClientConnection> overflowing = client.acquire();
            assertThat(kind(overflowing)).isEqualTo(ClientException.Kind.POOL_EXHAUSTED);
            assertThat(kind(waiting)).isEqualTo(ClientException.Kind.ACQUIRE_TIMEOUT);
            assertThat(meters.get("asyncio.client.acquire.failures").tags("client", "up", "reason", "pool-exhausted")
                .counter().count()).isEqualTo(1);
            assertThat(meters.get("asyncio.client.acquire.failures").tags("client", "up", "reason", "acquire-timeout")
                .counter().count()).isEqualTo(1);
            assertThat(health.health().getDetails()).containsEntry("acquireTimeouts", 1L)
                .containsEntry("acquireRejections", 1L)
                .containsEntry("activeConnections", 1);

            lease.release();
            await().atMost(Duration.ofSeconds(10)).until(() -> client.statistics().evictions() >= 1);
            assertThat(meters.get("asyncio.client.pool.evictions").tags("client", "up", "reason", "idle").counter()
                .count()).isGreaterThanOrEqualTo(1);
            assertThat(meters.get("asyncio.client.pool.evictions").tags("client", "up", "reason", "lifetime")
                .counter().count()).isZero();
            assertThat(meters.get("asyncio.client.connections.open").gauge().value()).isZero();
            assertThat(health.health().getDetails()).containsEntry("openConnections", 0)
                .containsEntry("idleConnections", 0);
            assertThat(health.health().getStatus().getCode()).isEqualTo("UP");
        });
    }

    private static ClientException.Kind kind(CompletableFuture<?> future) {
        Throwable failure = catchThrowable(() -> future.get(10, TimeUnit.SECONDS));
        assertThat(failure).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(ClientException.class);
        return ((ClientException) failure.getCause()).kind();
    }
}
