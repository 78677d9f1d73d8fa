package dev.asyncio.spring.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.asyncio.core.AcceptOptions;
import dev.asyncio.core.ConnectionFunction;
import dev.asyncio.core.WaitStateCollection;
import dev.asyncio.spring.AsyncIoConfigurationException;
import dev.asyncio.spring.AsyncIoRegistry;
import dev.asyncio.spring.HandleDefinition;
import dev.asyncio.spring.ManagedAcceptingHandle;
import dev.asyncio.spring.actuate.endpoint.AsyncIoEndpoint;
import dev.asyncio.spring.autoconfigure.endpoint.AsyncIoEndpointAutoConfiguration;
import dev.asyncio.spring.autoconfigure.metrics.AsyncIoMetricsAutoConfiguration;
import dev.asyncio.spring.metrics.AsyncIoMeterBinder;
import dev.asyncio.spring.test.EchoClient;
import dev.asyncio.spring.test.EchoConnectionFunction;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/** Each handle in loops of its own by default, spread over the cores; {@code collection} and {@code loops}. */
class LoopGroupTests {

    private static final int CORES = Runtime.getRuntime().availableProcessors();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AsyncIoAutoConfiguration.class))
        .withBean("echoFunction", ConnectionFunction.class, EchoConnectionFunction::new)
        .withPropertyValues("async-io.handles.echo.port=0", "async-io.handles.echo.address=127.0.0.1",
                "async-io.handles.echo.queue-output=true", "async-io.handles.echo.connection-function=echoFunction");

    private final ApplicationContextRunner two = this.runner.withPropertyValues("async-io.handles.other.port=0",
            "async-io.handles.other.address=127.0.0.1", "async-io.handles.other.queue-output=true",
            "async-io.handles.other.connection-function=echoFunction");

    @Test
    void byDefaultTwoHandlesRunOnDifferentCollectionsAndEachSpreadsOverTheCores() {
        this.two.run((context) -> {
            ManagedAcceptingHandle echo = context.getBean("echo", ManagedAcceptingHandle.class);
            ManagedAcceptingHandle other = context.getBean("other", ManagedAcceptingHandle.class);
            assertThat(names(echo.collections())).isEqualTo(HandleDefinition.groupNames("echo", CORES))
                .hasSize(CORES);
            assertThat(names(other.collections())).isEqualTo(HandleDefinition.groupNames("other", CORES));
            assertThat(echo.collection().name()).isEqualTo("echo");
            assertThat(other.collection()).isNotSameAs(echo.collection());
            assertThat(echo.collections()).doesNotContainAnyElementsOf(other.collections())
                .allSatisfy((c) -> assertThat(c.isAlive()).isTrue());
            assertThat(context.getBean(AsyncIoRegistry.class).collections()).containsAll(echo.collections())
                .containsAll(other.collections());
            if (CORES > 1) {
                assertThat(echo.handle().options().spreadOver()).isEqualTo(echo.collections());
            }
            assertConnectionsSpreadOver(echo, CORES);
        });
    }

    @Test
    void loopsSetsTheGroupSizeAndConnectionsGoRoundRobin() {
        this.runner.withPropertyValues("async-io.handles.echo.loops=3").run((context) -> {
            ManagedAcceptingHandle echo = context.getBean("echo", ManagedAcceptingHandle.class);
            assertThat(names(echo.collections())).containsExactly("echo", "echo-2", "echo-3");
            assertThat(echo.handle().options().spreadOver()).isEqualTo(echo.collections());
            assertThat(context.getBean(AsyncIoRegistry.class).collection("echo-3"))
                .isSameAs(echo.collections().get(2));
            assertConnectionsSpreadOver(echo, 3);
        });
    }

    @Test
    void oneLoopMeansNoSpreading() {
        this.runner.withPropertyValues("async-io.handles.echo.loops=1").run((context) -> {
            ManagedAcceptingHandle echo = context.getBean("echo", ManagedAcceptingHandle.class);
            assertThat(names(echo.collections())).containsExactly("echo");
            assertThat(echo.handle().options().spreadOver()).isEmpty();
            try (EchoClient client = EchoClient.connect(echo.localPort())) {
                assertThat(client.echo("one")).isEqualTo("one");
            }
        });
    }

    @Test
    void aNamedCollectionIsSharedAsBefore() {
        this.two.withPropertyValues("async-io.handles.echo.collection=default",
                "async-io.handles.other.collection=default")
            .run((context) -> {
                ManagedAcceptingHandle echo = context.getBean("echo", ManagedAcceptingHandle.class);
                ManagedAcceptingHandle other = context.getBean("other", ManagedAcceptingHandle.class);
                assertThat(names(echo.collections())).containsExactly("default");
                assertThat(other.collection()).isSameAs(echo.collection());
                assertThat(echo.handle().options().spreadOver()).isEmpty();
                assertThat(names(context.getBean(AsyncIoRegistry.class).collections())).containsExactly("default");
            });
    }

    @Test
    void theDrainCoversEveryCollectionOfTheGroupAndStopEndsTheirThreads() {
        List<WaitStateCollection> group = new ArrayList<>();
        this.runner.withPropertyValues("async-io.handles.echo.loops=2", "async-io.shutdown-quiet-period=0s")
            .run((context) -> {
                ManagedAcceptingHandle echo = context.getBean("echo", ManagedAcceptingHandle.class);
                group.addAll(echo.collections());
                try (EchoClient first = EchoClient.connect(echo.localPort());
                        EchoClient second = EchoClient.connect(echo.localPort())) {
                    assertThat(first.echo("a")).isEqualTo("a");
                    assertThat(second.echo("b")).isEqualTo("b");
                    await().until(() -> group.stream().allMatch((c) -> c.statistics().states() == 1));
                    context.close();
                    // Closed gracefully by the drain, wherever they ran: each peer reads EOF.
                    assertThat(first.input().read()).isEqualTo(-1);
                    assertThat(second.input().read()).isEqualTo(-1);
                }
            });
        assertThat(group).hasSize(2).allSatisfy((c) -> assertThat(c.isAlive()).isFalse());
    }

    @Test
    void meterAndEndpointSeeTheGroup() {
        this.runner.withConfiguration(AutoConfigurations.of(AsyncIoMetricsAutoConfiguration.class,
                AsyncIoEndpointAutoConfiguration.class))
            .withBean(SimpleMeterRegistry.class)
            .withPropertyValues("async-io.handles.echo.loops=2", "management.endpoints.web.exposure.include=asyncio")
            .run((context) -> {
                MeterRegistry meters = context.getBean(MeterRegistry.class);
                context.getBean(AsyncIoMeterBinder.class).bindTo(meters);
                assertThat(meters.get("asyncio.loop.alive").tag("collection", "echo-2").gauge().value()).isOne();
                assertThat(meters.get("asyncio.connections.accepted").tags("handle", "echo", "collection", "echo")
                    .functionCounter()).isNotNull();
                AsyncIoEndpoint endpoint = context.getBean(AsyncIoEndpoint.class);
                AsyncIoEndpoint.HandleDescriptor handle = endpoint.handle("echo", null).handle();
                assertThat(handle.collection()).isEqualTo("echo");
                assertThat(handle.collections()).containsExactly("echo", "echo-2");
                assertThat(endpoint.overview().collections()).extracting(AsyncIoEndpoint.CollectionDescriptor::name)
                    .contains("echo", "echo-2");
            });
    }

    @Test
    void reopenKeepsSpreading() {
        this.runner.withPropertyValues("async-io.handles.echo.loops=2").run((context) -> {
            ManagedAcceptingHandle echo = context.getBean("echo", ManagedAcceptingHandle.class);
            echo.close(dev.asyncio.spring.HandleCloseMode.ABORT, java.time.Duration.ZERO);
            echo.reopen();
            assertThat(echo.handle().options().spreadOver()).isEqualTo(echo.collections());
            assertConnectionsSpreadOver(echo, 2);
        });
    }

    @Test
    void loopsBelowOneFails() {
        this.runner.withPropertyValues("async-io.handles.echo.loops=0")
            .run((context) -> assertFailure(context, "async-io.handles.echo.loops", "must be at least 1"));
    }

    @Test
    void loopsWithASharedCollectionFails() {
        this.runner.withPropertyValues("async-io.handles.echo.collection=default", "async-io.handles.echo.loops=2")
            .run((context) -> assertFailure(context, "async-io.handles.echo.loops", "cannot be above 1"));
        this.runner.withPropertyValues("async-io.handles.echo.collection=default", "async-io.handles.echo.loops=1")
            .run((context) -> assertThat(context).hasNotFailed());
    }

    @Test
    void anUnknownCollectionStillFails() {
        this.runner.withPropertyValues("async-io.handles.echo.collection=nowhere")
            .run((context) -> assertFailure(context, "async-io.handles.echo.collection",
                    "names no configured collection"));
    }

    @Test
    void ownCollectionsClashingWithAConfiguredOneFail() {
        this.runner.withPropertyValues("async-io.collections.echo-2.callback-error-policy=log",
                "async-io.handles.echo.loops=2")
            .run((context) -> assertFailure(context, "async-io.handles.echo.collection", "'echo-2' is a configured"));
    }

    @Test
    void twoHandlesWhoseOwnCollectionsClashFail() {
        this.runner.withPropertyValues("async-io.handles.echo.loops=2", "async-io.handles.echo-2.port=0",
                "async-io.handles.echo-2.loops=1", "async-io.handles.echo-2.connection-function=echoFunction")
            .run((context) -> {
                assertThat(context).hasFailed();
                AsyncIoConfigurationException ex = AsyncIoAutoConfigurationTests
                    .findCause(context.getStartupFailure(), AsyncIoConfigurationException.class);
                assertThat(ex).isNotNull();
                assertThat(ex.getProperty()).isIn("async-io.handles.echo.loops", "async-io.handles.echo-2.loops");
                assertThat(ex.getMessage()).contains("the same collection 'echo-2'");
            });
    }

    @Test
    void loopsIsAKnownProperty() {
        this.runner.withPropertyValues("async-io.fail-on-unknown-properties=true", "async-io.handles.echo.loops=2")
            .run((context) -> assertThat(context).hasNotFailed());
    }

    @Test
    void aHandleDeclaredInCodeMayHaveLoopsOfItsOwnButNotOnASharedCollection() {
        AsyncIoRegistry registry = new AsyncIoRegistry(java.util.Map.of());
        try {
            AcceptOptions options = AcceptOptions.builder().address("127.0.0.1").queueOutput(true).build();
            ManagedAcceptingHandle coded = registry.register(new HandleDefinition("coded", "coded", "0",
                    new EchoConnectionFunction(), options, null, 2));
            assertThat(names(coded.collections())).containsExactly("coded", "coded-2");
            assertThatIllegalArgumentException().isThrownBy(() -> registry.register(new HandleDefinition("shared",
                    AsyncIoRegistry.DEFAULT_COLLECTION, "0", new EchoConnectionFunction(), options, null, 2)))
                .withMessageContaining("cannot spread");
            assertThatIllegalArgumentException().isThrownBy(() -> registry.register(new HandleDefinition("typo",
                    "tpyo", "0", new EchoConnectionFunction(), options, null)))
                .withMessageContaining("No collection named 'tpyo'");
            registry.start();
            assertConnectionsSpreadOver(coded, 2);
        }
        finally {
            registry.stop();
        }
    }

    /** Opens {@code n} connections and checks that each collection of the handle serves exactly one. */
    private static void assertConnectionsSpreadOver(ManagedAcceptingHandle handle, int n) {
        List<EchoClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                EchoClient client = EchoClient.connect(handle.localPort());
                clients.add(client);
                assertThat(client.echo("c" + i)).isEqualTo("c" + i);
            }
            await().untilAsserted(() -> assertThat(handle.collections())
                .allSatisfy((c) -> assertThat(c.statistics().states()).isEqualTo(1)));
            assertThat(Set.copyOf(handle.collections())).hasSize(n);
        }
        finally {
            for (EchoClient client : clients) {
                client.close();
            }
        }
    }

    private static List<String> names(List<WaitStateCollection> collections) {
        return collections.stream().map(WaitStateCollection::name).toList();
    }

    private static void assertFailure(AssertableApplicationContext context, String property, String reason) {
        assertThat(context).hasFailed();
        AsyncIoConfigurationException ex = AsyncIoAutoConfigurationTests.findCause(context.getStartupFailure(),
                AsyncIoConfigurationException.class);
        assertThat(ex).as("AsyncIoConfigurationException in %s", context.getStartupFailure()).isNotNull();
        assertThat(ex.getProperty()).isEqualTo(property);
        assertThat(ex.getMessage()).contains(property).contains(reason);
    }
}
