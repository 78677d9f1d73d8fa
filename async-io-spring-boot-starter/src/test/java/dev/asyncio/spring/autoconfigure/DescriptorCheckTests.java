package dev.asyncio.spring.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.OptionalLong;

import dev.asyncio.core.ConnectionFunction;
import dev.asyncio.core.MaxConnectionsPolicy;
import dev.asyncio.spring.AsyncIoConfigurationException;
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
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code async-io.descriptors}: the handles' max-connections against the process's file descriptor limit (a fake
 * limit here), and {@code max-connections-policy}.
 */
@ExtendWith(OutputCaptureExtension.class)
class DescriptorCheckTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AsyncIoAutoConfiguration.class))
        .withBean("echoFunction", ConnectionFunction.class, EchoConnectionFunction::new)
        .withPropertyValues(handle("echo", 10000)).withPropertyValues(handle("tls-echo", 10000))
        .withPropertyValues(handle("kv", 10000));

    private static String[] handle(String name, int maxConnections) {
        String p = "async-io.handles." + name;
        return new String[] { p + ".port=0", p + ".address=127.0.0.1", p + ".connection-function=echoFunction",
                p + ".loops=1", p + ".max-connections=" + maxConnections };
    }

    private static ApplicationContextRunner limit(ApplicationContextRunner runner, long limit) {
        return runner.withBean(DescriptorLimit.class, () -> () -> OptionalLong.of(limit));
    }

    private static int effective(AssertableApplicationContext context, String name) {
        return context.getBean(name, ManagedAcceptingHandle.class).statistics().maxConnections();
    }

    @Test
    void byDefaultMaxConnectionsOverTheLimitAreCappedToFairSharesInOneWarnLineNamingEachProperty(
            CapturedOutput output) {
        limit(this.runner, 4096).run((context) -> {
            assertThat(context).hasNotFailed();
            assertThat(effective(context, "echo")).isEqualTo(1024);
            assertThat(effective(context, "tls-echo")).isEqualTo(1024);
            assertThat(effective(context, "kv")).isEqualTo(1024);
            String line = output.getAll().lines().filter((l) -> l.contains("Capped the handles' max-connections"))
                .findFirst().orElseThrow();
            assertThat(line).contains("WARN")
                .contains("async-io.handles.echo.max-connections=10000 -> 1024")
                .contains("async-io.handles.tls-echo.max-connections=10000 -> 1024")
                .contains("async-io.handles.kv.max-connections=10000 -> 1024")
                .contains("limit 4096").contains("async-io.descriptors.reserve 1024");
            assertThat(output.getAll().lines().filter((l) -> l.contains("Capped the handles'"))).hasSize(1);
        });
    }

    @Test
    void limitsThatFitAreKeptWithoutALine(CapturedOutput output) {
        limit(this.runner, 100_000).run((context) -> {
            assertThat(effective(context, "echo")).isEqualTo(10000);
            assertThat(output).doesNotContain("max-connections do not fit").doesNotContain("Capped the handles'");
        });
    }

    @Test
    void anExplicitReserveIsUsed() {
        limit(this.runner, 4096).withPropertyValues("async-io.descriptors.reserve=96")
            .run((context) -> assertThat(effective(context, "kv")).isBetween(1333, 1334));
    }

    @Test
    void aHandleWithoutALimitGetsOneLoggedAtInfo(CapturedOutput output) {
        limit(new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(AsyncIoAutoConfiguration.class))
            .withBean("echoFunction", ConnectionFunction.class, EchoConnectionFunction::new)
            .withPropertyValues(handle("echo", 0)), 4096).run((context) -> {
                assertThat(effective(context, "echo")).isEqualTo(3072);
                assertThat(output).contains("async-io.handles.echo.max-connections=0 (no limit) -> 3072");
                String line = output.getAll().lines().filter((l) -> l.contains("Capped the handles'"))
                    .findFirst().orElseThrow();
                assertThat(line).contains("INFO");
            });
    }

    @Test
    void policyWarnKeepsTheLimitsAndNamesThem(CapturedOutput output) {
        limit(this.runner, 4096).withPropertyValues("async-io.descriptors.policy=warn").run((context) -> {
            assertThat(effective(context, "echo")).isEqualTo(10000);
            assertThat(output).contains("The handles' max-connections do not fit")
                .contains("async-io.handles.kv.max-connections=10000");
        });
    }

    @Test
    void policyFailFailsStartUpNamingTheProperty() {
        limit(this.runner, 4096).withPropertyValues("async-io.descriptors.policy=fail").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                .isInstanceOf(AsyncIoConfigurationException.class)
                .hasMessageContaining("async-io.handles.echo.max-connections")
                .hasMessageContaining("async-io.handles.kv.max-connections=10000")
                .hasMessageContaining("async-io.descriptors.policy=fail");
        });
    }

    @Test
    void aReserveThatLeavesLessThanOnePerHandleFailsStartUpNamingIt() {
        limit(this.runner, 4096).withPropertyValues("async-io.descriptors.reserve=4095").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("async-io.descriptors.reserve");
        });
    }

    @Test
    void aNegativeReserveFailsStartUpNamingIt() {
        limit(this.runner, 4096).withPropertyValues("async-io.descriptors.reserve=-1").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("async-io.descriptors.reserve");
        });
    }

    @Test
    void anUnknownLimitSkipsTheCheck() {
        this.runner.withBean(DescriptorLimit.class, () -> OptionalLong::empty)
            .run((context) -> assertThat(effective(context, "echo")).isEqualTo(10000));
    }

    @Test
    void maxConnectionsPolicyRefuseReachesTheHandle() {
        limit(this.runner, 100_000).withPropertyValues("async-io.handles.kv.max-connections-policy=refuse")
            .run((context) -> {
                assertThat(context.getBean("kv", ManagedAcceptingHandle.class).definition().options()
                    .maxConnectionsPolicy()).isEqualTo(MaxConnectionsPolicy.REFUSE);
                assertThat(context.getBean("echo", ManagedAcceptingHandle.class).definition().options()
                    .maxConnectionsPolicy()).isEqualTo(MaxConnectionsPolicy.PAUSE);
            });
    }

    @Test
    void aConnectionOverMaxConnectionsWithPolicyRefuseIsResetAndCountedInMetersAndTheEndpoint() {
        limit(this.runner, 100_000)
            .withConfiguration(AutoConfigurations.of(AsyncIoMetricsAutoConfiguration.class,
                    AsyncIoEndpointAutoConfiguration.class))
            .withBean(SimpleMeterRegistry.class)
            .withPropertyValues("async-io.handles.kv.max-connections=1", "async-io.handles.kv.max-connections-policy=refuse",
                    "async-io.handles.kv.queue-output=true", "management.endpoints.web.exposure.include=asyncio")
            .run((context) -> {
                MeterRegistry meters = context.getBean(MeterRegistry.class);
                context.getBean(AsyncIoMeterBinder.class).bindTo(meters);
                int port = context.getBean("kv", ManagedAcceptingHandle.class).localPort();
                try (EchoClient first = EchoClient.connect(port)) {
                    assertThat(first.echo("first")).isEqualTo("first");
                    assertThat(endedAtOnce(port)).as("the second client is reset, not left waiting").isTrue();
                    await().atMost(Duration.ofSeconds(10)).until(() -> meters.get("asyncio.connections.refused")
                        .tags("handle", "kv", "reason", "max_connections").functionCounter().count() == 1);
                    assertThat(meters.get("asyncio.connections.refused").tags("handle", "kv", "reason", "descriptors")
                        .functionCounter().count()).isZero();
                    assertThat(meters.get("asyncio.connections.max").tag("handle", "kv").gauge().value()).isOne();
                    AsyncIoEndpoint.HandleDescriptor kv = context.getBean(AsyncIoEndpoint.class).handle("kv", null)
                        .handle();
                    assertThat(kv.maxConnections()).isEqualTo(1);
                    assertThat(kv.refusedMaxConnections()).isEqualTo(1);
                    assertThat(kv.paused()).isFalse();
                }
            });
    }

    /** @return whether a new client sees EOF or a reset (possibly while connecting) within its read timeout */
    private static boolean endedAtOnce(int port) {
        try (Socket socket = new Socket()) {
            socket.setSoTimeout(10_000);
            try {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            }
            catch (SocketException resetWhileConnecting) {
                return true;
            }
            try {
                return socket.getInputStream().read() < 0;
            }
            catch (SocketTimeoutException waiting) {
                return false;
            }
            catch (IOException reset) {
                return true;
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
