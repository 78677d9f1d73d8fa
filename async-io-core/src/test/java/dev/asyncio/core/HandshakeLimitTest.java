package dev.asyncio.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.asyncio.core.testing.TlsFixtures;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link TlsOptions#maxConcurrentHandshakes()} and {@link TlsOptions#maxQueuedHandshakes()} on an accepting handle:
 * handshakes beyond the limit wait their turn in accept order, past the queue a connection is refused, and the
 * handshake timeout counts the time queued. Also TLS session resumption: a returning client does not pay for a full
 * handshake.
 */
class HandshakeLimitTest extends LoopTestSupport {

    private static final SSLContext SERVER = TlsFixtures.server();

    private static TlsOptions.Builder serverTls(int concurrent, int queued) {
        return TlsOptions.builder().context(SERVER).maxConcurrentHandshakes(concurrent).maxQueuedHandshakes(queued);
    }

    private AcceptingHandle handle(WaitStateCollection in, TlsOptions tls, ConnectionFunction fn,
                                   ConnectCallback tlsError) {
        AcceptingHandle h = in.acceptTcpConnections(0, fn, AcceptOptions.builder().address("127.0.0.1").tls(tls)
                .tlsErrorCallback(tlsError).build());
        track(h::close);
        return h;
    }

    /** A client that connects and says nothing: it takes no handshake slot, and times out. */
    private Socket silent(AcceptingHandle h) throws IOException {
        return track(new Socket(LOOPBACK, h.localPort()));
    }

    /**
     * A client that sends the header of a ClientHello record and stalls: its handshake holds a slot until it times
     * out or the client goes.
     */
    private Socket stalled(AcceptingHandle h) throws IOException {
        Socket s = silent(h);
        s.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x00, (byte) 0x80});
        s.getOutputStream().flush();
        return s;
    }

    /** Waits until {@code n} of the handle's connections have a TLS engine (their handshake started). */
    private void awaitEngines(AcceptingHandle h, int n) {
        await().until(() -> withEngine(h) == n);
    }

    /**
     * Waits until the connection of the client at {@code clientPort} waits in the handshake queue: its client spoke
     * (no read is active any more) and it has no engine. It must hold for a moment: a connection just accepted has
     * neither until the gate takes it in hand, in the same loop iteration.
     */
    private void awaitQueued(AcceptingHandle h, int clientPort) {
        await().during(Duration.ofMillis(50)).until(() -> h.states().stream().anyMatch(s ->
                s.peerAddress().getPort() == clientPort && s.tlsSide() == null && !s.isReading()));
    }

    /** The local port of the client {@link #tlsClient} connected last. */
    private int lastClientPort;

    /**
     * A real TLS client, handshaking on a thread of its own; completes with its local port. Not on the common pool:
     * the handshakes block, and on newer JDKs (25; not 17) {@code supplyAsync} uses the common pool even when its
     * parallelism is 1 (2 cores), so the first queued client's blocked handshake would keep the second from speaking.
     */
    private CompletableFuture<Integer> tlsClient(AcceptingHandle h) throws IOException {
        SSLSocket s = (SSLSocket) TlsFixtures.trustingClient().getSocketFactory().createSocket();
        track(s);
        s.connect(new InetSocketAddress(LOOPBACK, h.localPort()));
        lastClientPort = s.getLocalPort();
        s.setSoTimeout((int) WAIT.toMillis() * 2);
        return CompletableFuture.supplyAsync(() -> {
            try {
                s.startHandshake();
                return s.getLocalPort();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, task -> {
            Thread t = new Thread(task, "tls-client-" + lastClientPort);
            t.setDaemon(true);
            t.start();
        });
    }

    private static long withEngine(AcceptingHandle h) {
        return h.states().stream().filter(s -> s.tlsSide() != null).count();
    }

    @Test
    void handshakesBeyondTheLimitWaitTheirTurnInAcceptOrder() throws Exception {
        List<Integer> served = new CopyOnWriteArrayList<>();
        AcceptingHandle h = handle(collection, serverTls(1, 4).build(),
                (hd, s) -> served.add(s.peerAddress().getPort()), null);
        Socket holder = stalled(h);
        awaitEngines(h, 1);
        CompletableFuture<Integer> first = tlsClient(h);
        // The queue keeps the order in which clients speak: the second may only speak once the first has.
        awaitQueued(h, lastClientPort);
        CompletableFuture<Integer> second = tlsClient(h);
        awaitQueued(h, lastClientPort);
        assertThat(h.connectionCount()).isEqualTo(3);
        roundTrip();
        assertThat(withEngine(h)).as("one handshake runs; the queued connections have no engine yet").isEqualTo(1);
        assertThat(served).isEmpty();

        holder.close(); // its handshake ends (EOF): the slot passes on, in accept order
        int firstPort = first.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        int secondPort = second.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        await().until(() -> served.size() == 2);
        assertThat(served).containsExactly(firstPort, secondPort);
        assertThat(h.statistics().rejected()).isZero();
    }

    @Test
    void silentConnectionsTakeNoSlot() throws Exception {
        List<Integer> served = new CopyOnWriteArrayList<>();
        AcceptingHandle h = handle(collection, serverTls(1, 0).build(),
                (hd, s) -> served.add(s.peerAddress().getPort()), null);
        for (int i = 0; i < 3; i++) {
            silent(h);
        }
        await().until(() -> h.connectionCount() == 3);
        int port = tlsClient(h).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        await().until(() -> served.contains(port));
        assertThat(h.statistics().rejected()).isZero();
    }

    @Test
    void aConnectionBeyondTheQueueIsRefusedAtOnceAndCounted() throws Exception {
        AcceptingHandle h = handle(collection, serverTls(1, 1).build(), (hd, s) -> { }, null);
        stalled(h);
        awaitEngines(h, 1);
        awaitQueued(h, stalled(h).getLocalPort()); // queued before the next one speaks, so that one is refused
        assertThat(h.connectionCount()).isEqualTo(2);
        roundTrip();
        try (Socket refused = stalled(h)) {
            refused.setSoTimeout((int) WAIT.toMillis());
            InputStream in = refused.getInputStream();
            assertThat(in.read()).as("closed at once").isEqualTo(-1);
        }
        await().until(() -> h.statistics().rejected() == 1);
        // The refusal is counted just before the refused state closes: the count drops to 2 a moment later.
        await().until(() -> h.connectionCount() == 2);
    }

    @Test
    void theHandshakeTimeoutCountsTheTimeQueued() throws Exception {
        AtomicLong nanos = new AtomicLong(1_000_000_000L);
        WaitStateCollection timed = track(WaitStateCollection.builder("timed").nanoClock(nanos::get).createAndRun());
        CallRecorder failed = new CallRecorder();
        AcceptingHandle h = handle(timed, serverTls(1, 4).handshakeTimeout(Duration.ofSeconds(10)).build(),
                (hd, s) -> { }, failed);
        stalled(h); // takes the slot at t = 0
        awaitEngines(h, 1);
        onLoop(timed, () -> null);
        nanos.addAndGet(Duration.ofSeconds(6).toNanos());
        // Queued at t = 6 s: its handshake must end by t = 16 s, whenever its turn comes.
        awaitQueued(h, stalled(h).getLocalPort());
        onLoop(timed, () -> null);
        onLoop(timed, () -> null);

        advance(timed, nanos, Duration.ofSeconds(4)); // t = 10 s: the first times out, the second gets the slot
        assertThat(failed.next().failure()).isInstanceOf(TlsHandshakeTimeoutException.class);
        onLoop(timed, () -> null);
        assertThat(withEngine(h)).as("the queued connection now handshakes").isEqualTo(1);
        advance(timed, nanos, Duration.ofMillis(5900)); // t = 15.9 s
        failed.assertNoCall();
        advance(timed, nanos, Duration.ofMillis(200)); // t = 16.1 s: 10 s after its accept, not after its turn
        assertThat(failed.next().failure()).isInstanceOf(TlsHandshakeTimeoutException.class);
        await().until(() -> h.connectionCount() == 0);
    }

    @Test
    void connectionsWhoseTimeRunsOutSilentOrQueuedFailAsATimeoutWithoutAnEngine() throws Exception {
        AtomicLong nanos = new AtomicLong(1_000_000_000L);
        WaitStateCollection timed = track(WaitStateCollection.builder("timed").nanoClock(nanos::get).createAndRun());
        CallRecorder failed = new CallRecorder();
        AcceptingHandle h = handle(timed, serverTls(1, 4).handshakeTimeout(Duration.ofSeconds(10)).build(),
                (hd, s) -> { }, failed);
        stalled(h);
        awaitEngines(h, 1);
        stalled(h); // queued
        silent(h); // never takes a slot
        await().until(() -> h.connectionCount() == 3);
        onLoop(timed, () -> null);
        onLoop(timed, () -> null);
        advance(timed, nanos, Duration.ofMillis(9900));
        failed.assertNoCall();
        advance(timed, nanos, Duration.ofMillis(200));
        for (int i = 0; i < 3; i++) {
            assertThat(failed.next().failure()).isInstanceOf(TlsHandshakeTimeoutException.class);
        }
        await().until(() -> h.connectionCount() == 0);
        assertThat(h.statistics().timeouts()).isEqualTo(3);
    }

    private void advance(WaitStateCollection timed, AtomicLong nanos, Duration d) throws Exception {
        nanos.addAndGet(d.toNanos());
        onLoop(timed, () -> null);
        onLoop(timed, () -> null);
    }

    @Test
    void theLimitsMustBeSane() {
        assertThatThrownBy(() -> TlsOptions.builder().maxConcurrentHandshakes(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxConcurrentHandshakes");
        assertThatThrownBy(() -> TlsOptions.builder().maxQueuedHandshakes(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxQueuedHandshakes");
        assertThat(TlsOptions.builder().build().maxConcurrentHandshakes())
                .isEqualTo(TlsOptions.DEFAULT_MAX_CONCURRENT_HANDSHAKES);
    }

    /**
     * A client that comes back with the same {@link SSLContext} resumes its session (TLS 1.2 session id, TLS 1.3
     * ticket): the server's engines all come from the handle's one context, and the client's engine is made with
     * the peer's host and port, which is what the JDK keys its client session cache by. A resumed session keeps the
     * creation time of the full handshake that made it, on both ends.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void aReturningClientResumesItsSession(String protocol) throws Exception {
        java.util.concurrent.BlockingQueue<SSLSession> serverSessions = new java.util.concurrent.LinkedBlockingQueue<>();
        AcceptingHandle h = handle(collection, TlsOptions.builder().context(SERVER)
                .parametersConfigurer(p -> p.setProtocols(new String[] {protocol})).build(), (hd, s) -> {
                    serverSessions.add(s.sslEngine().getSession());
                    // One byte back: a TLS 1.3 client takes its ticket from the records after the handshake.
                    s.readBuffer(new byte[1], (st, b, n) -> st.writeBuffer(b, 0, 1, null));
                }, null);
        SSLContext client = TlsFixtures.trustingClient();
        SSLSession first = clientSession(h, client, protocol);
        SSLSession firstOnServer = serverSessions.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        SSLSession second = clientSession(h, client, protocol);
        SSLSession secondOnServer = serverSessions.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(second.getCreationTime()).as("client: resumed").isEqualTo(first.getCreationTime());
        assertThat(secondOnServer.getCreationTime()).as("server: resumed").isEqualTo(firstOnServer.getCreationTime());
    }

    private SSLSession clientSession(AcceptingHandle h, SSLContext client, String protocol) throws Exception {
        CompletableFuture<SSLSession> session = new CompletableFuture<>();
        collection.connectTcp("localhost", h.localPort(), (st, failure) -> {
            if (failure != null) {
                session.completeExceptionally(failure);
                return;
            }
            SSLSession s = st.sslEngine().getSession();
            st.writeBuffer(new byte[1], null);
            st.readBuffer(new byte[1], (st2, b, n) -> {
                session.complete(s);
                st2.close();
            });
        }, ConnectOptions.builder().tls(TlsOptions.builder().context(client)
                .parametersConfigurer(p -> p.setProtocols(new String[] {protocol})).build()).build());
        return session.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }
}
