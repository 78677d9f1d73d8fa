package dev.asyncio.nativeio.internal;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The epoll selector on its own, against the {@link Selector} contract the loop relies on. */
class EpollSelectorTest {

    private static final EpollPollerProvider PROVIDER = new EpollPollerProvider();

    private static Selector open() throws IOException {
        assertThat(PROVIDER.unavailableReason(true)).isNull();
        return PROVIDER.openSelector();
    }

    private static SocketChannel[] pair(ServerSocketChannel server) throws IOException {
        SocketChannel client = SocketChannel.open(server.getLocalAddress());
        SocketChannel accepted = server.accept();
        return new SocketChannel[] {client, accepted};
    }

    private static ServerSocketChannel listen() throws IOException {
        return ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @Test
    void reportsReadableAndWritableKeysThroughTheActionAndTheSelectedSet() throws Exception {
        try (Selector selector = open(); ServerSocketChannel server = listen()) {
            SocketChannel[] p = pair(server);
            p[1].configureBlocking(false);
            SelectionKey key = p[1].register(selector, SelectionKey.OP_READ, "att");
            assertThat(selector.selectNow()).isZero();
            p[0].write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            List<SelectionKey> seen = new ArrayList<>();
            assertThat(selector.select(k -> seen.add(k), 5_000)).isEqualTo(1);
            assertThat(seen).containsExactly(key);
            assertThat(key.readyOps()).isEqualTo(SelectionKey.OP_READ);
            assertThat(key.attachment()).isEqualTo("att");
            // Level-triggered: still readable, now through the selected-key set.
            assertThat(selector.select(5_000)).isEqualTo(1);
            assertThat(selector.selectedKeys()).containsExactly(key);
            assertThatThrownBy(() -> selector.selectedKeys().add(key)).isInstanceOf(UnsupportedOperationException.class);
            selector.selectedKeys().clear();
            key.interestOps(SelectionKey.OP_WRITE);
            assertThat(selector.selectNow()).isEqualTo(1);
            assertThat(key.readyOps()).isEqualTo(SelectionKey.OP_WRITE);
            selector.selectedKeys().clear();
            key.interestOps(0);
            assertThat(selector.selectNow()).isZero();
            p[0].close();
            p[1].close();
        }
    }

    @Test
    void aWakeUpBeforeTheSelectMakesItReturnAtOnce() throws Exception {
        try (Selector selector = open()) {
            selector.wakeup();
            selector.wakeup(); // the second costs nothing: one is pending
            assertThat(selector.select(0)).isZero(); // would block for good without the wake-up
        }
    }

    @Test
    void aWakeUpFromAnotherThreadEndsABlockingSelect() throws Exception {
        try (Selector selector = open()) {
            java.util.concurrent.CountDownLatch selecting = new java.util.concurrent.CountDownLatch(1);
            CompletableFuture<Integer> done = CompletableFuture.supplyAsync(() -> {
                try {
                    selecting.countDown();
                    return selector.select(0);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            selecting.await(10, TimeUnit.SECONDS);
            selector.wakeup(); // before or during the select: either way it returns
            assertThat(done.get(10, TimeUnit.SECONDS)).isZero();
        }
    }

    @Test
    void interruptingTheSelectingThreadEndsItsSelect() throws Exception {
        try (Selector selector = open()) {
            CompletableFuture<Boolean> interrupted = new CompletableFuture<>();
            Thread t = new Thread(() -> {
                try {
                    selector.select(0);
                    interrupted.complete(Thread.currentThread().isInterrupted());
                } catch (IOException e) {
                    interrupted.completeExceptionally(e);
                }
            });
            t.start();
            t.interrupt();
            assertThat(interrupted.get(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aChannelClosedWhileRegisteredGivesItsDescriptorBackAtTheNextSelect() throws Exception {
        try (Selector selector = open(); ServerSocketChannel server = listen()) {
            SocketChannel[] p = pair(server);
            p[1].configureBlocking(false);
            SelectionKey key = p[1].register(selector, SelectionKey.OP_READ);
            int fd = NioInternals.fd(p[1]);
            Path proc = Path.of("/proc/self/fd/" + fd);
            p[1].close();
            assertThat(key.isValid()).isFalse();
            // NIO defers the close of a registered channel's descriptor until it leaves the selector.
            assertThat(Files.exists(proc, java.nio.file.LinkOption.NOFOLLOW_LINKS)).isTrue();
            selector.selectNow();
            assertThat(p[1].isRegistered()).isFalse();
            assertThat(selector.keys()).doesNotContain(key);
            assertThat(Files.exists(proc, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                    .as("descriptor %d closed", fd).isFalse();
            assertThatThrownBy(() -> key.interestOps(SelectionKey.OP_READ)).isInstanceOf(CancelledKeyException.class);
            p[0].close();
        }
    }

    @Test
    void closingTheSelectorReleasesItsKeysAndItsDescriptors() throws Exception {
        EpollSelector selector = (EpollSelector) open();
        int epfd = selector.epollFd();
        try (ServerSocketChannel server = listen()) {
            SocketChannel[] p = pair(server);
            p[1].configureBlocking(false);
            SelectionKey key = p[1].register(selector, SelectionKey.OP_READ);
            int fd = NioInternals.fd(p[1]);
            p[1].close();
            selector.close();
            assertThat(key.isValid()).isFalse();
            assertThat(p[1].isRegistered()).isFalse();
            assertThat(Files.exists(Path.of("/proc/self/fd/" + fd), java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
            assertThat(Files.exists(Path.of("/proc/self/fd/" + epfd), java.nio.file.LinkOption.NOFOLLOW_LINKS))
                    .isFalse();
            assertThatThrownBy(selector::selectNow).isInstanceOf(ClosedSelectorException.class);
            selector.wakeup(); // harmless after close: the eventfd's number may belong to someone else now
            p[0].close();
        }
    }

    @Test
    void reportsAHungUpPeerToTheAwaitedOperation() throws Exception {
        try (Selector selector = open(); ServerSocketChannel server = listen()) {
            SocketChannel[] p = pair(server);
            p[1].configureBlocking(false);
            SelectionKey key = p[1].register(selector, SelectionKey.OP_READ);
            p[0].setOption(java.net.StandardSocketOptions.SO_LINGER, 0);
            p[0].close(); // a reset: EPOLLERR | EPOLLHUP
            assertThat(selector.select(5_000)).isEqualTo(1);
            assertThat(key.readyOps()).isEqualTo(SelectionKey.OP_READ);
            assertThatThrownBy(() -> p[1].read(ByteBuffer.allocate(1))).isInstanceOf(IOException.class);
            p[1].close();
        }
    }

    @Test
    void acceptsThroughOpAccept() throws Exception {
        try (Selector selector = open(); ServerSocketChannel server = listen()) {
            server.configureBlocking(false);
            SelectionKey key = server.register(selector, SelectionKey.OP_ACCEPT);
            try (SocketChannel client = SocketChannel.open(server.getLocalAddress())) {
                assertThat(selector.select(5_000)).isEqualTo(1);
                assertThat(key.readyOps()).isEqualTo(SelectionKey.OP_ACCEPT);
                try (SocketChannel accepted = server.accept()) {
                    assertThat(accepted).isNotNull();
                }
            }
        }
    }
}
