package dev.asyncio.spring;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.asyncio.core.AsyncIoState;
import dev.asyncio.core.StateOptions;
import dev.asyncio.core.WaitStateCollection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ConnectionDrain} on real loopback connections: quiet ones are closed gracefully (the peer reads EOF),
 * ones closed meanwhile (by the peer or the application) are counted as such, and the outcome is one INFO line.
 */
@ExtendWith(OutputCaptureExtension.class)
class ConnectionDrainTests {

    private final WaitStateCollection collection = WaitStateCollection.createAndRun("drain-test");

    private final List<AutoCloseable> peers = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable peer : this.peers) {
            peer.close();
        }
        this.collection.close();
    }

    @Test
    void quietConnectionsAreClosedGracefullyAndTheOutcomeIsLogged(CapturedOutput output) throws Exception {
        Connection first = connect();
        Connection second = connect();
        new ConnectionDrain(List.of(first.state(), second.state()), Duration.ofSeconds(30), Duration.ofMillis(50))
            .run();
        assertThat(first.peer().read()).isEqualTo(-1);
        assertThat(second.peer().read()).isEqualTo(-1);
        assertThat(first.state().isOpen()).isFalse();
        assertThat(output).contains("Draining 2 async-io connection(s)")
            .contains("2 connection(s) closed when quiet, 0 closed on their own, 0 closed at the deadline, "
                    + "0 still open");
    }

    @Test
    void aConnectionClosedMeanwhileIsCountedAsSuch(CapturedOutput output) throws Exception {
        Connection gone = connect();
        gone.state().abortAndClose(false, null);
        org.awaitility.Awaitility.await().until(() -> !gone.state().isOpen());
        new ConnectionDrain(List.of(gone.state()), Duration.ofSeconds(30), Duration.ZERO).run();
        assertThat(output).contains("0 connection(s) closed when quiet, 1 closed on their own");
    }

    @Test
    void theCloseIsRequestedOnTheLoopSoACallbackMayStartItsNextRead(CapturedOutput output) throws Exception {
        Connection conn = connect();
        java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CompletableFuture<Throwable> nextRead = new java.util.concurrent.CompletableFuture<>();
        // A task on the state's loop stands for a callback that runs while the drain decides to close: it gives the
        // drain time to request the close, then starts the connection's next read, as an echo does.
        this.collection.apply(() -> {
            held.countDown();
            long until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (!conn.state().isClosing() && System.nanoTime() - until < 0) {
                Thread.onSpinWait();
            }
            try {
                conn.state().readWithChecking((st, buffer, end) -> { });
                nextRead.complete(null);
            }
            catch (RuntimeException e) {
                nextRead.complete(e);
            }
        });
        held.await();
        new ConnectionDrain(List.of(conn.state()), Duration.ofSeconds(30), Duration.ZERO).run();
        assertThat(nextRead.get(10, java.util.concurrent.TimeUnit.SECONDS)).isNull();
        assertThat(conn.peer().read()).isEqualTo(-1);
        assertThat(output).contains("1 connection(s) closed when quiet");
    }

    @Test
    void nothingToDrainIsOneLine(CapturedOutput output) {
        new ConnectionDrain(List.of(), Duration.ofSeconds(30), Duration.ofSeconds(1)).run();
        assertThat(output).contains("async-io drain finished: no connections were open");
    }

    private Connection connect() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            SocketChannel channel = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                    server.getLocalPort()));
            Socket peer = server.accept();
            peer.setSoTimeout(10_000);
            this.peers.add(peer);
            this.peers.add(channel);
            AsyncIoState state = this.collection.createState(channel, StateOptions.DEFAULTS);
            return new Connection(state, peer.getInputStream(), peer.getOutputStream());
        }
    }

    private record Connection(AsyncIoState state, InputStream peer, OutputStream out) {
    }
}
