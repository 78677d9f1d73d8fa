package dev.asyncio.spring.actuate;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import dev.asyncio.core.AcceptOptions;
import dev.asyncio.core.ConnectionFunction;
import dev.asyncio.core.ProxyProtocol;
import dev.asyncio.spring.AsyncIoConfigurationException;
import dev.asyncio.spring.ManagedAcceptingHandle;
import dev.asyncio.spring.actuate.endpoint.AsyncIoEndpoint;
import dev.asyncio.spring.autoconfigure.AsyncIoAutoConfiguration;
import dev.asyncio.spring.autoconfigure.endpoint.AsyncIoEndpointAutoConfiguration;
import dev.asyncio.spring.autoconfigure.metrics.AsyncIoMetricsAutoConfiguration;
import dev.asyncio.spring.metrics.ProxyProtocolMeterBinder;
import dev.asyncio.spring.test.EchoConnectionFunction;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code async-io.handles.<name>.proxy-protocol} and {@code proxy-protocol-timeout}: they reach the core's options,
 * bad values fail start-up naming the property, the meter {@code asyncio.proxy.headers} counts the outcomes, and the
 * endpoint shows the handle's mode and, per connection, the client's address with the proxy's beside it.
 */
class ProxyProtocolStarterTests {

    private static final String HEADER = "PROXY TCP4 192.0.2.7 198.51.100.1 51234 7000\r\n";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AsyncIoAutoConfiguration.class, AsyncIoMetricsAutoConfiguration.class,
                AsyncIoEndpointAutoConfiguration.class))
        .withBean("echoFunction", ConnectionFunction.class, EchoConnectionFunction::new)
        .withPropertyValues("async-io.handles.echo.port=0", "async-io.handles.echo.address=127.0.0.1",
                "async-io.handles.echo.loops=1", "async-io.handles.echo.queue-output=true",
                "async-io.fail-on-unknown-properties=true");

    private static AcceptOptions options(AssertableApplicationContext context) {
        return context.getBean("echo", ManagedAcceptingHandle.class).handle().options();
    }

    @Test
    void offByDefaultWithATenSecondTimeout() {
        this.runner.run((context) -> {
            assertThat(options(context).proxyProtocol()).isEqualTo(ProxyProtocol.OFF);
            assertThat(options(context).proxyProtocolTimeout()).isEqualTo(Duration.ofSeconds(10));
            assertThat(context.getBean("echo", ManagedAcceptingHandle.class).proxyProtocol())
                .isEqualTo(ProxyProtocol.OFF);
        });
    }

    @Test
    void theModeAndTimeoutReachTheCore() {
        this.runner
            .withPropertyValues("async-io.handles.echo.proxy-protocol=auto",
                    "async-io.handles.echo.proxy-protocol-timeout=2s")
            .run((context) -> {
                assertThat(options(context).proxyProtocol()).isEqualTo(ProxyProtocol.AUTO);
                assertThat(options(context).proxyProtocolTimeout()).isEqualTo(Duration.ofSeconds(2));
            });
    }

    /** YAML reads an unquoted {@code on} as {@code true}: Boot's lenient enum binding maps it back to "on". */
    @Test
    void yamlBooleansMeanOnAndOff() {
        this.runner.withPropertyValues("async-io.handles.echo.proxy-protocol=true")
            .run((context) -> assertThat(options(context).proxyProtocol()).isEqualTo(ProxyProtocol.ON));
        this.runner.withPropertyValues("async-io.handles.echo.proxy-protocol=false")
            .run((context) -> assertThat(options(context).proxyProtocol()).isEqualTo(ProxyProtocol.OFF));
    }

    @Test
    void aZeroTimeoutFailsStartUpNamingTheProperty() {
        this.runner
            .withPropertyValues("async-io.handles.echo.proxy-protocol=on",
                    "async-io.handles.echo.proxy-protocol-timeout=0s")
            .run((context) -> {
                assertThat(context).hasFailed();
                AsyncIoConfigurationException ex = findCause(context.getStartupFailure(),
                        AsyncIoConfigurationException.class);
                assertThat(ex).as("AsyncIoConfigurationException in %s", context.getStartupFailure()).isNotNull();
                assertThat(ex.getProperty()).isEqualTo("async-io.handles.echo.proxy-protocol-timeout");
                assertThat(ex.getMessage()).contains("must be positive");
            });
    }

    @Test
    void anUnknownModeFailsStartUpNamingTheProperty() {
        this.runner.withPropertyValues("async-io.handles.echo.proxy-protocol=maybe").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isNotNull();
            assertThat(messages(context.getStartupFailure())).contains("async-io.handles.echo.proxy-protocol");
        });
    }

    @Test
    void theMeterCountsOutcomesAndTheEndpointShowsTheClient() {
        this.runner.withBean(SimpleMeterRegistry.class)
            .withPropertyValues("async-io.handles.echo.proxy-protocol=on",
                    "management.endpoints.web.exposure.include=asyncio")
            .run((context) -> {
                MeterRegistry meters = context.getBean(MeterRegistry.class);
                context.getBean(ProxyProtocolMeterBinder.class).bindTo(meters);
                ManagedAcceptingHandle handle = context.getBean("echo", ManagedAcceptingHandle.class);
                try (Socket proxied = new Socket(InetAddress.getLoopbackAddress(), handle.localPort())) {
                    proxied.setSoTimeout(10_000);
                    OutputStream out = proxied.getOutputStream();
                    out.write((HEADER + "ping").getBytes(StandardCharsets.US_ASCII));
                    assertThat(new String(proxied.getInputStream().readNBytes(4), StandardCharsets.US_ASCII))
                        .isEqualTo("ping");

                    AsyncIoEndpoint.HandleDetails details = context.getBean(AsyncIoEndpoint.class)
                        .handle("echo", 10);
                    assertThat(details.handle().proxyProtocol().mode()).isEqualTo("on");
                    assertThat(details.handle().proxyProtocol().accepted()).isEqualTo(1);
                    assertThat(details.connections()).hasSize(1);
                    AsyncIoEndpoint.ConnectionDescriptor c = details.connections().get(0);
                    assertThat(c.peer()).isEqualTo("192.0.2.7:51234");
                    assertThat(c.proxy().address()).isEqualTo("127.0.0.1:" + proxied.getLocalPort());
                    assertThat(c.proxy().version()).isEqualTo(1);
                    assertThat(c.proxy().command()).isEqualTo("proxy");
                    assertThat(c.proxy().destination()).isEqualTo("198.51.100.1:7000");

                    try (Socket direct = new Socket(InetAddress.getLoopbackAddress(), handle.localPort())) {
                        direct.setSoTimeout(10_000);
                        direct.getOutputStream().write("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                        assertThat(direct.getInputStream().read()).isEqualTo(-1);
                    }
                }
                await().untilAsserted(() -> {
                    assertThat(count(meters, "accepted")).isEqualTo(1.0);
                    assertThat(count(meters, "rejected")).isEqualTo(1.0);
                });
                assertThat(count(meters, "direct")).isZero();
                assertThat(count(meters, "timeout")).isZero();
            });
    }

    @Test
    void noProxyMetersForAHandleWithoutTheProtocol() {
        this.runner.withBean(SimpleMeterRegistry.class).run((context) -> {
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            context.getBean(ProxyProtocolMeterBinder.class).bindTo(meters);
            assertThat(meters.find("asyncio.proxy.headers").meters()).isEmpty();
        });
    }

    @Test
    void theEndpointShowsNoProxyForADirectConnection() throws IOException {
        this.runner.withPropertyValues("management.endpoints.web.exposure.include=asyncio").run((context) -> {
            ManagedAcceptingHandle handle = context.getBean("echo", ManagedAcceptingHandle.class);
            try (Socket direct = new Socket(InetAddress.getLoopbackAddress(), handle.localPort())) {
                direct.setSoTimeout(10_000);
                direct.getOutputStream().write('x');
                assertThat(direct.getInputStream().read()).isEqualTo('x');
                AsyncIoEndpoint.HandleDetails details = context.getBean(AsyncIoEndpoint.class).handle("echo", 10);
                assertThat(details.handle().proxyProtocol().mode()).isEqualTo("off");
                assertThat(details.connections().get(0).proxy()).isNull();
                assertThat(details.connections().get(0).peer()).isEqualTo("127.0.0.1:" + direct.getLocalPort());
            }
        });
    }

    private static double count(MeterRegistry meters, String outcome) {
        return meters.get("asyncio.proxy.headers").tags("handle", "echo", "outcome", outcome).functionCounter().count();
    }

    private static String messages(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            b.append(c.getMessage()).append('\n');
        }
        return b.toString();
    }

    private static <T extends Throwable> T findCause(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }
}
