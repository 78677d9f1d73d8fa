package dev.asyncio.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;

/**
 * {@link AcceptOptions#spreadOver} (the lead's tests, kept beside {@link SpreadOverTest}): one handle accepts, other collections serve the connections round-robin; the
 * handle's limits and counters hold across loops, and a worker that closes does not leak sockets.
 */
class SpreadOverWorkersTest extends LoopTestSupport {

    private static void echo(AcceptingHandle handle, AsyncIoState state) {
        state.readWithChecking((s, buffer, end) -> {
            if (s.readStatus() != IoStatus.OK) {
                s.closeGracefully(null, null);
                return;
            }
            byte[] copy = Arrays.copyOf(buffer, end);
            s.discard(end);
            s.writeBuffer(copy, null);
        });
    }

    private Socket client(AcceptingHandle handle) throws IOException {
        Socket s = track(new Socket());
        s.connect(new InetSocketAddress(LOOPBACK, handle.localPort()), 5_000);
        s.setSoTimeout(10_000);
        return s;
    }

    private static String roundTrip(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes());
        byte[] back = new byte[text.length()];
        new DataInputStream(s.getInputStream()).readFully(back);
        return new String(back);
    }

    @Test
    void connectionsAreServedRoundRobinOnTheWorkerLoops() throws Exception {
        WaitStateCollection w1 = newCollection("w1", CallbackErrorPolicy.LOG);
        WaitStateCollection w2 = newCollection("w2", CallbackErrorPolicy.LOG);
        Set<String> servingThreads = ConcurrentHashMap.newKeySet();
        AcceptingHandle handle = collection.acceptTcpConnections(0, (h, s) -> {
            servingThreads.add(Thread.currentThread().getName());
            assertThat(s.collection()).isIn(w1, w2);
            echo(h, s);
        }, AcceptOptions.builder().address("127.0.0.1").queueOutput(true).spreadOver(List.of(w1, w2)).build());

        List<Socket> clients = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Socket c = client(handle);
            assertThat(roundTrip(c, "hello " + i)).isEqualTo("hello " + i);
            clients.add(c);
        }
        assertThat(servingThreads).containsExactlyInAnyOrder("Loop Collection w1", "Loop Collection w2");
        assertThat(handle.connectionCount()).isEqualTo(4);
        assertThat(handle.connections(10)).hasSize(4);
        // Counted right after the system call: a client may have its echo a moment before the count is visible.
        await().untilAsserted(() -> assertThat(handle.statistics().bytesRead())
                .isEqualTo(handle.statistics().bytesWritten()).isEqualTo(4 * 7));
        assertThat(w1.statistics().states()).isEqualTo(2);
        assertThat(w2.statistics().states()).isEqualTo(2);
        assertThat(collection.statistics().states()).isZero();
    }

    @Test
    void maxConnectionsHoldsAcrossWorkerLoops() throws Exception {
        WaitStateCollection w1 = newCollection("w1", CallbackErrorPolicy.LOG);
        WaitStateCollection w2 = newCollection("w2", CallbackErrorPolicy.LOG);
        AcceptingHandle handle = collection.acceptTcpConnections(0, SpreadOverWorkersTest::echo, AcceptOptions.builder()
                .address("127.0.0.1").queueOutput(true).spreadOver(List.of(w1, w2)).maxConnections(2).build());
        Socket a = client(handle);
        Socket b = client(handle);
        assertThat(roundTrip(a, "a")).isEqualTo("a");
        assertThat(roundTrip(b, "b")).isEqualTo("b");
        await().until(() -> handle.statistics().paused());

        Socket third = client(handle);
        third.getOutputStream().write('c');
        third.setSoTimeout(300);
        boolean servedWhileFull;
        try {
            servedWhileFull = third.getInputStream().read() >= 0;
        } catch (SocketTimeoutException waitsInTheBacklog) {
            servedWhileFull = false;
        }
        assertThat(servedWhileFull).as("a third connection is served while two are open").isFalse();

        a.close();
        third.setSoTimeout(10_000);
        assertThat(third.getInputStream().read()).isEqualTo('c');
        assertThat(handle.statistics().accepted()).isEqualTo(3);
    }

    @Test
    void aClosedWorkerReleasesTheConnectionsHandedToIt() throws Exception {
        WaitStateCollection w1 = newCollection("w1", CallbackErrorPolicy.LOG);
        WaitStateCollection w2 = newCollection("w2", CallbackErrorPolicy.LOG);
        AcceptingHandle handle = collection.acceptTcpConnections(0, SpreadOverWorkersTest::echo, AcceptOptions.builder()
                .address("127.0.0.1").queueOutput(true).spreadOver(List.of(w1, w2)).maxConnections(3).build());
        w2.close();
        int served = 0;
        int refused = 0;
        for (int i = 0; i < 4; i++) {
            Socket c = client(handle);
            c.getOutputStream().write('x');
            int r;
            try {
                r = c.getInputStream().read();
            } catch (java.net.SocketException reset) {
                r = -1; // closed with our byte unread: the kernel answers with a reset
            }
            if (r == 'x') {
                served++;
            } else {
                assertThat(r).as("a connection handed to the closed worker is closed, not left hanging").isEqualTo(-1);
                refused++;
            }
        }
        assertThat(served).isEqualTo(2);
        assertThat(refused).isEqualTo(2);
        assertThat(handle.statistics().rejected()).isEqualTo(2);
        assertThat(handle.statistics().paused()).isFalse();
    }
}
