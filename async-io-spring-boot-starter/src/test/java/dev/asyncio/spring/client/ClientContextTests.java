package dev.asyncio.spring.client;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.asyncio.core.client.ClientMode;
import dev.asyncio.core.client.ClientState;
import dev.asyncio.spring.AsyncIoClientCustomizer;
import dev.asyncio.spring.AsyncIoClients;
import dev.asyncio.spring.FrameHandler;
import dev.asyncio.spring.ManagedAcceptingHandle;
import dev.asyncio.spring.ManagedAsyncIoClient;
import dev.asyncio.spring.autoconfigure.AsyncIoAutoConfiguration;
import dev.asyncio.spring.autoconfigure.health.AsyncIoClientsHealthContributorAutoConfiguration;
import dev.asyncio.spring.autoconfigure.metrics.AsyncIoMetricsAutoConfiguration;
import dev.asyncio.spring.lifecycle.AsyncIoClientsLifecycle;
import dev.asyncio.spring.metrics.AsyncIoClientMeterBinder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Clients from properties in an application context: a bean per client, the registry, start with the context (after
 * the handles bind) and close with it, a {@code handle:NAME} address reaching a handle of the same context through
 * request/reply, an unreachable service that does not fail start-up, health and meters.
 */
class ClientContextTests {

    /** Answers each line in upper case. */
    private static final FrameHandler UPPER = (connection, frame) -> {
        byte[] bytes = new byte[frame.remaining()];
        frame.get(bytes);
        connection.reply(new String(bytes, StandardCharsets.UTF_8).toUpperCase().getBytes(StandardCharsets.UTF_8));
    };

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AsyncIoAutoConfiguration.class))
        .withBean("upper", FrameHandler.class, () -> UPPER)
        .withPropertyValues("async-io.fail-on-unknown-properties=true", "async-io.handles.kv.port=0",
                "async-io.handles.kv.address=127.0.0.1", "async-io.handles.kv.loops=1",
                "async-io.handles.kv.connection-function=upper", "async-io.handles.kv.framing.type=line");

    @Test
    void aClientReachesAHandleOfTheSameContextThroughRequestAndReply() {
        this.runner.withPropertyValues("async-io.clients.kv-upstream.address=handle:kv",
                "async-io.clients.kv-upstream.framing.type=line")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                ManagedAsyncIoClient client = context.getBean("kv-upstream", ManagedAsyncIoClient.class);
                assertThat(context.getBean(AsyncIoClients.class).clients()).containsExactly(client);
                assertThat(client.mode()).isEqualTo(ClientMode.SHARED);
                // No wait for CONNECTED: a request made during the first connect (started in the background with
                // the context) waits for it.
                byte[] reply = client.request("hello".getBytes(StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
                assertThat(new String(reply, StandardCharsets.UTF_8)).isEqualTo("HELLO");
                int port = context.getBean("kv", ManagedAcceptingHandle.class).localPort();
                assertThat(client.statistics().currentAddress()).endsWith(":" + port);
                assertThat(client.state()).isEqualTo(ClientState.CONNECTED);
            });
    }

    @Test
    void aPooledClientServesConcurrentRequestsEachWithItsOwnReply() {
        this.runner.withPropertyValues("async-io.clients.up.address=handle:kv", "async-io.clients.up.mode=pool",
                "async-io.clients.up.pool.max-connections=3", "async-io.clients.up.framing.type=line")
            .run((context) -> {
                ManagedAsyncIoClient client = context.getBean("up", ManagedAsyncIoClient.class);
                var replies = new java.util.ArrayList<java.util.concurrent.CompletableFuture<byte[]>>();
                for (int i = 0; i < 50; i++) {
                    replies.add(client.request(("r" + i).getBytes(StandardCharsets.UTF_8)));
                }
                for (int i = 0; i < 50; i++) {
                    assertThat(new String(replies.get(i).get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8))
                        .isEqualTo("R" + i);
                }
                assertThat(client.statistics().openConnections()).isBetween(1, 3);
            });
    }

    @Test
    void anUnreachableServiceDoesNotFailStartUpAndTheClientKeepsTrying() throws IOException {
        int port = closedPort();
        this.runner.withPropertyValues("async-io.clients.up.address=127.0.0.1:" + port,
                "async-io.clients.up.reconnect.initial-interval=50ms", "async-io.clients.up.reconnect.max-interval=1s",
                "async-io.clients.up.framing.type=line")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                ManagedAsyncIoClient client = context.getBean("up", ManagedAsyncIoClient.class);
                await().atMost(Duration.ofSeconds(10))
                    .until(() -> client.statistics().connectFailures() >= 2);
                assertThat(client.state()).isIn(ClientState.RECONNECTING, ClientState.CONNECTING);
                assertThat(client.statistics().lastError()).isNotNull();
            });
    }

    @Test
    void clientsStartAfterTheHandlesBindAndCloseWithTheContext() {
        assertThat(AsyncIoClientsLifecycle.PHASE)
            .isGreaterThan(dev.asyncio.spring.lifecycle.AsyncIoStartStopLifecycle.PHASE)
            .isLessThan(dev.asyncio.spring.lifecycle.AsyncIoGracefulShutdownLifecycle.PHASE);
        ManagedAsyncIoClient[] kept = new ManagedAsyncIoClient[1];
        this.runner.withPropertyValues("async-io.clients.up.address=handle:kv", "async-io.clients.up.framing.type=line")
            .run((context) -> {
                kept[0] = context.getBean("up", ManagedAsyncIoClient.class);
                await().atMost(Duration.ofSeconds(10)).until(() -> kept[0].state() == ClientState.CONNECTED);
            });
        assertThat(kept[0].state()).isEqualTo(ClientState.CLOSED);
    }

    @Test
    void aClientNamedLikeAHandleGetsTheBeanNameWithClient() {
        this.runner.withPropertyValues("async-io.clients.kv.address=handle:kv", "async-io.clients.kv.mode=per-use")
            .run((context) -> {
                assertThat(context.getBean("kv")).isInstanceOf(ManagedAcceptingHandle.class);
                assertThat(context.getBean("kvClient", ManagedAsyncIoClient.class).name()).isEqualTo("kv");
            });
    }

    @Test
    void aDisabledClientHasNoBean() {
        this.runner.withPropertyValues("async-io.clients.up.address=handle:kv", "async-io.clients.up.enabled=false")
            .run((context) -> {
                assertThat(context).doesNotHaveBean("up");
                assertThat(context.getBean(AsyncIoClients.class).clients()).isEmpty();
            });
    }

    @Test
    void theStarterSwitchedOffHasNoClients() {
        this.runner.withPropertyValues("async-io.enabled=false", "async-io.clients.up.address=a:1")
            .run((context) -> assertThat(context).doesNotHaveBean(AsyncIoClients.class).doesNotHaveBean("up"));
    }

    @Test
    void customizersAdjustTheCoreOptions() {
        this.runner.withPropertyValues("async-io.clients.up.address=handle:kv", "async-io.clients.up.framing.type=line")
            .withBean(AsyncIoClientCustomizer.class, () -> (name, options) -> options.maxPendingRequests(7))
            .run((context) -> assertThat(context.getBean("up", ManagedAsyncIoClient.class).client().options()
                .maxPendingRequests()).isEqualTo(7));
    }

    @Test
    void aHealthChildPerClientThatNeverConnectsItself() throws IOException {
        int port = closedPort();
        this.runner.withConfiguration(AutoConfigurations.of(AsyncIoClientsHealthContributorAutoConfiguration.class))
            .withPropertyValues("async-io.clients.good.address=handle:kv", "async-io.clients.good.framing.type=line",
                    "async-io.clients.lazy.address=handle:kv", "async-io.clients.lazy.mode=pool",
                    "async-io.clients.bad.address=127.0.0.1:" + port,
                    "async-io.clients.bad.reconnect.initial-interval=50ms")
            .run((context) -> {
                CompositeHealthContributor health = context.getBean("asyncioClientsHealthContributor",
                        CompositeHealthContributor.class);
                HealthIndicator good = (HealthIndicator) health.getContributor("good");
                HealthIndicator lazy = (HealthIndicator) health.getContributor("lazy");
                HealthIndicator bad = (HealthIndicator) health.getContributor("bad");
                await().atMost(Duration.ofSeconds(10)).until(() -> good.health().getStatus().equals(Status.UP));
                await().atMost(Duration.ofSeconds(10)).until(() -> bad.health().getStatus().equals(Status.DOWN));
                assertThat(bad.health().getDetails()).containsKeys("lastError", "consecutiveFailures", "addresses");
                assertThat(good.health().getDetails()).containsEntry("state", "connected")
                    .containsEntry("openConnections", 1);
                // A pool connects on first use; asking its health must not open a connection.
                assertThat(lazy.health().getStatus()).isEqualTo(Status.UP);
                assertThat(lazy.health().getDetails()).containsEntry("openConnections", 0)
                    .containsEntry("connectAttempts", 0L);
                ManagedAsyncIoClient goodClient = context.getBean("good", ManagedAsyncIoClient.class);
                goodClient.disconnect();
                await().atMost(Duration.ofSeconds(10))
                    .until(() -> good.health().getStatus().equals(Status.OUT_OF_SERVICE));
            });
    }

    @Test
    void noClientsNoClientHealthNorMeters() {
        this.runner
            .withConfiguration(AutoConfigurations.of(AsyncIoClientsHealthContributorAutoConfiguration.class,
                    AsyncIoMetricsAutoConfiguration.class))
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
            .run((context) -> assertThat(context).doesNotHaveBean("asyncioClientsHealthContributor")
                .doesNotHaveBean(AsyncIoClientMeterBinder.class));
        this.runner.withConfiguration(AutoConfigurations.of(AsyncIoClientsHealthContributorAutoConfiguration.class))
            .withPropertyValues("async-io.clients.up.address=a:1", "management.health.asyncio-clients.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean("asyncioClientsHealthContributor"));
    }

    @Test
    void metersCountConnectsRequestsAndPoolGauges() {
        this.runner.withConfiguration(AutoConfigurations.of(AsyncIoMetricsAutoConfiguration.class))
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
            .withPropertyValues("async-io.clients.up.address=handle:kv", "async-io.clients.up.mode=pool",
                    "async-io.clients.up.framing.type=line")
            .run((context) -> {
                MeterRegistry meters = context.getBean(MeterRegistry.class);
                context.getBean(AsyncIoClientMeterBinder.class).bindTo(meters);
                ManagedAsyncIoClient client = context.getBean("up", ManagedAsyncIoClient.class);
                client.request("a".getBytes(StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
                await().atMost(Duration.ofSeconds(10)).until(() -> meters.find("asyncio.client.requests")
                    .tags("client", "up", "outcome", "success").timer().count() >= 1);
                assertThat(meters.get("asyncio.client.connect").tags("client", "up", "outcome", "success").timer()
                    .count()).isGreaterThanOrEqualTo(1);
                assertThat(meters.get("asyncio.client.acquire").tag("client", "up").timer().count())
                    .isGreaterThanOrEqualTo(1);
                await().atMost(Duration.ofSeconds(10))
                    .until(() -> meters.get("asyncio.client.pool.idle").tag("client", "up").gauge().value() == 1.0);
                assertThat(meters.get("asyncio.client.connections.open").tag("client", "up").gauge().value())
                    .isEqualTo(1.0);
                assertThat(meters.get("asyncio.client.pool.pending").gauge().value()).isZero();
                assertThat(meters.get("asyncio.client.replies.late").functionCounter().count()).isZero();
            });
    }

    @Test
    void aClientMovesToTheNewLoopWhenItsLoopDiedAndWasRestarted() {
        this.runner.withPropertyValues("async-io.restart-dead-loops=false", "async-io.clients.up.address=handle:kv",
                "async-io.clients.up.framing.type=line")
            .run((context) -> {
                ManagedAsyncIoClient client = context.getBean("up", ManagedAsyncIoClient.class);
                await().atMost(Duration.ofSeconds(10)).until(() -> client.state() == ClientState.CONNECTED);
                var dead = client.client().collection();
                assertThat(dead.name()).isEqualTo("default");
                dead.stopLoop();
                await().atMost(Duration.ofSeconds(10)).until(() -> !dead.isAlive());
                context.getBean(dev.asyncio.spring.AsyncIoRegistry.class).restartDeadLoops();
                assertThat(client.client().collection()).isNotSameAs(dead);
                assertThat(client.client().collection().isAlive()).isTrue();
                await().atMost(Duration.ofSeconds(10)).until(() -> client.state() == ClientState.CONNECTED);
                byte[] reply = client.request("again".getBytes(StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
                assertThat(reply).asString(StandardCharsets.UTF_8).isEqualTo("AGAIN");
            });
    }

    /** @return a port nothing listens on (bound, then closed) */
    static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
