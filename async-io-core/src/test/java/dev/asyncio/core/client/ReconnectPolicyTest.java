package dev.asyncio.core.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** The backoff arithmetic and the option checks, without sockets. */
class ReconnectPolicyTest {

    @Test
    void delaysGrowByTheMultiplierUpToTheMaximum() {
        ReconnectPolicy p = ReconnectPolicy.builder().initialInterval(Duration.ofMillis(100)).multiplier(2)
                .maxInterval(Duration.ofMillis(700)).jitter(0).build();
        SplittableRandom r = new SplittableRandom(1);
        assertThat(p.delay(1, r)).isEqualTo(Duration.ofMillis(100));
        assertThat(p.delay(2, r)).isEqualTo(Duration.ofMillis(200));
        assertThat(p.delay(3, r)).isEqualTo(Duration.ofMillis(400));
        assertThat(p.delay(4, r)).isEqualTo(Duration.ofMillis(700));
        assertThat(p.delay(60, r)).isEqualTo(Duration.ofMillis(700));
    }

    @Test
    void jitterStaysWithinItsFractionAndVaries() {
        ReconnectPolicy p = ReconnectPolicy.builder().initialInterval(Duration.ofSeconds(1)).jitter(0.2).build();
        SplittableRandom r = new SplittableRandom(42);
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 1000; i++) {
            long d = p.delay(1, r).toMillis();
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        assertThat(min).isGreaterThanOrEqualTo(800);
        assertThat(max).isLessThanOrEqualTo(1200);
        assertThat(max - min).as("jitter spreads the delays").isGreaterThan(200);
    }

    @Test
    void badValuesNameTheOption() {
        assertThatThrownBy(() -> ReconnectPolicy.builder().multiplier(0.5)).hasMessageContaining("multiplier");
        assertThatThrownBy(() -> ReconnectPolicy.builder().jitter(1.5)).hasMessageContaining("jitter");
        assertThatThrownBy(() -> ReconnectPolicy.builder().maxAttempts(-1)).hasMessageContaining("maxAttempts");
        assertThatThrownBy(() -> ReconnectPolicy.builder().initialInterval(Duration.ofSeconds(5))
                .maxInterval(Duration.ofSeconds(1)).build()).hasMessageContaining("maxInterval");
        assertThatThrownBy(() -> ReconnectPolicy.DEFAULTS.delay(0, new SplittableRandom()))
                .hasMessageContaining("failures");
        assertThatThrownBy(() -> PoolOptions.builder().maxConnections(0)).hasMessageContaining("maxConnections");
        assertThatThrownBy(() -> PoolOptions.builder().acquireTimeout(Duration.ZERO))
                .hasMessageContaining("acquireTimeout");
        assertThatThrownBy(() -> ClientOptions.builder().build()).hasMessageContaining("address");
        assertThatThrownBy(() -> ClientOptions.builder().maxPendingRequests(0))
                .hasMessageContaining("maxPendingRequests");
    }

    @Test
    void addressesParseInEveryForm() {
        assertThat(ClientAddress.parse("redis.local:6379")).isEqualTo(ClientAddress.tcp("redis.local", 6379));
        assertThat(ClientAddress.parse("[::1]:7000").host()).isEqualTo("::1");
        assertThat(ClientAddress.parse("[::1]:7000")).hasToString("[::1]:7000");
        assertThat(ClientAddress.parse("unix:/run/app.sock").path()).isEqualTo(Path.of("/run/app.sock"));
        assertThat(ClientAddress.parse("/run/app.sock").isUnix()).isTrue();
        assertThatThrownBy(() -> ClientAddress.parse("localhost")).hasMessageContaining("host:port");
        assertThatThrownBy(() -> ClientAddress.parse("localhost:x")).hasMessageContaining("port");
        assertThatThrownBy(() -> ClientAddress.parse("localhost:70000")).hasMessageContaining("65535");
        assertThatThrownBy(() -> ClientAddress.parse("::1:80")).hasMessageContaining("brackets");
    }
}
