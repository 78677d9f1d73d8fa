package dev.asyncio.sample.udp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** The per-source token buckets, on an injected clock. */
class SourceRateLimiterTest {

    private static final long SECOND = 1_000_000_000L;
    private final AtomicLong clock = new AtomicLong(123 * SECOND);

    private static InetAddress address(int i) throws Exception {
        return InetAddress.getByAddress(new byte[] {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i});
    }

    private static int granted(SourceRateLimiter limiter, InetAddress source, int tries) {
        int granted = 0;
        for (int i = 0; i < tries; i++) {
            if (limiter.tryAcquire(source)) {
                granted++;
            }
        }
        return granted;
    }

    @Test
    void aSourceGetsItsBurstThenItsRate() throws Exception {
        SourceRateLimiter limiter = new SourceRateLimiter(10, 50, 100, clock::get);
        InetAddress a = address(1);
        assertThat(granted(limiter, a, 10_000)).isEqualTo(50);
        clock.addAndGet(SECOND);
        assertThat(granted(limiter, a, 10_000)).isEqualTo(10);
        clock.addAndGet(SECOND / 10);
        assertThat(granted(limiter, a, 10_000)).isEqualTo(1);
        clock.addAndGet(3600 * SECOND);
        assertThat(granted(limiter, a, 10_000)).as("refills up to the burst, no more").isEqualTo(50);
    }

    @Test
    void sourcesDoNotShareABucket() throws Exception {
        SourceRateLimiter limiter = new SourceRateLimiter(10, 5, 100, clock::get);
        assertThat(granted(limiter, address(1), 100)).isEqualTo(5);
        assertThat(granted(limiter, address(2), 100)).isEqualTo(5);
        assertThat(limiter.trackedSources()).isEqualTo(2);
    }

    @Test
    void theTableIsBoundedAndSourcesBeyondItShareOneBucket() throws Exception {
        SourceRateLimiter limiter = new SourceRateLimiter(1, 2, 100, clock::get);
        int granted = 0;
        for (int i = 0; i < 10_000; i++) {
            granted += granted(limiter, address(i), 3);
        }
        assertThat(limiter.trackedSources()).isEqualTo(100);
        assertThat(granted).as("100 buckets of 2, plus the shared bucket's 2").isEqualTo(202);
    }

    @Test
    void idleSourcesMakeRoomButLimitedOnesKeepTheirBuckets() throws Exception {
        SourceRateLimiter limiter = new SourceRateLimiter(1, 2, 2, clock::get);
        InetAddress quiet = address(1);
        InetAddress flooding = address(2);
        InetAddress newcomer = address(3);
        granted(limiter, quiet, 1);
        granted(limiter, flooding, 1000);
        clock.addAndGet(SECOND); // quiet refilled to its burst; flooding has 1 token of 2
        assertThat(granted(limiter, newcomer, 1)).isEqualTo(1);
        assertThat(limiter.trackedSources()).as("the quiet source made room for the newcomer").isEqualTo(2);
        assertThat(granted(limiter, flooding, 1000)).as("the flooding source kept its partly empty bucket")
                .isEqualTo(1);
    }

    @Test
    void badSettingsAreRefused() {
        assertThatThrownBy(() -> new SourceRateLimiter(0, 1, 1, clock::get)).hasMessageContaining("rate");
        assertThatThrownBy(() -> new SourceRateLimiter(1, 0, 1, clock::get)).hasMessageContaining("burst");
        assertThatThrownBy(() -> new SourceRateLimiter(1, 1, 0, clock::get)).hasMessageContaining("maxSources");
        assertThatThrownBy(() -> new UdpEchoLimits(false, 0, 1, 1))
                .hasMessageContaining("sample.udp-echo.rate-per-source");
    }
}
