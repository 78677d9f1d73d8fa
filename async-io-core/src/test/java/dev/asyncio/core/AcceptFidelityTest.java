package dev.asyncio.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * Issue 13, defects 5 and 6 and the {@code :address} item: {@code :init-timeout nil} is the default of one minute;
 * on the loop thread a bind can be retried off the loop; {@code :ipv6 t} is a real IPv6-only socket or a clear
 * refusal, never accept-then-reset; {@code :address} takes an {@link InetAddress}.
 */
class AcceptFidelityTest extends LoopTestSupport {

    private static final ConnectionFunction ECHO = (handle, state) -> state.readWithChecking((s, buf, end) -> {
        if (s.readStatus() != IoStatus.OK) {
            s.close();
            return;
        }
        byte[] copy = java.util.Arrays.copyOf(buf, end);
        s.discard(end);
        s.writeBuffer(copy, 0, copy.length, null);
    });

    private static void assertEchoes(Peer peer, String text) throws IOException {
        peer.send(text);
        assertThat(peer.readString(text.length())).isEqualTo(text);
    }

    @Test
    void aNullInitTimeoutKeepsRetryingABusyPortAsTheDefaultDoes() throws Exception {
        ServerSocket blocker = new ServerSocket(0, 1, LOOPBACK);
        int port = blocker.getLocalPort();
        CompletableFuture<AcceptingHandle> result = new CompletableFuture<>();
        Thread binder = new Thread(() -> {
            try {
                result.complete(collection.acceptTcpConnections(port, ECHO,
                        AcceptOptions.builder().address("127.0.0.1").initTimeout(null).build()));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }, "binder");
        binder.start();
        try {
            // Old code: initTimeout(null) meant "try once", so the bind had failed before the binder ever waited.
            await().until(() -> binder.getState() == Thread.State.TIMED_WAITING || result.isDone());
            assertThat(result.isDone()).as("a null initTimeout retries the busy port").isFalse();
        } finally {
            blocker.close();
        }
        AcceptingHandle handle = result.get(WAIT.toSeconds() * 2, TimeUnit.SECONDS);
        assertThat(handle.localPort()).isEqualTo(port);
        assertThat(handle.options().initTimeout()).isEqualTo(AcceptOptions.DEFAULT_INIT_TIMEOUT);
        binder.join(WAIT.toMillis());
    }

    @Test
    void onTheLoopThreadABusyPortIsRetriedOffTheLoopByTheLaterForm() throws Exception {
        ServerSocket blocker = new ServerSocket(0, 1, LOOPBACK);
        int port = blocker.getLocalPort();
        AcceptOptions options = AcceptOptions.builder().address("127.0.0.1").initTimeout(Duration.ofSeconds(30))
                .build();
        CompletableFuture<String> completedOn = new CompletableFuture<>();
        CompletableFuture<AcceptingHandle> later;
        try {
            Throwable synchronous = onLoop(() -> {
                try {
                    collection.acceptTcpConnections(port, ECHO, options);
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            });
            assertThat(synchronous).isInstanceOf(BindFailedException.class)
                    .hasMessageContaining("tried once").hasMessageContaining("acceptTcpConnectionsLater");

            later = onLoop(() -> collection.acceptTcpConnectionsLater(port, ECHO, options));
            later.whenComplete((h, t) -> completedOn.complete(Thread.currentThread().getName()));
            roundTrip(); // the loop keeps serving while the bind waits for the port
            assertThat(later.isDone()).as("the port is still busy").isFalse();
        } finally {
            blocker.close();
        }
        // Wait on the dependent first: a get() on 'later' itself could run the dependent on this thread.
        assertThat(completedOn.get(WAIT.toSeconds() * 3, TimeUnit.SECONDS)).isEqualTo(loopThreadName());
        AcceptingHandle handle = later.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(handle.localPort()).isEqualTo(port);
        try (Peer peer = Peer.connect(handle.localAddress())) {
            assertEchoes(peer, "bound later");
        }
    }

    @Test
    void ipv6OnAllInterfacesIsRefusedClearlyInsteadOfAcceptingAndResettingIpv4Peers() {
        // Old code: bound a dual-stack socket, accepted IPv4 peers and reset them.
        assertThatThrownBy(() -> collection.acceptTcpConnections(0, ECHO,
                AcceptOptions.builder().ipFamily(IpFamily.IPV6).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("IPV6_V6ONLY").hasMessageContaining("::1")
                .hasMessageContaining("IpFamily.BOTH");
        assertThatThrownBy(() -> collection.acceptTcpConnections(0, ECHO,
                AcceptOptions.builder().ipFamily(IpFamily.IPV6).address("::").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("IPV6_V6ONLY");
        assertThat(collection.handles()).isEmpty();
    }

    @Test
    void anIpv6OnlyHandleOnASpecificAddressSharesItsPortWithAnIpv4Listener() throws Exception {
        assumeThat(AcceptingHandleTest.ipv6LoopbackAvailable()).as("this machine has no ::1: IPv6 test skipped")
                .isTrue();
        AcceptingHandle v4 = collection.acceptTcpConnections(0, ECHO,
                AcceptOptions.builder().ipFamily(IpFamily.IPV4).build());
        AcceptingHandle v6 = collection.acceptTcpConnections(v4.localPort(), ECHO,
                AcceptOptions.builder().ipFamily(IpFamily.IPV6).address(InetAddress.getByName("::1"))
                        .initTimeout(Duration.ZERO).build());
        assertThat(v6.localAddress().getAddress()).isInstanceOf(Inet6Address.class);
        try (Peer p4 = Peer.connect(new InetSocketAddress("127.0.0.1", v4.localPort()));
             Peer p6 = Peer.connect(new InetSocketAddress("::1", v6.localPort()))) {
            assertEchoes(p4, "to v4");
            assertEchoes(p6, "to v6");
        }
        await().until(() -> v4.statistics().accepted() == 1 && v6.statistics().accepted() == 1);
        assertThat(v6.statistics().rejected()).isZero();
    }

    @Test
    void theAddressMayBeAnInetAddress() throws Exception {
        AcceptingHandle handle = collection.acceptTcpConnections(0, ECHO,
                AcceptOptions.builder().address(InetAddress.getLoopbackAddress()).build());
        assertThat(handle.localAddress().getAddress()).isEqualTo(InetAddress.getLoopbackAddress());
        assertThat(handle.options().address()).isEqualTo(InetAddress.getLoopbackAddress().getHostAddress());
        try (Peer peer = Peer.connect(handle.localAddress())) {
            assertEchoes(peer, "by object");
        }
    }
}
