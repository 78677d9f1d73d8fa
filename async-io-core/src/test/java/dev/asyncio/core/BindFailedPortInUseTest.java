package dev.asyncio.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;

import org.junit.jupiter.api.Test;

/** {@link BindFailedException#portInUse()}: the core says whether the port was busy, so callers read no message. */
class BindFailedPortInUseTest extends LoopTestSupport {

    @Test
    void aBusyPortIsReportedAsInUse() throws Exception {
        try (ServerSocket blocker = new ServerSocket(0, 1, LOOPBACK)) {
            int port = blocker.getLocalPort();
            assertThatThrownBy(() -> collection.acceptTcpConnections(port, (h, s) -> { },
                    AcceptOptions.builder().address("127.0.0.1").initTimeout(Duration.ZERO).build()))
                    .isInstanceOfSatisfying(BindFailedException.class, e -> assertThat(e.portInUse()).isTrue());
        }
    }

    @Test
    void anAddressThatIsNotLocalIsNotAPortInUse() {
        // 192.0.2.1 (TEST-NET-1) is never a local address: binding it fails at once, nothing is sent anywhere.
        assertThatThrownBy(() -> collection.acceptTcpConnections(0, (h, s) -> { },
                AcceptOptions.builder().address("192.0.2.1").initTimeout(Duration.ZERO).build()))
                .isInstanceOfSatisfying(BindFailedException.class, e -> assertThat(e.portInUse()).isFalse());
    }

    @Test
    void theTriedOnceOnLoopFormKeepsTheAnswer() throws Exception {
        try (ServerSocket blocker = new ServerSocket(0, 1, LOOPBACK)) {
            int port = blocker.getLocalPort();
            Throwable thrown = onLoop(() -> {
                try {
                    collection.acceptTcpConnections(port, (h, s) -> { }, AcceptOptions.builder()
                            .address("127.0.0.1").initTimeout(Duration.ofSeconds(60)).build());
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            });
            assertThat(thrown).isInstanceOfSatisfying(BindFailedException.class,
                    e -> assertThat(e.portInUse()).isTrue());
        }
    }

    @Test
    void theClassificationReadsTheExceptionTypeAndTheErrnoText() {
        InetSocketAddress where = new InetSocketAddress("127.0.0.1", 7000);
        assertThat(new BindFailedException(where, Duration.ZERO, new BindException("Address already in use"))
                .portInUse()).isTrue();
        assertThat(new BindFailedException(where, Duration.ZERO, new BindException(
                "Only one usage of each socket address (protocol/network address/port) is normally permitted"))
                .portInUse()).as("Windows' WSAEADDRINUSE text").isTrue();
        assertThat(new BindFailedException(where, Duration.ZERO,
                new BindException("Cannot assign requested address")).portInUse()).isFalse();
        assertThat(new BindFailedException(where, Duration.ZERO, new java.io.IOException("Address already in use"))
                .portInUse()).as("not a BindException").isFalse();
        assertThat(new BindFailedException(where, Duration.ZERO, new BindException()).portInUse()).isFalse();
        assertThat(new BindFailedException(java.nio.file.Path.of("/tmp/x.sock"), "why", null).portInUse())
                .isFalse();
    }
}
