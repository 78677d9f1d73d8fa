package dev.asyncio.core.internal.accept;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The spare descriptor: freed to take waiting connections off a backlog, opened again afterwards. */
class DescriptorReserveTest {

    @Test
    void refusingFreesTheSpareTakesEveryWaitingConnectionAndOpensItAgain() throws Exception {
        DescriptorReserve reserve = new DescriptorReserve(Files.createTempFile("reserve", ".spare"), true);
        assertThat(reserve.ensureHeld()).isTrue();
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            server.configureBlocking(false);
            List<Socket> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    clients.add(new Socket(InetAddress.getLoopbackAddress(), server.socket().getLocalPort()));
                }
                List<SocketChannel> refused = new ArrayList<>();
                // The three complete their handshakes in the kernel's accept queue; wait for all of them.
                await().until(() -> {
                    int n = reserve.refuseWaiting(server, 64, ch -> {
                        refused.add(ch);
                        close(ch);
                    });
                    return n >= 0 && refused.size() == 3;
                });
                assertThat(reserve.held()).as("opened again").isTrue();
                assertThat(reserve.refuseWaiting(server, 64, DescriptorReserveTest::close)).isZero();
                for (Socket c : clients) {
                    c.setSoTimeout(10_000);
                    int read;
                    try {
                        read = c.getInputStream().read();
                    } catch (SocketException reset) {
                        read = -1;
                    }
                    assertThat(read).as("the refused client sees the end").isEqualTo(-1);
                }
            } finally {
                for (Socket c : clients) {
                    c.close();
                }
            }
        }
    }

    @Test
    void withoutASpareNothingIsAcceptedAndTheCallerBacksOff() throws Exception {
        DescriptorReserve none = new DescriptorReserve(Path.of("/no/such/file/for/the/reserve"), true);
        assertThat(none.ensureHeld()).isFalse();
        DescriptorReserve off = new DescriptorReserve(Files.createTempFile("reserve", ".spare"), false);
        assertThat(off.ensureHeld()).as("turned off").isFalse();
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            server.configureBlocking(false);
            assertThat(none.refuseWaiting(server, 64, DescriptorReserveTest::close)).isEqualTo(-1);
            assertThat(off.refuseWaiting(server, 64, DescriptorReserveTest::close)).isEqualTo(-1);
        }
    }

    private static void close(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
