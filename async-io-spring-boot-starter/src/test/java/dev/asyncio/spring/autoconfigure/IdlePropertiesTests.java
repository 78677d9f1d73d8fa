package dev.asyncio.spring.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.asyncio.core.AsyncIoState;
import dev.asyncio.core.ConnectionFunction;
import dev.asyncio.core.IdleKind;
import dev.asyncio.core.IdleOptions;
import dev.asyncio.spring.AsyncIoConfigurationException;
import dev.asyncio.spring.FrameHandler;
import dev.asyncio.spring.FramedConnection;
import dev.asyncio.spring.IdleAction;
import dev.asyncio.spring.IdleDetectingConnectionFunction;
import dev.asyncio.spring.IdleListener;
import dev.asyncio.spring.IdlePolicy;
import dev.asyncio.spring.ManagedAcceptingHandle;
import dev.asyncio.spring.autoconfigure.metrics.AsyncIoMetricsAutoConfiguration;
import dev.asyncio.spring.metrics.IdleMeterBinder;
import dev.asyncio.spring.test.EchoConnectionFunction;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code async-io.handles.<name>.idle.*} (issue 19): mapping onto the core's idle detection, validation naming the
 * property, the connection function and frame handler hearing idle events, {@code action=close} closing, the meters.
 * The closing and notifying cases run on a real loop with short periods and bounded waits.
 */
class IdlePropertiesTests {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AsyncIoAutoConfiguration.class))
        .withPropertyValues("async-io.handles.i.port=0", "async-io.handles.i.address=127.0.0.1",
                "async-io.handles.i.loops=1", "async-io.handles.i.queue-output=true",
                "async-io.fail-on-unknown-properties=true");

    /** An echo that also records the idle events it hears. */
    static final class ListeningEcho extends EchoConnectionFunction implements IdleListener {

        final LinkedBlockingQueue<String> heard = new LinkedBlockingQueue<>();

        @Override
        public void idle(AsyncIoState state, IdleKind kind, int count) {
            this.heard.add(kind + " " + count + " open=" + state.isOpen());
        }
    }

    /** A frame echo that also records the idle events it hears. */
    static final class ListeningFrames implements FrameHandler {

        final LinkedBlockingQueue<String> heard = new LinkedBlockingQueue<>();

        @Override
        public void frame(FramedConnection connection, java.nio.ByteBuffer frame) {
            connection.reply(frame);
        }

        @Override
        public void idle(FramedConnection connection, IdleKind kind, int count) {
            this.heard.add(kind + " " + count);
        }
    }

    private static String take(LinkedBlockingQueue<String> queue) throws InterruptedException {
        String s = queue.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(s).as("an idle event within " + WAIT).isNotNull();
        return s;
    }

    private static Socket connect(AssertableApplicationContext context) throws IOException {
        int port = context.getBean("i", ManagedAcceptingHandle.class).localPort();
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.setSoTimeout((int) WAIT.toMillis());
        return socket;
    }

    @Test
    void periodsAndActionReachThePolicyAndThePlainFunctionIsWrapped() {
        this.runner.withBean("echo", ConnectionFunction.class, EchoConnectionFunction::new)
            .withPropertyValues("async-io.handles.i.connection-function=echo", "async-io.handles.i.idle.reader=30s",
                    "async-io.handles.i.idle.writer=1m", "async-io.handles.i.idle.all=5m",
                    "async-io.handles.i.idle.action=notify")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                IdlePolicy policy = context.getBean(ConfiguredHandles.class).idlePolicies().get("i");
                assertThat(policy.options()).isEqualTo(IdleOptions.builder().readerIdle(Duration.ofSeconds(30))
                    .writerIdle(Duration.ofMinutes(1)).allIdle(Duration.ofMinutes(5)).build());
                assertThat(policy.action()).isEqualTo(IdleAction.NOTIFY);
                ConnectionFunction function = context.getBean("i", ManagedAcceptingHandle.class).definition()
                    .connectionFunction();
                assertThat(function).isInstanceOf(IdleDetectingConnectionFunction.class);
                assertThat(((IdleDetectingConnectionFunction) function).delegate())
                    .isSameAs(context.getBean("echo"));
            });
    }

    @Test
    void withoutAPeriodThereIsNoPolicyAndNothingIsWrapped() {
        this.runner.withBean("echo", ConnectionFunction.class, EchoConnectionFunction::new)
            .withPropertyValues("async-io.handles.i.connection-function=echo", "async-io.handles.i.idle.action=notify")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(context.getBean(ConfiguredHandles.class).idlePolicies()).isEmpty();
                assertThat(context.getBean("i", ManagedAcceptingHandle.class).definition().connectionFunction())
                    .isSameAs(context.getBean("echo"));
            });
    }

    @ParameterizedTest
    @CsvSource({ "reader, 0s", "writer, -1s", "all, 0ms", "reader, -5m" })
    void aPeriodThatIsNotPositiveFailsNamingTheProperty(String kind, String value) {
        this.runner.withBean("echo", ConnectionFunction.class, EchoConnectionFunction::new)
            .withPropertyValues("async-io.handles.i.connection-function=echo",
                    "async-io.handles.i.idle." + kind + "=" + value)
            .run((context) -> {
                assertThat(context).hasFailed();
                AsyncIoConfigurationException failure = configurationFailure(context);
                assertThat(failure.getProperty()).isEqualTo("async-io.handles.i.idle." + kind);
                assertThat(failure).hasMessageContaining("must be positive");
            });
    }

    @Test
    void anUnknownIdleKeyIsReportedWithTheNearestKnownOne() {
        this.runner.withBean("echo", ConnectionFunction.class, EchoConnectionFunction::new)
            .withPropertyValues("async-io.handles.i.connection-function=echo", "async-io.handles.i.idle.readr=5s")
            .run((context) -> assertThat(context).hasFailed()
                .getFailure()
                .hasStackTraceContaining("async-io.handles.i.idle.readr")
                .hasStackTraceContaining("did you mean reader?"));
    }

    @Test
    void closeTellsTheListenerClosesTheIdleConnectionAndCountsBoth() {
        ListeningEcho echo = new ListeningEcho();
        this.runner.withConfiguration(AutoConfigurations.of(AsyncIoMetricsAutoConfiguration.class))
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
            .withBean("echo", ConnectionFunction.class, () -> echo)
            .withPropertyValues("async-io.handles.i.connection-function=echo", "async-io.handles.i.idle.all=200ms")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                MeterRegistry meters = context.getBean(MeterRegistry.class);
                // Boot's MeterRegistryPostProcessor binds MeterBinder beans; this runner has no metrics auto-configuration.
                context.getBean(IdleMeterBinder.class).bindTo(meters);
                try (Socket socket = connect(context)) {
                    // Activity first: the echo works, then the client says nothing and is closed.
                    socket.getOutputStream().write("hi".getBytes(StandardCharsets.US_ASCII));
                    assertThat(socket.getInputStream().readNBytes(2)).isEqualTo("hi".getBytes(StandardCharsets.US_ASCII));
                    InputStream in = socket.getInputStream();
                    assertThat(in.read()).as("closed by the server once all-idle").isEqualTo(-1);
                }
                assertThat(take(echo.heard)).as("told before the close").isEqualTo("ALL 1 open=true");
                await().atMost(WAIT).untilAsserted(() -> {
                    assertThat(meters.get("asyncio.idle.closes").tag("handle", "i").functionCounter().count())
                        .isEqualTo(1.0);
                    assertThat(meters.get("asyncio.idle.events").tag("handle", "i").tag("kind", "all")
                        .functionCounter().count()).isEqualTo(1.0);
                });
                assertThat(meters.get("asyncio.idle.events").tag("handle", "i").tag("kind", "reader")
                    .functionCounter().count()).isZero();
            });
    }

    @Test
    void notifyOnlyTellsTheListenerOncePerPeriodAndKeepsTheConnection() {
        ListeningEcho echo = new ListeningEcho();
        this.runner.withBean("echo", ConnectionFunction.class, () -> echo)
            .withPropertyValues("async-io.handles.i.connection-function=echo", "async-io.handles.i.idle.reader=150ms",
                    "async-io.handles.i.idle.action=notify")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                try (Socket socket = connect(context)) {
                    assertThat(take(echo.heard)).isEqualTo("READER 1 open=true");
                    assertThat(take(echo.heard)).isEqualTo("READER 2 open=true");
                    socket.getOutputStream().write('x');
                    assertThat(socket.getInputStream().read()).as("still open and echoing").isEqualTo('x');
                    IdlePolicy policy = context.getBean(ConfiguredHandles.class).idlePolicies().get("i");
                    assertThat(policy.closes()).isZero();
                    assertThat(policy.events(IdleKind.READER)).isGreaterThanOrEqualTo(2);
                }
            });
    }

    @Test
    void aFramedHandleTellsItsFrameHandlerAndCloses() {
        ListeningFrames frames = new ListeningFrames();
        this.runner.withBean("frames", FrameHandler.class, () -> frames)
            .withPropertyValues("async-io.handles.i.connection-function=frames",
                    "async-io.handles.i.framing.type=lf", "async-io.handles.i.idle.writer=200ms")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(context.getBean(ConfiguredHandles.class).idlePolicies()).containsKey("i");
                try (Socket socket = connect(context)) {
                    socket.getOutputStream().write("ping\n".getBytes(StandardCharsets.US_ASCII));
                    assertThat(socket.getInputStream().readNBytes(5))
                        .isEqualTo("ping\n".getBytes(StandardCharsets.US_ASCII));
                    assertThat(socket.getInputStream().read()).as("closed once writer-idle").isEqualTo(-1);
                }
                assertThat(take(frames.heard)).isEqualTo("WRITER 1");
                assertThat(context.getBean(ConfiguredHandles.class).idlePolicies().get("i").closes()).isEqualTo(1);
            });
    }

    @Test
    void theShippedMetadataDescribesEveryIdleKey() throws IOException {
        String metadata;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).isNotNull();
            metadata = new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("\"\\s*:\\s*", "\" : ");
        }
        for (String key : new String[] { "reader", "writer", "all", "action" }) {
            assertThat(metadata).contains("\"name\" : \"async-io.handles.*.idle." + key + "\"");
        }
        assertThat(metadata).contains("\"name\" : \"async-io.handles.*.idle\"");
        for (java.beans.PropertyDescriptor d : org.springframework.beans.BeanUtils
            .getPropertyDescriptors(IdleProperties.class)) {
            if (d.getWriteMethod() != null) {
                assertThat(metadata).contains("\"name\" : \"async-io.handles.*.idle."
                        + org.springframework.boot.context.properties.bind.DataObjectPropertyName
                            .toDashedForm(d.getName()) + "\"");
            }
        }
    }

    /** @return the starter's exception in the start-up failure's causes */
    private static AsyncIoConfigurationException configurationFailure(AssertableApplicationContext context) {
        for (Throwable t = context.getStartupFailure(); t != null; t = t.getCause()) {
            if (t instanceof AsyncIoConfigurationException e) {
                return e;
            }
        }
        throw new AssertionError("no AsyncIoConfigurationException in " + context.getStartupFailure());
    }
}
