package dev.asyncio.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** A busy port is retried for {@code initTimeout}; the bind is synchronous and fails naming the address and port. */
class BusyPortRetryTest extends LoopTestSupport {

    @Test
    void theBindSucceedsOnceThePortIsFreedWithinTheInitTimeout() throws Exception {
        ServerSocket blocker = new ServerSocket(0, 1, LOOPBACK);
        int port = blocker.getLocalPort();
        CompletableFuture<AcceptingHandle> result = new CompletableFuture<>();
        Thread binder = new Thread(() -> {
            try {
                result.complete(collection.acceptTcpConnections(port, (h, s) -> s.close(),
                        AcceptOptions.builder().address("127.0.0.1").initTimeout(Duration.ofSeconds(20)).build()));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }, "binder");
        binder.start();
        try {
            // The binder waits between retries; only then is the port freed.
            await().until(() -> binder.getState() == Thread.State.TIMED_WAITING || result.isDone());
            assertThat(result.isDone()).as("the bind did not give up while the port was busy").isFalse();
        } finally {
            blocker.close();
        }

        AcceptingHandle handle = result.get(20, TimeUnit.SECONDS);
        assertThat(handle.localPort()).isEqualTo(port);
        assertThat(handle.isOpen()).isTrue();
        try (Peer client = Peer.connect(handle.localAddress())) {
            assertThat(client.seesEof()).as("the handle accepts (and this one closes at once)").isTrue();
        }
        binder.join(WAIT.toMillis());
    }

    @Test
    void theBindFailsAfterTheInitTimeoutNamingTheAddressAndPort() throws Exception {
        try (ServerSocket blocker = new ServerSocket(0, 1, LOOPBACK)) {
            int port = blocker.getLocalPort();
            assertThatThrownBy(() -> collection.acceptTcpConnections(port, (h, s) -> { },
                    AcceptOptions.builder().address("127.0.0.1").initTimeout(Duration.ofMillis(300)).build()))
                    .isInstanceOfSatisfying(BindFailedException.class, e -> {
                        assertThat(e.port()).isEqualTo(port);
                        assertThat(e.address().getPort()).isEqualTo(port);
                    })
                    .hasMessageContaining("127.0.0.1:" + port);
            assertThat(collection.handles()).isEmpty();
            assertThat(collection.isAlive()).isTrue();
        }
    }

    @Test
    void aZeroInitTimeoutFailsAtOnce() throws Exception {
        try (ServerSocket blocker = new ServerSocket(0, 1, LOOPBACK)) {
            int port = blocker.getLocalPort();
            assertThatThrownBy(() -> collection.acceptTcpConnections(String.valueOf(port), (h, s) -> { },
                    AcceptOptions.builder().address("127.0.0.1").initTimeout(Duration.ZERO).build()))
                    .isInstanceOf(BindFailedException.class)
                    .hasMessageContaining(":" + port);
        }
    }

    @Test
    void anAddressThatIsNotLocalFailsWithBindFailed() {
        // 192.0.2.1 (TEST-NET-1) is never a local address: binding it fails at once, nothing is sent anywhere.
        assertThatThrownBy(() -> collection.acceptTcpConnections(0, (h, s) -> { },
                AcceptOptions.builder().address("192.0.2.1").initTimeout(Duration.ofMillis(200)).build()))
                .isInstanceOf(BindFailedException.class)
                .hasMessageContaining("192.0.2.1");
    }

    @Test
    void onTheLoopThreadABusyPortIsTriedOnceSinceRetryingWouldBlockTheLoop() throws Exception {
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
            assertThat(thrown).isInstanceOf(BindFailedException.class).hasMessageContaining(":" + port);
        }
    }
}
