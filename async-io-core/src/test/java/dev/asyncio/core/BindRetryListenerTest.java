package dev.asyncio.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/**
 * The core's busy-port retry reports each failed attempt to {@link AcceptOptions#bindRetryListener()} on the binding
 * thread, lets it stop early, and runs on the listener's clock (simulated here: a minute of retries takes no time).
 */
class BindRetryListenerTest extends LoopTestSupport {

    /** Records every call; its clock moves only when the retry pauses. */
    private static final class Recorder implements BindRetryListener {
        final AtomicLong now = new AtomicLong();
        final List<Integer> attempts = new CopyOnWriteArrayList<>();
        final List<Duration> elapsed = new CopyOnWriteArrayList<>();
        final List<Long> pauses = new CopyOnWriteArrayList<>();
        final List<Thread> threads = new CopyOnWriteArrayList<>();
        final int stopAt;

        Recorder(int stopAt) {
            this.stopAt = stopAt;
        }

        @Override
        public boolean retrying(int attempt, Duration sinceStart, BindFailedException cause) {
            assertThat(cause.portInUse()).isTrue();
            attempts.add(attempt);
            elapsed.add(sinceStart);
            threads.add(Thread.currentThread());
            return attempt != stopAt;
        }

        @Override
        public long nanoTime() {
            return now.get();
        }

        @Override
        public void pause(long millis) {
            pauses.add(millis);
            now.addAndGet(Duration.ofMillis(millis).toNanos());
        }
    }

    @Test
    void eachFailedAttemptIsReportedOnTheBindingThreadUntilTheInitTimeout() throws Exception {
        Recorder recorder = new Recorder(-1);
        try (ServerSocket blocker = new ServerSocket(0, 1, LOOPBACK)) {
            int port = blocker.getLocalPort();
            assertThatThrownBy(() -> collection.acceptTcpConnections(port, (h, s) -> { }, AcceptOptions.builder()
                    .address("127.0.0.1").initTimeout(Duration.ofSeconds(5)).bindRetryListener(recorder).build()))
                    .isInstanceOfSatisfying(BindFailedException.class, e -> {
                        assertThat(e.portInUse()).isTrue();
                        assertThat(e.waited()).isEqualTo(Duration.ofSeconds(5));
                    });
        }
        assertThat(recorder.attempts).startsWith(1, 2, 3).doesNotHaveDuplicates();
        assertThat(recorder.elapsed.get(0)).isZero();
        assertThat(recorder.elapsed).isSorted();
        assertThat(recorder.pauses).as("backoff: 50 ms doubling up to 1 s, never past the deadline")
                .startsWith(50L, 100L, 200L, 400L, 800L, 1000L, 1000L);
        assertThat(recorder.pauses.stream().mapToLong(Long::longValue).sum()).isEqualTo(5000);
        assertThat(recorder.threads).containsOnly(Thread.currentThread());
    }

    @Test
    void theListenerStopsTheRetryEarly() throws Exception {
        Recorder recorder = new Recorder(3);
        try (ServerSocket blocker = new ServerSocket(0, 1, LOOPBACK)) {
            int port = blocker.getLocalPort();
            assertThatThrownBy(() -> collection.acceptTcpConnections(port, (h, s) -> { }, AcceptOptions.builder()
                    .address("127.0.0.1").initTimeout(Duration.ofMinutes(1)).bindRetryListener(recorder).build()))
                    .isInstanceOfSatisfying(BindFailedException.class, e -> {
                        assertThat(e.portInUse()).isTrue();
                        assertThat(e.port()).isEqualTo(port);
                        assertThat(e.waited()).isEqualTo(Duration.ofMillis(150));
                    });
        }
        assertThat(recorder.attempts).containsExactly(1, 2, 3);
        assertThat(recorder.pauses).containsExactly(50L, 100L);
        assertThat(collection.handles()).isEmpty();
    }

    @Test
    void anExceptionFromTheListenerReachesTheCaller() throws Exception {
        try (ServerSocket blocker = new ServerSocket(0, 1, LOOPBACK)) {
            int port = blocker.getLocalPort();
            IllegalStateException stop = new IllegalStateException("a live server holds the port");
            assertThatThrownBy(() -> collection.acceptTcpConnections(port, (h, s) -> { }, AcceptOptions.builder()
                    .address("127.0.0.1").bindRetryListener((attempt, elapsed, cause) -> {
                        throw stop;
                    }).build()))
                    .isSameAs(stop);
        }
        assertThat(collection.handles()).isEmpty();
    }

    @Test
    void neitherAFailureOtherThanABusyPortNorATryOnceBindCallsTheListener() throws Exception {
        BindRetryListener never = (attempt, elapsed, cause) -> {
            throw new AssertionError("the listener must not be called");
        };
        // 192.0.2.1 (TEST-NET-1) is never a local address: binding it fails at once, nothing is sent anywhere.
        assertThatThrownBy(() -> collection.acceptTcpConnections(0, (h, s) -> { }, AcceptOptions.builder()
                .address("192.0.2.1").bindRetryListener(never).build()))
                .isInstanceOfSatisfying(BindFailedException.class, e -> assertThat(e.portInUse()).isFalse());
        try (ServerSocket blocker = new ServerSocket(0, 1, LOOPBACK)) {
            int port = blocker.getLocalPort();
            assertThatThrownBy(() -> collection.acceptTcpConnections(port, (h, s) -> { }, AcceptOptions.builder()
                    .address("127.0.0.1").initTimeout(Duration.ZERO).bindRetryListener(never).build()))
                    .isInstanceOf(BindFailedException.class);
        }
    }

    @Test
    void theListenerIsKeptByToBuilderAndMayNotBeNull() {
        BindRetryListener listener = (attempt, elapsed, cause) -> true;
        AcceptOptions options = AcceptOptions.builder().bindRetryListener(listener).build();
        assertThat(options.toBuilder().build().bindRetryListener()).isSameAs(listener);
        assertThat(AcceptOptions.DEFAULTS.bindRetryListener()).isSameAs(BindRetryListener.NONE);
        assertThatThrownBy(() -> AcceptOptions.builder().bindRetryListener(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("bindRetryListener");
    }
}
