package dev.asyncio.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 19: reader-idle, writer-idle and all-idle notices on a state, on the loop's deadline queue. The loop's clock
 * is injected (as in {@link QuietSpellTimeoutTest}): a test moves it forward and lets the loop look at its
 * deadlines, so that every "not yet" and "now" is exact; one test runs on a real clock with a bounded wait.
 */
class IdleDetectionTest extends LoopTestSupport {
    private static final Duration PERIOD = Duration.ofSeconds(3);
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private WaitStateCollection timed;

    /** One idle notice: which direction, the count, on which thread, at which loop-clock time. */
    record Notice(AsyncIoState state, IdleKind kind, int count, String thread, long at) {
    }

    /** Records the notices; a test takes them in order, with a bounded wait. */
    final class Notices implements IdleCallback {
        final LinkedBlockingQueue<Notice> queue = new LinkedBlockingQueue<>();
        final List<Notice> all = new ArrayList<>();

        @Override
        public synchronized void idle(AsyncIoState state, IdleKind kind, int count) {
            Notice n = new Notice(state, kind, count, Thread.currentThread().getName(), nanos.get());
            all.add(n);
            queue.add(n);
        }

        Notice next() throws InterruptedException {
            Notice n = queue.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(n).as("an idle notice within " + WAIT).isNotNull();
            return n;
        }

        void assertNone() {
            assertThat(queue).as("no idle notice").isEmpty();
        }
    }

    @BeforeEach
    void startTimedCollection() {
        timed = track(WaitStateCollection.builder("idle-timed").nanoClock(nanos::get).createAndRun());
    }

    /** Moves the clock forward and lets the loop look at its deadlines (two full iterations). */
    private void advance(Duration d) throws Exception {
        nanos.addAndGet(d.toNanos());
        settle();
    }

    private void settle() throws Exception {
        onLoop(timed, () -> null);
        onLoop(timed, () -> null);
    }

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    /** Keeps one read active on the state, so that what the peer sends is read (and counts as reader activity). */
    private static void keepReading(AsyncIoState state) {
        state.readBuffer(new byte[64], 0, 64, (s, b, n) -> {
            if (s.isOpen() && s.readStatus() == IoStatus.OK) {
                keepReading(s);
            }
        });
    }

    private int deadlinesScheduled(AsyncIoState state) throws Exception {
        return onLoop(timed, () -> state.engine().loop().deadlines().size());
    }

    @Test
    void readerIdleFiresAfterThePeriodOnTheLoopThreadThenOncePerFurtherPeriodAndActivityStartsItOver()
            throws Exception {
        Connection c = connect(timed, StateOptions.DEFAULTS, 0);
        Notices notices = new Notices();
        keepReading(c.state());
        c.state().detectIdle(IdleOptions.builder().readerIdle(PERIOD).build(), notices);
        settle();
        advance(ms(2900));
        notices.assertNone();
        advance(ms(200));
        Notice first = notices.next();
        assertThat(first.kind()).isEqualTo(IdleKind.READER);
        assertThat(first.count()).isEqualTo(1);
        assertThat(first.state()).isSameAs(c.state());
        assertThat(first.thread()).isEqualTo("Loop Collection idle-timed");
        // Re-armed for one full period after the notice, not at once and not from the start.
        advance(ms(2900));
        notices.assertNone();
        advance(ms(200));
        assertThat(notices.next().count()).as("the second period in a row").isEqualTo(2);
        // A byte read 1 s later starts the spell over: the notice comes 3 s after the byte, counting from 1 again.
        advance(ms(1000));
        c.peer().send(bytes("x"));
        await().until(() -> c.state().bytesRead() == 1);
        settle();
        advance(ms(2000)); // the watch was due here (3 s after the last notice): it finds the read and re-arms
        notices.assertNone();
        advance(ms(900));
        notices.assertNone();
        advance(ms(200));
        Notice afterActivity = notices.next();
        assertThat(afterActivity.kind()).isEqualTo(IdleKind.READER);
        assertThat(afterActivity.count()).as("activity starts the count over").isEqualTo(1);
    }

    @Test
    void readsScheduleNoTimersOneEntryPerWatchingStateWhateverTheTraffic() throws Exception {
        Connection c = connect(timed, StateOptions.DEFAULTS, 0);
        int before = deadlinesScheduled(c.state());
        keepReading(c.state());
        c.state().detectIdle(IdleOptions.builder().readerIdle(PERIOD).writerIdle(PERIOD).allIdle(PERIOD).build(),
                new Notices());
        settle();
        assertThat(deadlinesScheduled(c.state())).as("one entry for all three kinds").isEqualTo(before + 1);
        for (int i = 1; i <= 50; i++) {
            c.peer().send(bytes("y"));
            int n = i;
            await().until(() -> c.state().bytesRead() == n);
        }
        assertThat(deadlinesScheduled(c.state())).as("no timer per read").isEqualTo(before + 1);
    }

    @Test
    void writerIdleCountsBytesWrittenNotBytesRead() throws Exception {
        Connection c = connect(timed, StateOptions.DEFAULTS, 0);
        Notices notices = new Notices();
        keepReading(c.state());
        c.state().detectIdle(IdleOptions.builder().writerIdle(PERIOD).build(), notices);
        settle();
        advance(ms(2000));
        c.peer().send(bytes("r")); // reading is no writer activity
        await().until(() -> c.state().bytesRead() == 1);
        advance(ms(1100));
        Notice n = notices.next();
        assertThat(n.kind()).isEqualTo(IdleKind.WRITER);
        assertThat(n.count()).isEqualTo(1);
        advance(ms(1000));
        CompletableFuture<Integer> written = new CompletableFuture<>();
        c.state().writeBuffer(bytes("w"), 0, 1, (s, b, k) -> written.complete(k));
        assertThat(written.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(1);
        settle();
        advance(ms(2900));
        notices.assertNone();
        advance(ms(200));
        n = notices.next();
        assertThat(n.kind()).isEqualTo(IdleKind.WRITER);
        assertThat(n.count()).as("the write started the count over").isEqualTo(1);
    }

    @Test
    void allIdleIsResetByEitherDirectionAndReaderIdleByReadsOnly() throws Exception {
        Connection c = connect(timed, StateOptions.DEFAULTS, 0);
        Notices notices = new Notices();
        keepReading(c.state());
        c.state().detectIdle(IdleOptions.builder().readerIdle(ms(5000)).allIdle(PERIOD).build(), notices);
        settle();
        advance(ms(2000));
        c.peer().send(bytes("r"));
        await().until(() -> c.state().bytesRead() == 1);
        settle();
        advance(ms(2000)); // 4 s: all-idle counts from the read at 2 s
        CompletableFuture<Integer> written = new CompletableFuture<>();
        c.state().writeBuffer(bytes("w"), 0, 1, (s, b, k) -> written.complete(k));
        written.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        settle();
        advance(ms(2900)); // 6.9 s: all-idle counts from the write at 4 s
        notices.assertNone();
        advance(ms(200)); // 7.1 s: the reader has been idle 5.1 s since its read at 2 s, all 3.1 s since the write
        List<Notice> both = List.of(notices.next(), notices.next());
        assertThat(both).extracting(Notice::kind).containsExactly(IdleKind.READER, IdleKind.ALL);
        assertThat(both).extracting(Notice::count).containsExactly(1, 1);
    }

    @Test
    void stopIdleDetectionEndsTheNoticesAndFreesTheDeadline() throws Exception {
        Connection c = connect(timed, StateOptions.DEFAULTS, 0);
        int before = deadlinesScheduled(c.state());
        Notices notices = new Notices();
        c.state().detectIdle(IdleOptions.allIdle(PERIOD), notices);
        settle();
        advance(ms(3100));
        notices.next();
        c.state().stopIdleDetection();
        settle();
        assertThat(deadlinesScheduled(c.state())).isEqualTo(before);
        advance(ms(10_000));
        notices.assertNone();
        c.state().stopIdleDetection(); // twice: nothing happens
    }

    @Test
    void anIdleCallbackMayStopTheDetectionItself() throws Exception {
        Connection c = connect(timed, StateOptions.DEFAULTS, 0);
        Notices notices = new Notices();
        c.state().detectIdle(IdleOptions.builder().readerIdle(PERIOD).allIdle(PERIOD).build(),
                (s, kind, count) -> {
                    notices.idle(s, kind, count);
                    s.stopIdleDetection();
                });
        settle();
        advance(ms(3100));
        assertThat(notices.next().kind()).isEqualTo(IdleKind.READER);
        advance(ms(10_000));
        notices.assertNone(); // not ALL in the same pass, nothing later
    }

    @Test
    void closingTheStateEndsTheNoticesAndFreesTheDeadline() throws Exception {
        Connection c = connect(timed, StateOptions.DEFAULTS, 0);
        int before = deadlinesScheduled(c.state());
        Notices notices = new Notices();
        c.state().detectIdle(IdleOptions.allIdle(PERIOD), notices);
        settle();
        assertThat(deadlinesScheduled(c.state())).isEqualTo(before + 1);
        c.state().close();
        assertThat(deadlinesScheduled(c.state())).as("the closed state is not held by the queue").isEqualTo(before);
        advance(ms(10_000));
        notices.assertNone();
        c.state().stopIdleDetection(); // on a closed state: nothing happens
    }

    @Test
    void detectingAgainReplacesThePeriodsAndTheCallback() throws Exception {
        Connection c = connect(timed, StateOptions.DEFAULTS, 0);
        Notices old = new Notices();
        Notices replacement = new Notices();
        c.state().detectIdle(IdleOptions.allIdle(PERIOD), old);
        settle();
        advance(ms(2000));
        c.state().detectIdle(IdleOptions.builder().writerIdle(ms(5000)).build(), replacement);
        settle();
        advance(ms(4900));
        replacement.assertNone();
        advance(ms(200));
        assertThat(replacement.next().kind()).isEqualTo(IdleKind.WRITER);
        assertThat(old.all).isEmpty();
    }

    @Test
    void aThrowingIdleCallbackGoesToTheErrorPolicyAndDetectionGoesOn() throws Exception {
        Connection c = connect(timed, StateOptions.DEFAULTS, 0);
        Notices notices = new Notices();
        keepReading(c.state()); // a read in flight: the default policy keeps the state
        c.state().detectIdle(IdleOptions.allIdle(PERIOD), (s, kind, count) -> {
            notices.idle(s, kind, count);
            throw new IllegalStateException("idle callback fails on purpose");
        });
        settle();
        long failuresBefore = timed.statistics().callbackFailures();
        advance(ms(3100));
        notices.next();
        await().until(() -> timed.statistics().callbackFailures() == failuresBefore + 1);
        assertThat(c.state().isOpen()).as("LOG keeps the state").isTrue();
        advance(ms(3100));
        assertThat(notices.next().count()).isEqualTo(2);
    }

    @Test
    void underTheCloseStatePolicyAThrowingIdleCallbackClosesItsState() throws Exception {
        WaitStateCollection closing = track(WaitStateCollection.builder("idle-close").nanoClock(nanos::get)
                .callbackErrorPolicy(CallbackErrorPolicy.CLOSE_STATE).createAndRun());
        Connection c = connect(closing, StateOptions.DEFAULTS, 0);
        keepReading(c.state());
        c.state().detectIdle(IdleOptions.allIdle(PERIOD), (s, kind, count) -> {
            throw new IllegalStateException("idle callback fails on purpose");
        });
        onLoop(closing, () -> null);
        nanos.addAndGet(ms(3100).toNanos());
        onLoop(closing, () -> null);
        onLoop(closing, () -> null);
        await().until(() -> !c.state().isOpen());
        assertThat(closing.statistics().callbackFailures()).isEqualTo(1);
    }

    @Test
    void misuseFailsWithAMessageThatNamesTheRule() throws Exception {
        assertThatThrownBy(() -> IdleOptions.builder().readerIdle(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("readerIdle");
        assertThatThrownBy(() -> IdleOptions.builder().writerIdle(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("writerIdle");
        assertThatThrownBy(() -> IdleOptions.builder().allIdle(Duration.ofMillis(-5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("allIdle");
        assertThatThrownBy(() -> IdleOptions.builder().build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one");
        assertThatThrownBy(() -> IdleOptions.allIdle(null)).isInstanceOf(IllegalArgumentException.class);
        Connection c = connect(timed, StateOptions.DEFAULTS, 0);
        assertThatThrownBy(() -> c.state().detectIdle(null, (s, k, n) -> { }))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("options");
        assertThatThrownBy(() -> c.state().detectIdle(IdleOptions.allIdle(PERIOD), null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("callback");
        c.state().close();
        assertThatThrownBy(() -> c.state().detectIdle(IdleOptions.allIdle(PERIOD), (s, k, n) -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed state");
    }

    @Test
    void optionsKeepWhatWasSet() {
        IdleOptions o = IdleOptions.builder().readerIdle(ms(1)).writerIdle(ms(2)).build();
        assertThat(o.readerIdle()).isEqualTo(ms(1));
        assertThat(o.writerIdle()).isEqualTo(ms(2));
        assertThat(o.allIdle()).isNull();
        assertThat(o.period(IdleKind.WRITER)).isEqualTo(ms(2));
        assertThat(o).isEqualTo(IdleOptions.builder().writerIdle(ms(2)).readerIdle(ms(1)).build());
        assertThat(o.toString()).contains("reader=PT0.001S");
    }

    @Test
    void onAUnixDomainSocketStateReadsResetTheReader() throws Exception {
        java.nio.file.Path path = java.nio.file.Files.createTempDirectory("idle").resolve("s.sock");
        CompletableFuture<AsyncIoState> served = new CompletableFuture<>();
        Notices notices = new Notices();
        AcceptingHandle h = timed.acceptUnixConnections(path, (hd, s) -> {
            keepReading(s);
            s.detectIdle(IdleOptions.builder().readerIdle(PERIOD).build(), notices);
            served.complete(s);
        }, AcceptOptions.DEFAULTS);
        track(h::close);
        java.nio.channels.SocketChannel client = track(java.nio.channels.SocketChannel.open(
                java.net.UnixDomainSocketAddress.of(path)));
        AsyncIoState state = served.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        settle();
        advance(ms(2000));
        client.write(java.nio.ByteBuffer.wrap(bytes("u")));
        await().until(() -> state.bytesRead() == 1);
        settle();
        advance(ms(2900));
        notices.assertNone();
        advance(ms(200));
        assertThat(notices.next().kind()).isEqualTo(IdleKind.READER);
    }

    @Test
    void onAUdpStateADatagramReceivedResetsTheReader() throws Exception {
        AsyncIoState udp = timed.openUdp(UdpOptions.builder().localAddress("127.0.0.1").build());
        Notices notices = new Notices();
        receiveOn(udp);
        udp.detectIdle(IdleOptions.builder().readerIdle(PERIOD).build(), notices);
        settle();
        advance(ms(2000));
        try (DatagramChannel sender = DatagramChannel.open()) {
            sender.send(java.nio.ByteBuffer.wrap(bytes("d")), udp.localAddress());
        }
        await().until(() -> udp.bytesRead() == 1);
        settle();
        advance(ms(2900));
        notices.assertNone();
        advance(ms(200));
        assertThat(notices.next().kind()).isEqualTo(IdleKind.READER);
        udp.close();
    }

    @Test
    void overTlsTheApplicationsBytesResetTheReader() throws Exception {
        CompletableFuture<AsyncIoState> served = new CompletableFuture<>();
        Notices notices = new Notices();
        AcceptingHandle h = timed.acceptTcpConnections(0, (hd, s) -> {
            keepReading(s);
            s.detectIdle(IdleOptions.builder().readerIdle(PERIOD).build(), notices);
            served.complete(s);
        }, AcceptOptions.builder().address("127.0.0.1")
                .tls(TlsOptions.builder().context(dev.asyncio.core.testing.TlsFixtures.server()).build()).build());
        track(h::close);
        javax.net.ssl.SSLSocket client = (javax.net.ssl.SSLSocket) dev.asyncio.core.testing.TlsFixtures
                .trustingClient().getSocketFactory().createSocket(LOOPBACK, h.localPort());
        track(client);
        client.setSoTimeout((int) WAIT.toMillis());
        client.startHandshake(); // the connection function runs once the handshake is done
        AsyncIoState state = served.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        settle();
        advance(ms(2900));
        notices.assertNone();
        advance(ms(200));
        Notice n = notices.next();
        assertThat(n.kind()).isEqualTo(IdleKind.READER);
        advance(ms(1000));
        client.getOutputStream().write(bytes("app"));
        client.getOutputStream().flush();
        await().until(() -> state.bytesRead() == 3);
        assertThat(state.bytesRead()).as("application bytes, not TLS records").isEqualTo(3);
        settle();
        advance(ms(2900));
        notices.assertNone();
        advance(ms(200));
        assertThat(notices.next().count()).isEqualTo(1);
    }

    private static void receiveOn(AsyncIoState udp) {
        udp.receiveMessage(new byte[64], 0, 64, (MessageCallback) (s, b, n, from) -> {
            if (s.isOpen()) {
                receiveOn(s);
            }
        });
    }

    /**
     * On the real clock of a real loop left alone: the notice comes by itself after the loop sat in select with only
     * the idle deadline scheduled, and not before its period (checked by the time it ran, not by racing a sleep).
     */
    @Test
    void onARealClockAnIdleConnectionIsNoticedAfterAQuietSpell() throws Exception {
        Connection c = connect();
        CompletableFuture<Long> noticedAt = new CompletableFuture<>();
        keepReading(c.state());
        long started = System.nanoTime();
        c.state().detectIdle(IdleOptions.allIdle(ms(300)), (s, kind, count) -> noticedAt.complete(System.nanoTime()));
        long after = noticedAt.get(WAIT.toSeconds(), TimeUnit.SECONDS) - started;
        assertThat(Duration.ofNanos(after)).isGreaterThanOrEqualTo(ms(300));
    }
}
