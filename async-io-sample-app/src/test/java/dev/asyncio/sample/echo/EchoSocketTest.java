package dev.asyncio.sample.echo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.asyncio.core.AcceptOptions;
import dev.asyncio.core.AcceptingHandle;
import dev.asyncio.core.AsyncIoState;
import dev.asyncio.core.WaitStateCollection;

/** The echo connection function over real loopback sockets. */
class EchoSocketTest {

    private WaitStateCollection collection;
    private AcceptingHandle handle;

    private Socket connect(boolean queueOutput) throws IOException {
        collection = WaitStateCollection.createAndRun("echo-test");
        handle = collection.acceptTcpConnections(0, new EchoConnectionFunction(Duration.ofSeconds(5)),
                AcceptOptions.builder().address("127.0.0.1").queueOutput(queueOutput).build());
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", handle.localPort()), 5000);
        s.setSoTimeout(10_000);
        return s;
    }

    @AfterEach
    void stop() {
        if (collection != null) {
            collection.close();
        }
    }

    @ParameterizedTest(name = "queueOutput={0}")
    @ValueSource(booleans = {true, false})
    void echoesALargeTransferInOrder(boolean queueOutput) throws Exception {
        byte[] payload = new byte[2 * 1024 * 1024];
        new Random(42).nextBytes(payload);
        try (Socket s = connect(queueOutput)) {
            Thread writer = writeInBackground(s, payload);
            byte[] echoed = s.getInputStream().readNBytes(payload.length);
            writer.join(10_000);
            assertThat(echoed).isEqualTo(payload);
        }
    }

    @Test
    void eofGetsEveryByteBackThenEofAndNoConnectionLeft() throws Exception {
        try (Socket s = connect(true)) {
            s.getOutputStream().write("hello, echo".getBytes());
            s.shutdownOutput();
            InputStream in = s.getInputStream();
            assertThat(new String(in.readAllBytes())).isEqualTo("hello, echo");
        }
        await().atMost(5, TimeUnit.SECONDS).until(() -> handle.connectionCount() == 0);
    }

    @Test
    void aPeerThatDoesNotReadPausesTheServerWithBoundedOutput() throws Exception {
        byte[] payload = new byte[8 * 1024 * 1024];
        new Random(7).nextBytes(payload);
        try (Socket s = connect(true)) {
            s.setReceiveBufferSize(64 * 1024);
            Thread writer = writeInBackground(s, payload);
            await().atMost(10, TimeUnit.SECONDS).until(() -> handle.states().size() == 1);
            AsyncIoState server = handle.states().get(0);
            // We read nothing: the server's output reaches its high water mark and it stops reading (its read
            // operation ends until the output drains), so what it holds stays bounded however much we send.
            await().atMost(10, TimeUnit.SECONDS).until(() -> !server.isReading());
            assertThat(server.queuedOutput()).isLessThan(512 * 1024);
            byte[] echoed = s.getInputStream().readNBytes(payload.length);
            writer.join(10_000);
            assertThat(echoed).isEqualTo(payload);
        }
    }

    /**
     * The shutdown drain closes connections gracefully while their read is armed; bytes that arrive then used to
     * make the echo start another read on the closing state, which threw ("readPooled on a state that is closing")
     * and was logged as an ERROR with a stack trace. Now no callback fails and the peer gets EOF.
     */
    @Test
    void aGracefulCloseWhileReadingMakesNoCallbackFail() throws Exception {
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        collection = WaitStateCollection.builder("echo-drain-test")
                .callbackErrorPolicy(failure -> failures.add(failure.exception())).createAndRun();
        handle = collection.acceptTcpConnections(0, new EchoConnectionFunction(Duration.ofSeconds(5)),
                AcceptOptions.builder().address("127.0.0.1").queueOutput(true).build());
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", handle.localPort()), 5000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write("before".getBytes());
            assertThat(new String(s.getInputStream().readNBytes(6))).isEqualTo("before");
            await().atMost(10, TimeUnit.SECONDS).until(() -> handle.states().size() == 1
                    && handle.states().get(0).isReading());
            AsyncIoState server = handle.states().get(0);
            // The race, made certain: bytes are in the socket when the drain (another thread) calls
            // closeGracefully, and the loop sees the readable socket before it runs the close's first step. The
            // loop is held by a task meanwhile, so both happen while it cannot look.
            CountDownLatch loopHeld = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            collection.apply(() -> {
                loopHeld.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertThat(loopHeld.await(10, TimeUnit.SECONDS)).isTrue();
            s.getOutputStream().write("during the drain".getBytes());
            s.getOutputStream().flush();
            server.closeGracefully(Duration.ofSeconds(10), null);
            release.countDown();
            InputStream in = s.getInputStream();
            in.readAllBytes(); // until EOF: whatever the drain still echoed, then the close
            await().atMost(10, TimeUnit.SECONDS).until(() -> !server.isOpen());
        }
        assertThat(failures).isEmpty();
        assertThat(collection.statistics().callbackFailures()).isZero();
    }

    private static Thread writeInBackground(Socket s, byte[] payload) {
        AtomicReference<IOException> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                OutputStream out = s.getOutputStream();
                for (int at = 0; at < payload.length; at += 16 * 1024) {
                    out.write(payload, at, Math.min(16 * 1024, payload.length - at));
                }
                out.flush();
            } catch (IOException e) {
                failure.set(e);
            }
        }, "echo-test-writer");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
