package dev.asyncio.spring;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import dev.asyncio.core.AcceptOptions;
import dev.asyncio.core.WaitStateCollection;
import dev.asyncio.spring.test.EchoConnectionFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** {@link PortBinder} on a busy port, on a clock the test moves: WARN at the first retry and every 10 s. */
@ExtendWith(OutputCaptureExtension.class)
class PortBinderTests {

    @Test
    void busyPortWarnsAtTheFirstRetryAndEveryTenSecondsThenReportsPortInUse(CapturedOutput output)
            throws IOException {
        AtomicLong now = new AtomicLong();
        // Each pause moves the clock instead of sleeping: 25 s of retries take no real time.
        // The probe says the holder accepts no connection: a socket that is closing, worth the wait.
        PortBinder binder = new PortBinder((port) -> null, now::get,
                (millis) -> now.addAndGet(Duration.ofMillis(millis).toNanos()), (address) -> false);
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                WaitStateCollection collection = WaitStateCollection.createAndRun("port-binder-test")) {
            int port = busy.getLocalPort();
            HandleDefinition definition = new HandleDefinition("echo", "port-binder-test", Integer.toString(port),
                    new EchoConnectionFunction(),
                    AcceptOptions.builder().address("127.0.0.1").initTimeout(Duration.ofSeconds(25)).build(),
                    "async-io.handles.echo");
            assertThatExceptionOfType(AsyncIoPortInUseException.class)
                .isThrownBy(() -> binder.bind(definition, collection, false, -1))
                .satisfies((ex) -> {
                    assertThat(ex.getPort()).isEqualTo(port);
                    assertThat(ex.getRetried()).isGreaterThanOrEqualTo(Duration.ofSeconds(25));
                    assertThat(ex.getMessage()).contains("port " + port + " is in use; retried for 25s "
                            + "(async-io.handles.echo.init-timeout)");
                });
            String log = output.getAll();
            assertThat(count(log, "port " + port + " is in use; retrying for up to 25s "
                    + "(async-io.handles.echo.init-timeout)")).isOne();
            assertThat(count(log, "port " + port + " is still in use after 1")).isOne();
            assertThat(count(log, "port " + port + " is still in use after 2")).isOne();
            assertThat(count(log, "is still in use")).isEqualTo(2);
        }
    }

    @Test
    void reopenDoesNotRetryABusyPort() throws IOException {
        AtomicLong now = new AtomicLong();
        PortBinder binder = new PortBinder((port) -> null, now::get, (millis) -> {
            throw new AssertionError("re-open must not wait");
        }, (address) -> false);
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                WaitStateCollection collection = WaitStateCollection.createAndRun("port-binder-reopen")) {
            HandleDefinition definition = new HandleDefinition("echo", "port-binder-reopen",
                    Integer.toString(busy.getLocalPort()), new EchoConnectionFunction(),
                    AcceptOptions.builder().address("127.0.0.1").build(), "async-io.handles.echo");
            assertThatExceptionOfType(dev.asyncio.core.BindFailedException.class)
                .isThrownBy(() -> binder.bind(definition, collection, true, -1));
        }
    }

    @Test
    void aPortHeldByALiveServerFailsAtOnceInsteadOfWaitingTheInitTimeout(CapturedOutput output) throws IOException {
        AtomicLong now = new AtomicLong();
        // The real probe: the busy socket below listens, so the kernel completes the probe's connection.
        PortBinder binder = new PortBinder((port) -> null, now::get, (millis) -> {
            throw new AssertionError("a live server must not be waited for");
        }, PortBinder.ListenerProbe.CONNECT);
        try (ServerSocket busy = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                WaitStateCollection collection = WaitStateCollection.createAndRun("port-binder-live")) {
            int port = busy.getLocalPort();
            HandleDefinition definition = new HandleDefinition("echo", "port-binder-live", Integer.toString(port),
                    new EchoConnectionFunction(),
                    AcceptOptions.builder().address("127.0.0.1").initTimeout(Duration.ofSeconds(60)).build(),
                    "async-io.handles.echo");
            assertThatExceptionOfType(AsyncIoPortInUseException.class)
                .isThrownBy(() -> binder.bind(definition, collection, false, -1))
                .satisfies((ex) -> {
                    assertThat(ex.isLiveListener()).isTrue();
                    assertThat(ex.getRetried()).isZero();
                    assertThat(ex.getMessage()).contains("port " + port + " is in use by a process that accepts "
                            + "connections on it (a live server");
                });
        }
    }

    @Test
    void theProbeTellsAListenerFromAPortNobodyAccepts() throws IOException {
        java.net.InetSocketAddress listening;
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            listening = new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
            assertThat(PortBinder.ListenerProbe.CONNECT.accepting(listening)).isTrue();
            assertThat(PortBinder.ListenerProbe.CONNECT
                .accepting(new java.net.InetSocketAddress("0.0.0.0", server.getLocalPort())))
                .as("the wildcard address is probed on loopback")
                .isTrue();
        }
        assertThat(PortBinder.ListenerProbe.CONNECT.accepting(listening)).as("closed: refused").isFalse();
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            count++;
        }
        return count;
    }
}
