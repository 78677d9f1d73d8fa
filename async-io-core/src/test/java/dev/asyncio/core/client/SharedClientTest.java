package dev.asyncio.core.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** One shared connection: pipelining, failing fast, drops, reconnect with backoff, failover, operator actions. */
class SharedClientTest extends ClientTestSupport {

    @Test
    void pipelinedRequestsFromManyThreadsEachGetTheirOwnReply() throws Exception {
        LineServer server = server("echo");
        Recorder recorder = new Recorder();
        AsyncIoClient c = client("echo", lines(server.address()).listener(recorder).maxPendingRequests(4000).build())
                .start();
        await().until(() -> c.state() == ClientState.CONNECTED);

        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    List<CompletableFuture<byte[]>> replies = new ArrayList<>();
                    for (int i = 0; i < 500; i++) {
                        replies.add(c.request(bytes("t" + thread + "-" + i)));
                    }
                    List<String> mismatches = new ArrayList<>();
                    for (int i = 0; i < 500; i++) {
                        String got = text(replies.get(i).get(10, TimeUnit.SECONDS));
                        if (!got.equals("t" + thread + "-" + i)) {
                            mismatches.add("t" + thread + "-" + i + " got " + got);
                        }
                    }
                    return mismatches;
                }));
            }
            for (Future<List<String>> f : results) {
                assertThat(f.get(30, TimeUnit.SECONDS)).as("replies given to the wrong request").isEmpty();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(server.accepted()).as("all on one connection").isEqualTo(1);
        ClientStatistics s = c.statistics();
        assertThat(s.requests()).isEqualTo(4000);
        assertThat(s.replies()).isEqualTo(4000);
        assertThat(s.pendingRequests()).isZero();
        assertThat(recorder.threads).allMatch(t -> t.startsWith("Loop Collection client-"));
    }

    @Test
    void requestsWhileTheServerIsDownFailAtOnceAndWorkAgainAfterTheBackoff() throws Exception {
        LineServer server = server("restart");
        Recorder recorder = new Recorder();
        AsyncIoClient c = client("restart", lines(server.address()).listener(recorder).build()).start();
        await().until(() -> c.state() == ClientState.CONNECTED);
        assertThat(ask(c, "one")).isEqualTo("one");

        server.stop();
        await().until(() -> recorder.count("reconnect ") >= 4);
        assertThat(c.state()).isEqualTo(ClientState.RECONNECTING);
        ClientException down = failure(c.request(bytes("while down")));
        assertThat(down.kind()).isEqualTo(ClientException.Kind.NOT_CONNECTED);
        assertThat(down.getMessage()).contains("client 'restart'").contains("not connected").contains("last error");
        ClientStatistics s = c.statistics();
        assertThat(s.consecutiveFailures()).isGreaterThanOrEqualTo(3);
        assertThat(s.lastError()).isNotNull();

        // The drop reconnects at once, then each failure waits initial x 2^(n-1), capped (no jitter here).
        assertThat(recorder.delays.get(0)).isEqualTo(Duration.ZERO);
        assertThat(recorder.delays.subList(1, 4))
                .containsExactly(Duration.ofMillis(20), Duration.ofMillis(40), Duration.ofMillis(80));

        server.restart();
        await().until(() -> c.state() == ClientState.CONNECTED);
        assertThat(ask(c, "two")).isEqualTo("two");
        assertThat(c.statistics().consecutiveFailures()).as("reset on success").isZero();
        assertThat(server.accepted()).as("one connection before the stop, one after").isEqualTo(2);
    }

    @Test
    void requestsInFlightWhenTheConnectionDropsFailWithConnectionLost() throws Exception {
        LineServer server = server("drop");
        AsyncIoClient c = client("drop", lines(server.address()).build()).start();
        await().until(() -> c.state() == ClientState.CONNECTED);

        CompletableFuture<byte[]> held1 = c.request(bytes("hold-1"));
        CompletableFuture<byte[]> held2 = c.request(bytes("hold-2"));
        await().until(() -> server.heldCount() == 2);
        CompletableFuture<byte[]> dropper = c.request(bytes("drop"));

        for (CompletableFuture<byte[]> f : List.of(held1, held2, dropper)) {
            ClientException e = failure(f);
            assertThat(e.kind()).isEqualTo(ClientException.Kind.CONNECTION_LOST);
            assertThat(e.getMessage()).contains("in flight");
        }
        await().until(() -> c.state() == ClientState.CONNECTED);
        assertThat(ask(c, "after")).isEqualTo("after");
        assertThat(c.statistics().disconnects()).isEqualTo(1);
    }

    @Test
    void failsOverToTheSecondAddressAndBackToTheFirstOnReconnect() throws Exception {
        LineServer primary = server("primary");
        LineServer secondary = server("secondary");
        int primaryPort = primary.port();
        primary.stop();
        Recorder recorder = new Recorder();
        AsyncIoClient c = client("failover", lines(primary.address(), secondary.address()).listener(recorder)
                .build()).start();
        await().until(() -> c.state() == ClientState.CONNECTED);
        assertThat(c.statistics().currentAddress()).isEqualTo(secondary.address());
        assertThat(recorder.events).containsSubsequence("connectFailed " + primaryPort,
                "connected " + secondary.port());
        assertThat(recorder.delays).as("the second address is tried at once, no backoff").isEmpty();
        assertThat(ask(c, "via secondary")).isEqualTo("via secondary");

        // The secondary dies: the client goes round to the primary, which is back.
        primary.restart();
        secondary.stop();
        await().until(() -> c.state() == ClientState.CONNECTED
                && primary.address().equals(c.statistics().currentAddress()));
        assertThat(ask(c, "via primary")).isEqualTo("via primary");
    }

    @Test
    void givesUpAfterMaxAttemptsAndStartsAgainOnReconnect() throws Exception {
        LineServer server = server("gone");
        server.stop();
        AsyncIoClient c = client("gone", lines(server.address())
                .reconnect(ReconnectPolicy.builder().initialInterval(Duration.ofMillis(5)).maxAttempts(3).build())
                .build()).start();
        await().until(() -> c.state() == ClientState.FAILED);
        assertThat(c.statistics().connectAttempts()).isEqualTo(3);
        assertThat(failure(c.request(bytes("x"))).kind()).isEqualTo(ClientException.Kind.NOT_CONNECTED);

        server.restart();
        c.reconnect();
        await().until(() -> c.state() == ClientState.CONNECTED);
        assertThat(ask(c, "back")).isEqualTo("back");
    }

    @Test
    void disconnectStopsUntilReconnectAndCloseFailsWhatIsPending() throws Exception {
        LineServer server = server("ops");
        Recorder recorder = new Recorder();
        AsyncIoClient c = client("ops", lines(server.address()).listener(recorder).build()).start();
        await().until(() -> c.state() == ClientState.CONNECTED);

        CompletableFuture<byte[]> held = c.request(bytes("hold"));
        await().until(() -> server.heldCount() == 1);
        c.disconnect();
        assertThat(failure(held).kind()).isEqualTo(ClientException.Kind.CONNECTION_LOST);
        await().until(() -> c.state() == ClientState.DISCONNECTED);
        assertThat(failure(c.request(bytes("x"))).kind()).isEqualTo(ClientException.Kind.NOT_CONNECTED);
        assertThat(recorder.events).contains("disconnected " + server.port() + " planned");
        assertThat(recorder.count("reconnect")).isZero();

        c.reconnect();
        await().until(() -> c.state() == ClientState.CONNECTED);
        CompletableFuture<byte[]> held2 = c.request(bytes("hold-2"));
        await().until(() -> server.heldCount() == 1);
        c.close();
        assertThat(c.state()).isEqualTo(ClientState.CLOSED);
        assertThat(failure(held2).kind()).isEqualTo(ClientException.Kind.CLOSED);
        assertThat(failure(c.request(bytes("y"))).kind()).isEqualTo(ClientException.Kind.CLOSED);
        assertThatThrownBy(c::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void misuseIsRefusedWithAClearMessage() {
        AsyncIoClient notStarted = client("new", lines("127.0.0.1:1").build());
        assertThatThrownBy(() -> notStarted.request(bytes("x"), (r, f) -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("before start()");
        AsyncIoClient raw = client("raw", ClientOptions.builder().address("127.0.0.1:1").build());
        assertThatThrownBy(() -> raw.request(bytes("x"), (r, f) -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no framing");
        AsyncIoClient started = client("started", lines("127.0.0.1:1").build()).start();
        assertThatThrownBy(() -> started.request(bytes("a\nb"), (r, f) -> { }))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AsyncIoClient.create(" ", loop, lines("127.0.0.1:1").build()))
                .hasMessageContaining("name");
        assertThat(notStarted.state()).isEqualTo(ClientState.NEW);
        assertThat(notStarted.statistics().connectAttempts()).as("statistics never connect").isZero();
    }

    @Test
    void tooManyPendingRequestsFailWithoutWaiting() throws Exception {
        LineServer server = server("bounded");
        AsyncIoClient c = client("bounded", lines(server.address()).maxPendingRequests(2).build()).start();
        await().until(() -> c.state() == ClientState.CONNECTED);
        CompletableFuture<byte[]> a = c.request(bytes("hold-a"));
        CompletableFuture<byte[]> b = c.request(bytes("hold-b"));
        ClientException third = failure(c.request(bytes("hold-c")));
        assertThat(third.kind()).isEqualTo(ClientException.Kind.TOO_MANY_PENDING_REQUESTS);
        assertThat(third.getMessage()).contains("maxPendingRequests");
        await().until(() -> server.heldCount() == 2);
        server.releaseHeld();
        assertThat(text(a.get(10, TimeUnit.SECONDS))).isEqualTo("hold-a");
        assertThat(text(b.get(10, TimeUnit.SECONDS))).isEqualTo("hold-b");
    }

    @Test
    void aCallbackThatThrowsDisturbsNoOtherRequest() throws Exception {
        LineServer server = server("throws");
        AsyncIoClient c = client("throws", lines(server.address()).build()).start();
        await().until(() -> c.state() == ClientState.CONNECTED);
        c.request(ByteBuffer.wrap(bytes("first")), (reply, failure) -> {
            throw new IllegalStateException("planted");
        });
        assertThat(ask(c, "second")).isEqualTo("second");
        await().until(() -> loop.statistics().callbackFailures() == 1);
    }
}
