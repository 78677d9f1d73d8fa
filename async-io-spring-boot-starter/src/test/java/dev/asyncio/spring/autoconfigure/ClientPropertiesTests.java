package dev.asyncio.spring.autoconfigure;

import java.time.Duration;
import java.util.List;

import dev.asyncio.core.Framing;
import dev.asyncio.core.TlsSide;
import dev.asyncio.spring.AsyncIoConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code async-io.clients.<name>.*}: binding, defaults, and every rule checked at start-up with a message naming the
 * property.
 */
class ClientPropertiesTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AsyncIoAutoConfiguration.class))
        .withPropertyValues("async-io.fail-on-unknown-properties=true");

    private static ClientSettings settings(AssertableApplicationContext context, String name) {
        return context.getBean(ConfiguredClients.class).settings().get(name);
    }

    @Test
    void defaultsOfAClientWithOnlyAnAddress() {
        this.runner.withPropertyValues("async-io.clients.kv.address=127.0.0.1:6379").run((context) -> {
            assertThat(context).hasNotFailed();
            ClientSettings s = settings(context, "kv");
            assertThat(s.addresses()).singleElement().satisfies((a) -> {
                assertThat(a.kind()).isEqualTo(ClientAddressSpec.Kind.TCP);
                assertThat(a.host()).isEqualTo("127.0.0.1");
                assertThat(a.port()).isEqualTo(6379);
            });
            assertThat(s.shuffle()).isFalse();
            assertThat(s.mode()).isEqualTo(ClientProperties.Mode.SHARED);
            assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
            assertThat(s.requestTimeout()).isEqualTo(Duration.ofSeconds(10));
            assertThat(s.collection()).isEqualTo("default");
            assertThat(s.initialInterval()).isEqualTo(Duration.ofMillis(100));
            assertThat(s.multiplier()).isEqualTo(2.0);
            assertThat(s.maxInterval()).isEqualTo(Duration.ofSeconds(30));
            assertThat(s.maxAttempts()).isZero();
            assertThat(s.jitter()).isEqualTo(0.2);
            assertThat(s.pool().maxConnections()).isEqualTo(8);
            assertThat(s.pool().testOnAcquire()).isTrue();
            assertThat(s.pool().maxPendingAcquires()).isEqualTo(1000);
            assertThat(s.pool().idleTimeout()).isEqualTo(Duration.ofSeconds(60));
            assertThat(s.pool().evictionInterval()).isEqualTo(Duration.ofSeconds(1));
            assertThat(s.pool().maxPipelined()).isEqualTo(1);
            assertThat(s.tls()).isNull();
            assertThat(s.framing()).isNull();
        });
    }

    @Test
    void everyPropertyReachesTheSettings() {
        this.runner
            .withPropertyValues("async-io.collections.upstream.callback-error-policy=log",
                    "async-io.clients.kv.addresses[0]=[::1]:7001", "async-io.clients.kv.addresses[1]=/run/kv.sock",
                    "async-io.clients.kv.addresses[2]=unix:kv.sock", "async-io.clients.kv.addresses[3]=db:5432",
                    "async-io.clients.kv.address-order=shuffle", "async-io.clients.kv.connect-timeout=2s",
                    "async-io.clients.kv.mode=pool", "async-io.clients.kv.request-timeout=0",
                    "async-io.clients.kv.collection=upstream", "async-io.clients.kv.reconnect.initial-interval=1s",
                    "async-io.clients.kv.reconnect.multiplier=1.5", "async-io.clients.kv.reconnect.max-interval=1m",
                    "async-io.clients.kv.reconnect.max-attempts=5", "async-io.clients.kv.reconnect.jitter=0",
                    "async-io.clients.kv.pool.max-connections=3", "async-io.clients.kv.pool.max-pending-acquires=0",
                    "async-io.clients.kv.pool.acquire-timeout=250ms", "async-io.clients.kv.pool.idle-timeout=5s",
                    "async-io.clients.kv.pool.max-lifetime=1h", "async-io.clients.kv.pool.eviction-interval=1s",
                    "async-io.clients.kv.pool.test-on-acquire=false", "async-io.clients.kv.pool.max-pipelined=4", "async-io.clients.kv.framing.type=crlf")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                ClientSettings s = settings(context, "kv");
                assertThat(s.addresses()).extracting(ClientAddressSpec::kind)
                    .containsExactly(ClientAddressSpec.Kind.TCP, ClientAddressSpec.Kind.UNIX,
                            ClientAddressSpec.Kind.UNIX, ClientAddressSpec.Kind.TCP);
                assertThat(s.addresses().get(0).host()).isEqualTo("::1");
                assertThat(s.addresses().get(2).path()).hasToString("kv.sock");
                assertThat(s.shuffle()).isTrue();
                assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
                assertThat(s.mode()).isEqualTo(ClientProperties.Mode.POOL);
                assertThat(s.requestTimeout()).isNull();
                assertThat(s.collection()).isEqualTo("upstream");
                assertThat(s.initialInterval()).isEqualTo(Duration.ofSeconds(1));
                assertThat(s.multiplier()).isEqualTo(1.5);
                assertThat(s.maxInterval()).isEqualTo(Duration.ofMinutes(1));
                assertThat(s.maxAttempts()).isEqualTo(5);
                assertThat(s.jitter()).isZero();
                assertThat(s.pool()).isEqualTo(new ClientSettings.PoolSettings(3, 0, Duration.ofMillis(250),
                        Duration.ofSeconds(5), Duration.ofHours(1), Duration.ofSeconds(1), false, 4));
                assertThat(s.framing().kind()).isEqualTo(Framing.Kind.CRLF);
            });
    }

    @Test
    void aHandleAddressNamesAHandleOfTheSameApplication() {
        this.runner
            .withPropertyValues("async-io.handles.kv.port=0", "async-io.handles.kv.connection-function=fn",
                    "async-io.clients.up.address=handle:kv")
            .withBean("fn", dev.asyncio.core.ConnectionFunction.class, () -> (handle, state) -> state.close())
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(settings(context, "up").addresses().get(0).handle()).isEqualTo("kv");
            });
    }

    @Test
    void aDisabledClientIsLeftOut() {
        this.runner.withPropertyValues("async-io.clients.kv.enabled=false", "async-io.clients.kv.address=nonsense")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(context.getBean(ConfiguredClients.class).settings()).isEmpty();
            });
    }

    @Test
    void aTlsBundleMakesClientSideTlsWithSniAndHostnameVerification() {
        this.runner.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
            .withPropertyValues("spring.ssl.bundle.jks.up.truststore.location=classpath:tls/truststore.p12",
                    "spring.ssl.bundle.jks.up.truststore.password=changeit",
                    "async-io.clients.kv.address=localhost:6380", "async-io.clients.kv.tls.bundle=up",
                    "async-io.clients.kv.tls.server-name=kv.example.com",
                    "async-io.clients.kv.tls.verify-hostname=false")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                var tls = settings(context, "kv").tls();
                assertThat(tls.side()).isEqualTo(TlsSide.CLIENT);
                assertThat(tls.sniHostName()).isEqualTo("kv.example.com");
                assertThat(tls.hostnameVerification()).isFalse();
                assertThat(tls.context()).isNotNull();
            });
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "address|127.0.0.1|address|it has no port",
            "address|127.0.0.1:0|address|1 to 65535",
            "address|127.0.0.1:65536|address|1 to 65535",
            "address|::1:6379|address|brackets",
            "address|[::1]6379|address|followed by :port",
            "address|:6379|address|no host",
            "address|unix:|address|no path",
            "address|handle:nope|address|names no enabled async-io handle",
            "addresses[1]|x|addresses[1]|it has no port",
            "connect-timeout|0s|connect-timeout|must be positive",
            "request-timeout|-1s|request-timeout|must not be negative",
            "collection|nope|collection|names no collection",
            "reconnect.initial-interval|0s|reconnect.initial-interval|must be positive",
            "reconnect.max-interval|10ms|reconnect.max-interval|shorter than",
            "reconnect.multiplier|0.5|reconnect.multiplier|1 or more",
            "reconnect.jitter|1.5|reconnect.jitter|from 0 to 1",
            "reconnect.max-attempts|-1|reconnect.max-attempts|must not be negative",
            "pool.max-connections|0|pool.max-connections|must be positive",
            "pool.max-pending-acquires|-1|pool.max-pending-acquires|must not be negative",
            "pool.acquire-timeout|0s|pool.acquire-timeout|must be positive",
            "pool.idle-timeout|-1s|pool.idle-timeout|must not be negative",
            "pool.max-lifetime|-1s|pool.max-lifetime|must not be negative",
            "pool.max-pipelined|0|pool.max-pipelined|must be positive",
            "pool.eviction-interval|0s|pool.eviction-interval|must be positive",
            "tls.bundle|missing|tls.bundle|names no SSL bundle",
            "tls.server-name|kv.example.com|tls.server-name|does not use TLS",
            "framing.delimiter|x|framing.delimiter|", })
    void aBadValueFailsStartUpNamingTheProperty(String key, String value, String property, String reason) {
        String first = key.startsWith("addresses") ? "async-io.clients.kv-upstream.addresses[0]=127.0.0.1:1"
                : key.equals("address") ? "async-io.enabled=true" : "async-io.clients.kv-upstream.address=h:1";
        this.runner.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
            .withPropertyValues(first, "async-io.clients.kv-upstream." + key + "=" + value)
            .run((context) -> assertThat(context).hasFailed()
                .getFailure()
                .rootCause()
                .isInstanceOf(AsyncIoConfigurationException.class)
                .hasMessageContaining("'async-io.clients.kv-upstream." + property + "'")
                .hasMessageContaining((reason != null) ? reason : ""));
    }

    @Test
    void noAddressFailsStartUpNamingTheProperty() {
        this.runner.withPropertyValues("async-io.clients.kv.mode=pool")
            .run((context) -> assertThat(context).hasFailed()
                .getFailure()
                .rootCause()
                .hasMessageContaining("'async-io.clients.kv.address' is not set"));
    }

    @Test
    void addressAndAddressesTogetherFailStartUp() {
        this.runner.withPropertyValues("async-io.clients.kv.address=a:1", "async-io.clients.kv.addresses=b:1,c:2")
            .run((context) -> assertThat(context).hasFailed()
                .getFailure()
                .rootCause()
                .hasMessageContaining("'async-io.clients.kv.addresses'")
                .hasMessageContaining("together with async-io.clients.kv.address"));
    }

    @Test
    void anUnknownModeFailsBindingNamingTheProperty() {
        this.runner.withPropertyValues("async-io.clients.kv.address=a:1", "async-io.clients.kv.mode=sticky")
            .run((context) -> assertThat(context).hasFailed()
                .getFailure()
                .hasStackTraceContaining("async-io.clients.kv.mode"));
    }

    @Test
    void aMistypedClientKeyIsReportedWithTheNearestKnownOne() {
        this.runner.withPropertyValues("async-io.clients.kv.address=a:1", "async-io.clients.kv.conect-timeout=1s")
            .run((context) -> assertThat(context).hasFailed()
                .getFailure()
                .rootCause()
                .hasMessageContaining("async-io.clients.kv.conect-timeout")
                .hasMessageContaining("did you mean connect-timeout?"));
        this.runner.withPropertyValues("async-io.clients.kv.addresses[0]=a:1", "async-io.clients.kv.addresses[1]=b:1",
                "async-io.clients.kv.pool.max-conections=3")
            .run((context) -> assertThat(context).hasFailed()
                .getFailure()
                .rootCause()
                .hasMessageContaining("async-io.clients.kv.pool.max-conections")
                .hasMessageNotContaining("addresses"));
    }

    @Test
    void commaSeparatedAddressesBind() {
        this.runner.withPropertyValues("async-io.clients.kv.addresses=a:1, b:2")
            .run((context) -> assertThat(settings(context, "kv").addresses()).extracting(ClientAddressSpec::text)
                .isEqualTo(List.of("a:1", "b:2")));
    }
}
