package dev.asyncio.spring.autoconfigure;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;

import dev.asyncio.core.AcceptOptions;
import dev.asyncio.core.ConnectionFunction;
import dev.asyncio.spring.AsyncIoConfigurationException;
import dev.asyncio.spring.AsyncIoPortInUseException;
import dev.asyncio.spring.AsyncIoRegistry;
import dev.asyncio.spring.HandleDefinition;
import dev.asyncio.spring.ManagedAcceptingHandle;
import dev.asyncio.spring.diagnostics.PortInUseFailureAnalyzer;
import dev.asyncio.spring.test.EchoClient;
import dev.asyncio.spring.test.EchoConnectionFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What start-up says when something is wrong (every failure names the property), and the switches of issue 12:
 * published ports, ephemeral ports in tests, unknown keys.
 */
@ExtendWith(OutputCaptureExtension.class)
class AsyncIoStartupReportTests {

    private final ApplicationContextRunner echo = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AsyncIoAutoConfiguration.class))
        .withBean("echoFunction", ConnectionFunction.class, EchoConnectionFunction::new)
        .withPropertyValues("async-io.handles.echo.port=0", "async-io.handles.echo.address=127.0.0.1",
                "async-io.handles.echo.connection-function=echoFunction", "async-io.handles.echo.queue-output=true");

    @Test
    void boundPortIsPublishedAsLocalPropertyAndAgainOnReopen() {
        this.echo.run((context) -> {
            ManagedAcceptingHandle handle = context.getBean("echo", ManagedAcceptingHandle.class);
            String property = "local.async-io.handles.echo.port";
            assertThat(context.getEnvironment().getProperty(property, Integer.class)).isEqualTo(handle.localPort());
            handle.close(dev.asyncio.spring.HandleCloseMode.KEEP, java.time.Duration.ZERO);
            handle.reopen();
            assertThat(context.getEnvironment().getProperty(property, Integer.class)).isEqualTo(handle.localPort());
        });
    }

    @Test
    void startLogsOneInfoLinePerBoundHandle(CapturedOutput output) {
        this.echo.run((context) -> {
            int port = context.getBean("echo", ManagedAcceptingHandle.class).localPort();
            assertThat(output).contains("async-io handle 'echo' listening on 127.0.0.1:" + port
                    + " (collection echo" + loops() + ")");
        });
    }

    @Test
    void ephemeralPortsSwitchBindsPortZeroWhateverThePortSays() throws IOException {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            this.echo
                .withPropertyValues("async-io.ephemeral-ports=true", "async-io.handles.echo.port=" + busy.getLocalPort(),
                        "async-io.handles.echo.init-timeout=0s")
                .run((context) -> {
                    assertThat(context).hasNotFailed();
                    ManagedAcceptingHandle handle = context.getBean("echo", ManagedAcceptingHandle.class);
                    assertThat(handle.localPort()).isPositive().isNotEqualTo(busy.getLocalPort());
                    try (EchoClient client = EchoClient.connect(handle.localPort())) {
                        assertThat(client.echo("ephemeral")).isEqualTo("ephemeral");
                    }
                });
        }
    }

    @Test
    void badEnumValueIsReportedNamingThePropertyAlsoWhenTheHandleIsInjected() {
        this.echo.withUserConfiguration(InjectingConfiguration.class)
            .withPropertyValues("async-io.handles.echo.ipv6=sometimes")
            .run((context) -> assertBindFailure(context.getStartupFailure(), "async-io.handles.echo.ipv6"));
    }

    @Test
    void badNumberIsReportedNamingThePropertyAlsoWhenTheHandleIsInjected() {
        this.echo.withUserConfiguration(InjectingConfiguration.class)
            .withPropertyValues("async-io.handles.echo.backlog=abc")
            .run((context) -> assertBindFailure(context.getStartupFailure(), "async-io.handles.echo.backlog"));
    }

    @Test
    void badTopLevelValueIsReportedNamingThePropertyAlsoWhenTheHandleIsInjected() {
        this.echo.withUserConfiguration(InjectingConfiguration.class)
            .withPropertyValues("async-io.shutdown=later")
            .run((context) -> assertBindFailure(context.getStartupFailure(), "async-io.shutdown"));
    }

    @Test
    void badClientAuthIsReportedNamingTheProperty() {
        this.echo.withPropertyValues("async-io.handles.echo.tls.client-auth=sometimes")
            .run((context) -> assertBindFailure(context.getStartupFailure(), "async-io.handles.echo.tls.client-auth"));
    }

    @Test
    void twoHandlesOnOnePortAreBothNamed() {
        this.echo
            .withPropertyValues("async-io.handles.echo.port=47311", "async-io.handles.second.port=47311",
                    "async-io.handles.second.connection-function=echoFunction")
            .run((context) -> {
                AsyncIoConfigurationException ex = AsyncIoAutoConfigurationTests
                    .findCause(context.getStartupFailure(), AsyncIoConfigurationException.class);
                assertThat(ex).isNotNull();
                assertThat(ex.getProperty()).isEqualTo("async-io.handles.second.port");
                assertThat(ex.getMessage()).contains("async-io.handles.echo.port").contains("'echo' and 'second'");
                assertThat(ex.getAction()).contains("async-io.handles.echo.port")
                    .contains("async-io.handles.second.port");
            });
    }

    @Test
    void busyPortHeldByALiveServerFailsAtOnceWithAPortInUseReport(CapturedOutput output) throws IOException {
        // A listening socket accepts the probe's connection: a live server, not waited for (PortBinderTests has the
        // WARN lines of a port whose holder is closing).
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = busy.getLocalPort();
            this.echo
                .withPropertyValues("async-io.handles.echo.port=" + port, "async-io.handles.echo.init-timeout=1s")
                .run((context) -> {
                    AsyncIoPortInUseException ex = AsyncIoAutoConfigurationTests
                        .findCause(context.getStartupFailure(), AsyncIoPortInUseException.class);
                    assertThat(ex).isNotNull();
                    assertThat(ex.isLiveListener()).isTrue();
                    assertThat(ex.getProperty()).isEqualTo("async-io.handles.echo.port");
                    FailureAnalysis analysis = new PortInUseFailureAnalyzer().analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription())
                        .contains("async-io handle 'echo' failed to start. Port " + port + " was already in use.")
                        .contains("Property: async-io.handles.echo.port")
                        .contains("(async-io.handles.echo.init-timeout)");
                    assertThat(analysis.getAction()).contains("stop the process that is listening on port " + port);
                });
        }
    }

    @Test
    void portHeldByAnotherHandleOfTheApplicationNamesThatHandleAtOnce() {
        this.echo.run((context) -> {
            int port = context.getBean("echo", ManagedAcceptingHandle.class).localPort();
            AsyncIoRegistry registry = context.getBean(AsyncIoRegistry.class);
            HandleDefinition late = new HandleDefinition("late", AsyncIoRegistry.DEFAULT_COLLECTION,
                    Integer.toString(port), new EchoConnectionFunction(),
                    AcceptOptions.builder().address("127.0.0.1").build(), "async-io.handles.late");
            assertThatExceptionOfType(AsyncIoPortInUseException.class).isThrownBy(() -> registry.register(late))
                .satisfies((ex) -> {
                    assertThat(ex.getHolder()).isEqualTo("echo");
                    assertThat(ex.getMessage()).contains("async-io.handles.echo.port");
                });
        });
    }

    @Test
    void unknownKeyIsAWarningWithTheNearestKnownKey(CapturedOutput output) {
        this.echo.withPropertyValues("async-io.handles.echo.read-timout=1s", "async-io.shutdown-quiet-periode=1s")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(output)
                    .contains("async-io.handles.echo.read-timout is not a known property; did you mean read-timeout?")
                    .contains("async-io.shutdown-quiet-periode is not a known property; did you mean "
                            + "shutdown-quiet-period?");
            });
    }

    @Test
    void unknownKeyFailsStartUpWhenAsked() {
        this.echo
            .withPropertyValues("async-io.handles.echo.read-timout=1s", "async-io.fail-on-unknown-properties=true")
            .run((context) -> {
                AsyncIoConfigurationException ex = AsyncIoAutoConfigurationTests
                    .findCause(context.getStartupFailure(), AsyncIoConfigurationException.class);
                assertThat(ex).isNotNull();
                assertThat(ex.getProperty()).isEqualTo("async-io.handles.echo.read-timout");
                assertThat(ex.getMessage()).contains("did you mean read-timeout?");
            });
    }

    @Test
    void everyDocumentedKeyIsKnown() {
        this.echo
            .withPropertyValues("async-io.fail-on-unknown-properties=true", "async-io.ephemeral-ports=false",
                    "async-io.shutdown=graceful", "async-io.shutdown-quiet-period=1s",
                    "async-io.collections.io.callback-error-policy=log", "async-io.handles.echo.collection=io",
                    "async-io.handles.echo.backlog=10", "async-io.handles.echo.nodelay=true",
                    "async-io.handles.echo.keepalive=false", "async-io.handles.echo.ipv6=any",
                    "async-io.handles.echo.reuse-port=false", "async-io.handles.echo.init-timeout=1s",
                    "async-io.handles.echo.read-timeout=5s", "async-io.handles.echo.write-timeout=5s",
                    "async-io.handles.echo.max-connections=5", "async-io.handles.echo.max-read=64KB",
                    "async-io.handles.echo.max-buffered-input=1MB", "async-io.handles.echo.write-high-water-mark=64KB",
                    "async-io.handles.echo.write-low-water-mark=32KB", "async-io.handles.echo.max-queued-output=4MB",
                    "async-io.handles.echo.tls.handshake-timeout=5s", "async-io.handles.echo.tls.client-auth=none",
                    "async-io.handles.echo.readTimeout=5s", "async-io.handles.echo.writetimeout=5s")
            .run((context) -> assertThat(context).hasNotFailed());
    }

    @Test
    void aotBuiltHandlesThatDifferFromTheConfiguredOnesFailNamingTheHandle() {
        assertThatExceptionOfType(AsyncIoConfigurationException.class)
            .isThrownBy(() -> ConfiguredHandles.checkSameHandlesAsBeans(Set.of("echo", "late"), Set.of("echo")))
            .satisfies((ex) -> {
                assertThat(ex.getProperty()).isEqualTo("async-io.handles.late");
                assertThat(ex.getMessage()).contains("ahead of time (AOT)");
            });
        assertThatExceptionOfType(AsyncIoConfigurationException.class)
            .isThrownBy(() -> ConfiguredHandles.checkSameHandlesAsBeans(Set.of("echo"), Set.of("echo", "gone")))
            .satisfies((ex) -> assertThat(ex.getProperty()).isEqualTo("async-io.handles.gone.port"));
        ConfiguredHandles.checkSameHandlesAsBeans(Set.of("echo"), Set.of("echo"));
    }

    private static void assertBindFailure(Throwable failure, String property) {
        assertThat(failure).isNotNull();
        BindException bind = AsyncIoAutoConfigurationTests.findCause(failure, BindException.class);
        assertThat(bind).as("BindException in %s", failure).isNotNull();
        assertThat(bind.getProperty().getName().toString()).isEqualTo(property);
    }

    /** An application bean that injects the configured handle, as the user did. */
    @Configuration(proxyBeanMethods = false)
    static class InjectingConfiguration {

        @Bean
        String usesTheHandle(@Qualifier("echo") ManagedAcceptingHandle echo) {
            return echo.name();
        }
    }

    /** @return what the INFO line says about the loops of a handle with the default {@code loops} */
    private static String loops() {
        int cores = Runtime.getRuntime().availableProcessors();
        return (cores > 1) ? ", connections over " + cores + " loops" : "";
    }
}
