package dev.asyncio.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import dev.asyncio.core.testing.TlsFixtures;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 17: every kind of timeout is measured from when it was armed, even when it is armed by the first event
 * after the loop sat idle for longer than the timeout. The loop's clock is injected and moved forward while the
 * loop blocks in select with nothing scheduled; then a socket event wakes it, and what that event arms must not
 * be measured from the time the loop read before its wait (it fired at once: a 3 s read timeout closed the first
 * connection after 8 s of quiet before its first byte).
 */
class QuietSpellTimeoutTest extends LoopTestSupport {
    /** Longer than every timeout here: the quiet spell the loop sleeps through. */
    private static final Duration QUIET = Duration.ofSeconds(60);
    private static final long BIG = 64L * 1024 * 1024;
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private WaitStateCollection timed;

    @BeforeEach
    void startTimedCollection() {
        timed = track(WaitStateCollection.builder("timed").nanoClock(nanos::get).createAndRun());
    }

    /** The loop blocks in select with no deadline, so it does not look at its clock until a socket wakes it. */
    private void quietSpell() throws Exception {
        onLoop(timed, () -> null);
        nanos.addAndGet(QUIET.toNanos());
    }

    /** Two loop iterations: what the last event dispatched, and the tasks it queued, have run. */
    private void settle() throws Exception {
        onLoop(timed, () -> null);
        onLoop(timed, () -> null);
    }

    /** Moves the clock forward and lets the loop look at its deadlines (two full iterations). */
    private void advance(Duration d) throws Exception {
        nanos.addAndGet(d.toNanos());
        onLoop(timed, () -> null);
        onLoop(timed, () -> null);
    }

    private AcceptingHandle handle(AcceptOptions.Builder options, ConnectionFunction fn) {
        AcceptingHandle h = timed.acceptTcpConnections(0, fn, options.address("127.0.0.1").build());
        track(h::close);
        return h;
    }

    private Socket client(AcceptingHandle h) throws IOException {
        return track(new Socket(LOOPBACK, h.localPort()));
    }

    @Test
    void aReadTimeoutArmedByTheFirstConnectionAfterAQuietSpellCountsFromThatConnection() throws Exception {
        CallRecorder read = new CallRecorder();
        CompletableFuture<AsyncIoState> served = new CompletableFuture<>();
        AcceptingHandle h = handle(AcceptOptions.builder()
                .stateOptions(StateOptions.builder().readTimeout(Duration.ofSeconds(3)).build()), (hd, s) -> {
                    s.readBuffer(new byte[8], 0, 8, read);
                    served.complete(s);
                });
        quietSpell();
        client(h);
        AsyncIoState state = served.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        settle();
        advance(Duration.ofMillis(2900));
        assertThat(read.all()).as("no read timeout 2.9 s after the connection (3 s timeout, 60 s of quiet before)")
                .isEmpty();
        assertThat(state.isReading()).isTrue();
        advance(Duration.ofMillis(200));
        assertThat(read.next().readStatus()).isEqualTo(IoStatus.TIMEOUT);
    }

    @Test
    void aReadDeadlineArmedAfterAQuietSpellCountsFromTheRead() throws Exception {
        CallRecorder read = new CallRecorder();
        CompletableFuture<AsyncIoState> served = new CompletableFuture<>();
        AcceptingHandle h = handle(AcceptOptions.builder(), (hd, s) -> {
            s.readBuffer(new byte[8], 0, 8, read, OperationOptions.builder().deadline(Duration.ofSeconds(3)).build());
            served.complete(s);
        });
        quietSpell();
        client(h);
        served.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        settle();
        advance(Duration.ofMillis(2900));
        assertThat(read.all()).as("no read deadline 2.9 s after the read started (3 s deadline)").isEmpty();
        advance(Duration.ofMillis(200));
        assertThat(read.next().readStatus()).isEqualTo(IoStatus.TIMEOUT);
    }

    @Test
    void aHandshakeTimeoutArmedAfterAQuietSpellCountsFromTheConnection() throws Exception {
        CallRecorder tlsFailed = new CallRecorder();
        AcceptingHandle h = handle(AcceptOptions.builder()
                .tls(TlsOptions.builder().context(TlsFixtures.server())
                        .handshakeTimeout(Duration.ofSeconds(10)).build())
                .tlsErrorCallback(tlsFailed), (hd, s) -> { });
        quietSpell();
        client(h); // says nothing: the handshake waits for its ClientHello
        await().until(() -> h.statistics().accepted() == 1);
        settle();
        advance(Duration.ofMillis(9900));
        assertThat(tlsFailed.all()).as("no handshake timeout 9.9 s after the connection (10 s timeout)").isEmpty();
        assertThat(h.connectionCount()).isEqualTo(1);
        advance(Duration.ofMillis(200));
        assertThat(tlsFailed.next().failure()).isInstanceOf(TlsHandshakeTimeoutException.class);
    }

    @Test
    void theDrainAfterAGracefulCloseCountsFromTheFinNotFromBeforeTheQuietSpell() throws Exception {
        CompletableFuture<AsyncIoState> served = new CompletableFuture<>();
        CallRecorder closed = new CallRecorder();
        AcceptingHandle h = handle(AcceptOptions.builder()
                .stateOptions(StateOptions.builder().maxQueuedOutput(BIG).build()), (hd, s) -> {
            s.writeBuffer(new byte[8 * 1024 * 1024], null);
            s.closeGracefully(null, closed);
            served.complete(s);
        });
        Socket client = new Socket();
        track(client);
        client.setReceiveBufferSize(4096);
        client.connect(new InetSocketAddress(LOOPBACK, h.localPort()));
        AsyncIoState state = served.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        await().until(() -> state.snapshot().bytesWritten() > 0);
        quietSpell(); // the output is stuck: the loop waits for OP_WRITE with nothing scheduled
        Peer peer = new Peer(client);
        assertThat(peer.drainToEof()).as("everything, then the FIN").isEqualTo(8 * 1024 * 1024);
        // The last OP_WRITE sent the FIN and armed the drain (2 s for the peer's EOF); the peer keeps its side open.
        advance(Duration.ofMillis(1900));
        assertThat(state.isOpen()).as("still draining 1.9 s after the FIN").isTrue();
        closed.assertNoCall();
        advance(Duration.ofMillis(200));
        closed.next();
        assertThat(state.isOpen()).isFalse();
    }

    @Test
    void aWriteTimeoutArmedAfterAQuietSpellCountsFromTheWrite() throws Exception {
        CallRecorder write = new CallRecorder();
        CompletableFuture<AsyncIoState> served = new CompletableFuture<>();
        AcceptingHandle h = handle(AcceptOptions.builder()
                .stateOptions(StateOptions.builder().writeTimeout(Duration.ofSeconds(3)).maxQueuedOutput(BIG).build()),
                (hd, s) -> {
                    // Started by the first byte after the quiet spell, from its read callback.
                    s.readBuffer(new byte[1], 0, 1, (st, b, n) -> st.writeBuffer(new byte[32 * 1024 * 1024], write));
                    served.complete(s);
                });
        Socket client = new Socket();
        track(client);
        client.setReceiveBufferSize(4096);
        client.connect(new InetSocketAddress(LOOPBACK, h.localPort()));
        AsyncIoState state = served.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        quietSpell();
        client.getOutputStream().write('x');
        await().until(() -> state.isWriting());
        settle();
        advance(Duration.ofMillis(2900));
        assertThat(write.all()).as("no write timeout 2.9 s after the write started (3 s timeout)").isEmpty();
        advance(Duration.ofMillis(200));
        assertThat(write.next().writeStatus()).isEqualTo(IoStatus.TIMEOUT);
    }

    @Test
    void aConnectTimeoutArmedAfterAQuietSpellCountsFromTheConnect() throws Exception {
        ServerSocket full = listenWithFullBacklog();
        CallRecorder connected = new CallRecorder();
        CompletableFuture<AsyncIoState> started = new CompletableFuture<>();
        AcceptingHandle h = handle(AcceptOptions.builder(), (hd, s) -> started.complete(timed.connectTcp("127.0.0.1",
                full.getLocalPort(), connected, ConnectOptions.builder().connectTimeout(Duration.ofSeconds(3)).build())));
        quietSpell();
        client(h);
        started.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        settle(); // the connect itself is a task the connection function queued
        advance(Duration.ofMillis(2900));
        assertThat(connected.all()).as("no connect timeout 2.9 s after the connect started (3 s timeout)").isEmpty();
        advance(Duration.ofMillis(200));
        assertThat(connected.next().failure()).isInstanceOf(SocketTimeoutException.class);
    }

    /**
     * The same on the real clock of a real loop: it really sits idle for longer than the read timeout, then a
     * connection comes. The timeout must not fire before about a second after the connect: checked by the time
     * the callback ran, not by racing a sleep against it.
     */
    @Test
    void onARealClockTheFirstConnectionAfterAnIdleLoopGetsItsWholeReadTimeout() throws Exception {
        CompletableFuture<Long> timedOutAt = new CompletableFuture<>();
        AcceptingHandle h = collection.acceptTcpConnections(0, (hd, s) -> s.readBuffer(new byte[8], 0, 8,
                (st, b, n) -> timedOutAt.complete(System.nanoTime())), AcceptOptions.builder().address("127.0.0.1")
                .stateOptions(StateOptions.builder().readTimeout(Duration.ofSeconds(1)).build()).build());
        track(h::close);
        roundTrip();
        // The scenario itself, not a wait for an event: the loop must be left alone for longer than the timeout.
        Thread.sleep(2500);
        long connectedAt = System.nanoTime();
        client(h);
        long firedAfter = timedOutAt.get(WAIT.toSeconds(), TimeUnit.SECONDS) - connectedAt;
        assertThat(Duration.ofNanos(firedAfter)).as("read timeout of 1 s after 2.5 s of idle loop")
                .isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }

    /** A loopback listener whose accept queue is full drops further SYNs, so a connect to it hangs. */
    private ServerSocket listenWithFullBacklog() throws IOException {
        ServerSocket server = track(new ServerSocket(0, 1, LOOPBACK));
        for (int i = 0; i < 16; i++) {
            Socket s = track(new Socket());
            try {
                s.connect(server.getLocalSocketAddress(), 500);
            } catch (SocketTimeoutException queueFull) {
                return server;
            }
        }
        assumeThat(false).as("cannot make a loopback connect hang here: connect-timeout case skipped").isTrue();
        return server;
    }
}
