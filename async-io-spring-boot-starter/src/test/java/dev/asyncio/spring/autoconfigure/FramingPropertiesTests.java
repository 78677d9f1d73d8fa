package dev.asyncio.spring.autoconfigure;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import dev.asyncio.core.ConnectionFunction;
import dev.asyncio.core.FrameErrorPolicy;
import dev.asyncio.core.Framing;
import dev.asyncio.spring.AsyncIoConfigurationException;
import dev.asyncio.spring.FrameHandler;
import dev.asyncio.spring.ManagedAcceptingHandle;
import dev.asyncio.spring.actuate.endpoint.AsyncIoEndpoint;
import dev.asyncio.spring.autoconfigure.endpoint.AsyncIoEndpointAutoConfiguration;
import dev.asyncio.spring.autoconfigure.metrics.AsyncIoMetricsAutoConfiguration;
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

/** {@code async-io.handles.<name>.framing.*}: mapping onto the core's framing, validation, a framed handle's frames. */
class FramingPropertiesTests {

    private static final FrameHandler ECHO = (connection, frame) -> connection.reply(frame);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AsyncIoAutoConfiguration.class))
        .withBean("frames", FrameHandler.class, () -> ECHO)
        .withPropertyValues("async-io.handles.f.port=0", "async-io.handles.f.address=127.0.0.1",
                "async-io.handles.f.loops=1", "async-io.handles.f.connection-function=frames",
                "async-io.fail-on-unknown-properties=true");

    private static Framing framing(AssertableApplicationContext context) {
        return context.getBean(ConfiguredHandles.class).framing("f");
    }

    @Test
    void lengthPrefixDetailsReachTheCoreFraming() {
        this.runner.withPropertyValues("async-io.handles.f.framing.type=length-prefix",
                "async-io.handles.f.framing.max-frame-size=1MB", "async-io.handles.f.framing.length-field-length=2",
                "async-io.handles.f.framing.byte-order=little-endian",
                "async-io.handles.f.framing.length-includes-header=true",
                "async-io.handles.f.framing.length-field-offset=1", "async-io.handles.f.framing.on-too-long=discard",
                "async-io.handles.f.framing.initial-bytes-to-strip=3")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                Framing f = framing(context);
                assertThat(f.kind()).isEqualTo(Framing.Kind.LENGTH_PREFIX);
                assertThat(f.maxFrameSize()).isEqualTo(1 << 20);
                assertThat(f.lengthFieldLength()).isEqualTo(2);
                assertThat(f.byteOrder()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
                assertThat(f.lengthFieldOffset()).isEqualTo(1);
                assertThat(f.lengthIncludesHeader()).isTrue();
                assertThat(f.initialBytesToStrip()).isEqualTo(3);
                assertThat(f.errorPolicy()).isEqualTo(FrameErrorPolicy.DISCARD);
                // A framed handle always queues output: one reply per frame, several frames per read.
                assertThat(context.getBean("f", ManagedAcceptingHandle.class).handle().options().stateOptions()
                    .queueOutput()).isTrue();
            });
    }

    @Test
    void delimiterEscapesAsciiDigitsAndFixedLength() {
        this.runner.withPropertyValues("async-io.handles.f.framing.type=delimiter",
                "async-io.handles.f.framing.delimiter=\\x03\\r\\n|")
            .run((context) -> assertThat(framing(context).delimiterBytes()).containsExactly(3, '\r', '\n', '|'));
        this.runner.withPropertyValues("async-io.handles.f.framing.type=ascii-length",
                "async-io.handles.f.framing.ascii-digits=4")
            .run((context) -> assertThat(framing(context).lengthFieldLength()).isEqualTo(4));
        this.runner.withPropertyValues("async-io.handles.f.framing.type=fixed",
                "async-io.handles.f.framing.fixed-length=128B")
            .run((context) -> assertThat(framing(context).maxFrameSize()).isEqualTo(128));
        this.runner.withPropertyValues("async-io.handles.f.framing.type=stx-etx")
            .run((context) -> assertThat(framing(context).maxFrameSize()).isEqualTo(Framing.DEFAULT_MAX_FRAME_SIZE));
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "type=length-prefix,length-field-length=5; length-field-length",
        "type=length-prefix,max-frame-size=0B; max-frame-size",
        "type=length-prefix,max-frame-size=4GB; max-frame-size",
        "type=length-prefix,length-field-offset=-1; length-field-offset",
        "type=length-prefix,initial-bytes-to-strip=-2; initial-bytes-to-strip",
        "type=ascii-length,ascii-digits=19; ascii-digits",
        "type=ascii-length; ascii-digits",
        "type=delimiter; delimiter",
        "type=delimiter,delimiter=\\q; delimiter",
        "type=delimiter,delimiter=\\x3; delimiter",
        "type=fixed; fixed-length",
        "type=fixed,max-frame-size=10B,fixed-length=10B; max-frame-size",
        "type=lf,delimiter=x; delimiter",
        "type=line,length-field-length=2; length-field-length",
        "max-frame-size=1MB; max-frame-size",
        "type=length-prefix,max-skip=1KB; max-skip",
        "type=length-prefix,max-frame-size=16MB; max-frame-size",
    })
    void eachInvalidValueNamesItsProperty(String settings, String property) {
        String[] values = settings.split(",");
        for (int i = 0; i < values.length; i++) {
            values[i] = "async-io.handles.f.framing." + values[i];
        }
        this.runner.withPropertyValues(values).run((context) -> {
            assertThat(context).hasFailed();
            assertThat(configurationFailure(context).getProperty()).isEqualTo("async-io.handles.f.framing." + property);
        });
    }

    /** @return the starter's exception in the start-up failure's causes (the core's refusal may be its cause) */
    private static AsyncIoConfigurationException configurationFailure(AssertableApplicationContext context) {
        for (Throwable t = context.getStartupFailure(); t != null; t = t.getCause()) {
            if (t instanceof AsyncIoConfigurationException e) {
                return e;
            }
        }
        throw new AssertionError("no AsyncIoConfigurationException in " + context.getStartupFailure());
    }

    @Test
    void aFrameHandlerNeedsAFramingAndAFramedHandleAFrameHandler() {
        this.runner.run((context) -> assertThat(configurationFailure(context).getProperty())
            .isEqualTo("async-io.handles.f.framing.type"));
        this.runner.withBean("plain", ConnectionFunction.class, EchoConnectionFunction::new)
            .withPropertyValues("async-io.handles.f.framing.type=lf", "async-io.handles.f.connection-function=plain")
            .run((context) -> assertThat(configurationFailure(context))
                .hasMessageContaining("'async-io.handles.f.connection-function'")
                .hasMessageContaining("FrameHandler"));
    }

    @Test
    void aFramedHandleEchoesFramesCountsThemAndShowsItsFraming() {
        this.runner
            .withConfiguration(AutoConfigurations.of(AsyncIoMetricsAutoConfiguration.class,
                    AsyncIoEndpointAutoConfiguration.class))
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
            .withPropertyValues("async-io.handles.f.framing.type=length-prefix",
                    "async-io.handles.f.framing.max-frame-size=1KB",
                    "management.endpoints.web.exposure.include=asyncio")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                MeterRegistry meters = context.getBean(MeterRegistry.class);
                // Boot's MeterRegistryPostProcessor binds MeterBinder beans; this runner has no metrics auto-configuration.
                context.getBean(dev.asyncio.spring.metrics.FrameMeterBinder.class).bindTo(meters);
                int port = context.getBean("f", ManagedAcceptingHandle.class).localPort();
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
                    socket.setSoTimeout(30_000);
                    DataOutputStream out = new DataOutputStream(socket.getOutputStream());
                    DataInputStream in = new DataInputStream(socket.getInputStream());
                    byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
                    // Two frames in one write, then an empty one byte by byte.
                    out.write(new byte[] {0, 0, 0, 5, 'h', 'e', 'l', 'l', 'o', 0, 0, 0, 1, '!'});
                    for (byte b : new byte[] {0, 0, 0, 0}) {
                        out.write(b);
                        out.flush();
                    }
                    assertThat(in.readInt()).isEqualTo(5);
                    assertThat(in.readNBytes(5)).isEqualTo(hello);
                    assertThat(in.readInt()).isEqualTo(1);
                    assertThat(in.read()).isEqualTo('!');
                    assertThat(in.readInt()).isZero();
                    // Too long (1025 > 1 KB): the connection is closed, nothing of the body is waited for.
                    out.writeInt(1025);
                    out.flush();
                    assertThat(in.read()).isEqualTo(-1);
                }
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    assertThat(meters.get("asyncio.frames.errors").tag("handle", "f").tag("reason", "too_long")
                        .functionCounter().count()).isEqualTo(1.0);
                });
                assertThat(meters.get("asyncio.frames.in").tag("handle", "f").functionCounter().count()).isEqualTo(3);
                assertThat(meters.get("asyncio.frames.out").tag("handle", "f").functionCounter().count())
                    .isEqualTo(3);
                assertThat(meters.get("asyncio.frames.size").tag("direction", "in").summary().totalAmount())
                    .isEqualTo(6);
                AsyncIoEndpoint.HandleDescriptor handle = context.getBean(AsyncIoEndpoint.class).handle("f", 1)
                    .handle();
                assertThat(handle.framing()).isEqualTo(new AsyncIoEndpoint.FramingDescriptor("length-prefix", 1024,
                        "close"));
            });
    }

    @Test
    void aHandleWithoutFramingShowsNone() {
        this.runner.withBean("plain", ConnectionFunction.class, EchoConnectionFunction::new)
            .withConfiguration(AutoConfigurations.of(AsyncIoEndpointAutoConfiguration.class))
            .withPropertyValues("async-io.handles.f.connection-function=plain",
                    "management.endpoints.web.exposure.include=asyncio")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(context.getBean(AsyncIoEndpoint.class).handle("f", 1).handle().framing()).isNull();
                assertThat(context.getBean(ConfiguredHandles.class).framedHandles()).isEmpty();
            });
    }
}
