package dev.asyncio.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** The options builders: LispWorks' defaults, and bad values refused with a message naming the setting. */
class OptionsTest {

    @Test
    void defaultsAreLispWorksDefaults() {
        StateOptions s = StateOptions.DEFAULTS;
        assertThat(s.queueOutput()).as("TCP queue-output default nil").isFalse();
        assertThat(s.readTimeout()).isNull();
        assertThat(s.writeTimeout()).isNull();
        assertThat(s.writeHighWaterMark()).isGreaterThan(s.writeLowWaterMark());

        AcceptOptions a = AcceptOptions.DEFAULTS;
        assertThat(a.nodelay()).isTrue();
        assertThat(a.keepalive()).isFalse();
        assertThat(a.ipFamily()).isEqualTo(IpFamily.ANY);
        assertThat(a.createState()).isTrue();
        assertThat(a.initTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(a.maxConnections()).isZero();
        assertThat(a.maxConnectionsPolicy()).isEqualTo(MaxConnectionsPolicy.PAUSE);
        assertThat(a.address()).isNull();

        ConnectOptions c = ConnectOptions.DEFAULTS;
        assertThat(c.nodelay()).isTrue();
        assertThat(c.keepalive()).isFalse();
        assertThat(c.connectTimeout()).isNull();
        assertThat(c.localPort()).isZero();
    }

    @Test
    void badValuesAreRefusedNamingTheSetting() {
        assertThatThrownBy(() -> StateOptions.builder().maxRead(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxRead");
        assertThatThrownBy(() -> StateOptions.builder().maxBufferedInput(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBufferedInput");
        assertThatThrownBy(() -> StateOptions.builder().writeWaterMarks(10, 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("water marks");
        assertThatThrownBy(() -> StateOptions.builder().maxQueuedOutput(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxQueuedOutput");
        assertThatThrownBy(() -> StateOptions.builder().readTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("readTimeout");
        assertThatThrownBy(() -> StateOptions.builder().writeTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("writeTimeout");
        assertThatThrownBy(() -> OperationOptions.timeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
        assertThatThrownBy(() -> OperationOptions.builder().maxRead(-5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxRead");
        assertThatThrownBy(() -> AcceptOptions.builder().backlog(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("backlog");
        assertThatThrownBy(() -> AcceptOptions.builder().maxConnections(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxConnections");
        assertThatThrownBy(() -> AcceptOptions.builder().maxConnectionsPolicy(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("maxConnectionsPolicy");
        assertThat(AcceptOptions.builder().maxConnectionsPolicy(MaxConnectionsPolicy.REFUSE).build().toBuilder()
                .build().maxConnectionsPolicy()).as("kept by toBuilder").isEqualTo(MaxConnectionsPolicy.REFUSE);
        assertThatThrownBy(() -> AcceptOptions.builder().initTimeout(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("initTimeout");
        assertThatThrownBy(() -> ConnectOptions.builder().localPort(70000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("localPort");
        assertThatThrownBy(() -> ConnectOptions.builder().connectTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("connectTimeout");
    }

    @Test
    void optionsAreImmutableAndCopyable() {
        AcceptOptions base = AcceptOptions.builder().handleName("a").backlog(7).build();
        AcceptOptions changed = base.toBuilder().handleName("b").build();
        assertThat(base.handleName()).isEqualTo("a");
        assertThat(changed.handleName()).isEqualTo("b");
        assertThat(changed.backlog()).isEqualTo(7);
        assertThat(AcceptOptions.builder().queueOutput(true).build().stateOptions().queueOutput()).isTrue();
        // Issue 13: LispWorks' :init-timeout nil is the default of one minute, not "try once".
        assertThat(AcceptOptions.builder().initTimeout(null).build().initTimeout()).isEqualTo(Duration.ofMinutes(1));
    }
}
