package dev.asyncio.sample.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** The per-source failure counts behind the 429s, on an injected clock. */
class LoginThrottleTest {

    private final AtomicLong clock = new AtomicLong(42);
    private final LoginThrottle throttle = new LoginThrottle(3, Duration.ofMinutes(1), 100, clock::get);

    @Test
    void aSourceIsBlockedAfterItsFailuresUntilTheWindowEnds() {
        assertThat(throttle.isBlocked("10.0.0.1")).isFalse();
        assertThat(throttle.failed("10.0.0.1")).isEqualTo(1);
        assertThat(throttle.failed("10.0.0.1")).isEqualTo(2);
        assertThat(throttle.isBlocked("10.0.0.1")).isFalse();
        assertThat(throttle.failed("10.0.0.1")).isEqualTo(3);
        assertThat(throttle.isBlocked("10.0.0.1")).isTrue();
        assertThat(throttle.isBlocked("10.0.0.2")).as("another source").isFalse();
        clock.addAndGet(Duration.ofSeconds(59).toNanos());
        assertThat(throttle.isBlocked("10.0.0.1")).isTrue();
        clock.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(throttle.isBlocked("10.0.0.1")).as("a new window").isFalse();
        assertThat(throttle.failed("10.0.0.1")).isEqualTo(1);
    }

    @Test
    void checksInFlightTakeAFailuresPlaceSoConcurrentGuessesCannotAllPass() {
        // 16 concurrent guesses used to pass the check before the first failure was counted: 16 bcrypt runs.
        int admitted = 0;
        for (int i = 0; i < 16; i++) {
            if (throttle.tryBegin("10.0.0.9")) {
                admitted++;
            }
        }
        assertThat(admitted).isEqualTo(3);
        throttle.failed("10.0.0.9");
        throttle.failed("10.0.0.9");
        assertThat(throttle.tryBegin("10.0.0.9")).isFalse();
        throttle.succeeded("10.0.0.9");
        assertThat(throttle.tryBegin("10.0.0.9")).as("a success forgets the failures").isTrue();
    }

    @Test
    void aSuccessClearsTheCount() {
        throttle.failed("10.0.0.1");
        throttle.failed("10.0.0.1");
        throttle.succeeded("10.0.0.1");
        assertThat(throttle.failed("10.0.0.1")).isEqualTo(1);
    }

    @Test
    void theTableIsBoundedAndACrowdBeyondItSharesOneCount() {
        for (int i = 0; i < 100; i++) {
            throttle.failed("10.0.1." + i);
        }
        assertThat(throttle.trackedSources()).isEqualTo(100);
        throttle.failed("10.0.2.1");
        throttle.failed("10.0.2.2");
        throttle.failed("10.0.2.3");
        assertThat(throttle.trackedSources()).isEqualTo(101); // the 100 plus the shared count
        assertThat(throttle.isBlocked("10.0.2.4")).as("a newcomer shares the crowd's exhausted count").isTrue();
        clock.addAndGet(Duration.ofMinutes(2).toNanos());
        assertThat(throttle.isBlocked("10.0.2.4")).isFalse();
        throttle.failed("10.0.2.4");
        assertThat(throttle.trackedSources()).as("ended windows made room").isEqualTo(1);
    }

    @Test
    void badPropertiesNameThemselves() {
        assertThatThrownBy(() -> new HttpGuardProperties(0, Duration.ofMinutes(1), 1, Duration.ZERO))
                .hasMessageContaining("sample.security.max-login-failures");
        assertThatThrownBy(() -> new HttpGuardProperties(1, Duration.ZERO, 1, Duration.ZERO))
                .hasMessageContaining("sample.security.failure-window");
        assertThatThrownBy(() -> new HttpGuardProperties(1, Duration.ofMinutes(1), 0, Duration.ZERO))
                .hasMessageContaining("sample.security.max-tracked-sources");
    }
}
