package dev.asyncio.core.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Requests made while a connect is under way wait for it (bounded), and the address resolver is asked per attempt.
 * The connect is held "under way" by a {@link ConnectionInitializer} the test completes.
 */
class ConnectWaitTest extends ClientTestSupport {

    /** An initializer that parks each attempt's {@code done} until the test answers it. */
    static final class Gate implements ConnectionInitializer {
        final BlockingQueue<Consumer<@Nullable Throwable>> attempts = new LinkedBlockingQueue<>();

        @Override
        public void initialize(ClientConnection connection, Consumer<@Nullable Throwable> done) {
            attempts.add(done);
        }

        Consumer<@Nullable Throwable> next() throws InterruptedException {
            Consumer<@Nullable Throwable> done = attempts.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(done).as("a connect attempt").isNotNull();
            return done;
        }
    }

    @Test
    void sharedRequestsDuringTheFirstConnectWaitAndGoOutInOrder() throws Exception {
        LineServer server = server("first");
        Gate gate = new Gate();
        Recorder recorder = new Recorder();
        AsyncIoClient c = client("first", lines(server.address()).connectionInitializer(gate).listener(recorder)
                .build()).start();
        Consumer<@Nullable Throwable> done = gate.next();
        assertThat(c.state()).isEqualTo(ClientState.CONNECTING);
        List<CompletableFuture<byte[]>> replies = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            replies.add(c.request(bytes("r" + i)));
        }
        await().until(() -> c.statistics().pendingRequests() == 20);
        assertThat(replies).noneMatch(CompletableFuture::isDone);
        assertThat(server.lines()).isZero();

        done.accept(null);
        for (int i = 0; i < 20; i++) {
            assertThat(text(replies.get(i).get(WAIT.toSeconds(), TimeUnit.SECONDS))).isEqualTo("r" + i);
        }
        ClientStatistics s = c.statistics();
        assertThat(s.requests()).isEqualTo(20);
        assertThat(s.replies()).isEqualTo(20);
        assertThat(s.pendingRequests()).isZero();
        assertThat(s.requestFailures()).isZero();
    }

    @Test
    void sharedRequestsWaitingForAConnectThatFailsFailWithItsCauseAndLaterOnesFailAtOnceDuringTheBackoff()
            throws Exception {
        LineServer server = server("refused");
        Gate gate = new Gate();
        AsyncIoClient c = client("refused", lines(server.address()).connectionInitializer(gate)
                .reconnect(ReconnectPolicy.builder().initialInterval(Duration.ofMinutes(5)).maxInterval(Duration.ofMinutes(5)).jitter(0).build())
                .build()).start();
        Consumer<@Nullable Throwable> done = gate.next();
        CompletableFuture<byte[]> a = c.request(bytes("a"));
        CompletableFuture<byte[]> b = c.request(bytes("b"));
        await().until(() -> c.statistics().pendingRequests() == 2);

        IllegalStateException refused = new IllegalStateException("-ERR invalid password");
        done.accept(refused);
        for (CompletableFuture<byte[]> f : List.of(a, b)) {
            ClientException e = failure(f);
            assertThat(e.kind()).isEqualTo(ClientException.Kind.NOT_CONNECTED);
            assertThat(e.getCause()).isSameAs(refused);
        }
        assertThat(c.statistics().pendingRequests()).isZero();
        assertThat(c.statistics().nextAttemptInMillis()).as("backing off").isPositive();

        // Backing off (the upstream is known down): no waiting, an error at once.
        ClientException now = failure(c.request(bytes("during backoff")));
        assertThat(now.kind()).isEqualTo(ClientException.Kind.NOT_CONNECTED);
        assertThat(now.getCause()).isNull();
        assertThat(c.statistics().requestFailures()).isEqualTo(3);
    }

    @Test
    void sharedRequestsWaitForTheReconnectAfterADropAndForTheNextAddressOfTheRound() throws Exception {
        LineServer server = server("drop");
        Gate gate = new Gate();
        AsyncIoClient c = client("drop", lines("127.0.0.1:1", server.address()).connectionInitializer(gate)
                .build()).start();
        gate.next().accept(null);
        await().until(() -> c.state() == ClientState.CONNECTED);

        server.dropConnections();
        Consumer<@Nullable Throwable> again = gate.next();   // the reconnect's attempt, under way
        assertThat(c.state()).isEqualTo(ClientState.RECONNECTING);
        CompletableFuture<byte[]> f = c.request(bytes("after drop"));
        await().until(() -> c.statistics().pendingRequests() == 1);
        again.accept(null);
        assertThat(text(f.get(WAIT.toSeconds(), TimeUnit.SECONDS))).isEqualTo("after drop");
    }

    @Test
    void aRequestWaitsForTheConnectAtMostItsRequestTimeout() throws Exception {
        LineServer server = server("slow");
        Gate gate = new Gate();
        AsyncIoClient c = client("slow", lines(server.address()).connectionInitializer(gate)
                .connectTimeout(Duration.ofMinutes(1)).requestTimeout(Duration.ofMillis(100)).build()).start();
        gate.next();
        ClientException e = failure(c.request(bytes("x")));
        assertThat(e.kind()).isEqualTo(ClientException.Kind.REQUEST_TIMEOUT);
        assertThat(e.getMessage()).contains("requestTimeout");
        assertThat(c.statistics().requestTimeouts()).isEqualTo(1);
        assertThat(c.statistics().pendingRequests()).isZero();
        assertThat(c.state()).isEqualTo(ClientState.CONNECTING);
    }

    @Test
    void waitingForTheConnectIsBoundedByMaxPendingRequests() throws Exception {
        LineServer server = server("bounded");
        Gate gate = new Gate();
        AsyncIoClient c = client("bounded", lines(server.address()).connectionInitializer(gate)
                .maxPendingRequests(2).build()).start();
        Consumer<@Nullable Throwable> done = gate.next();
        CompletableFuture<byte[]> a = c.request(bytes("a"));
        CompletableFuture<byte[]> b = c.request(bytes("b"));
        ClientException third = failure(c.request(bytes("c")));
        assertThat(third.kind()).isEqualTo(ClientException.Kind.TOO_MANY_PENDING_REQUESTS);
        assertThat(third.getMessage()).contains("maxPendingRequests");
        done.accept(null);
        assertThat(text(a.get(WAIT.toSeconds(), TimeUnit.SECONDS))).isEqualTo("a");
        assertThat(text(b.get(WAIT.toSeconds(), TimeUnit.SECONDS))).isEqualTo("b");
    }

    @Test
    void closeFailsTheRequestsWaitingForTheConnect() throws Exception {
        LineServer server = server("closing");
        Gate gate = new Gate();
        AsyncIoClient c = client("closing", lines(server.address()).connectionInitializer(gate).build()).start();
        gate.next();
        CompletableFuture<byte[]> f = c.request(bytes("x"));
        await().until(() -> c.statistics().pendingRequests() == 1);
        c.close();
        assertThat(failure(f).kind()).isEqualTo(ClientException.Kind.CLOSED);
    }

    @Test
    void poolRequestsWaitingForAConnectThatFailsGetItsCause() throws Exception {
        LineServer server = server("pool");
        Gate gate = new Gate();
        AsyncIoClient c = client("pool", lines(server.address()).connectionInitializer(gate).mode(ClientMode.POOL)
                .reconnect(ReconnectPolicy.builder().initialInterval(Duration.ofMinutes(5)).maxInterval(Duration.ofMinutes(5)).jitter(0).build())
                .build()).start();
        CompletableFuture<byte[]> f = c.request(bytes("x"));
        Consumer<@Nullable Throwable> done = gate.next();
        IllegalStateException refused = new IllegalStateException("-ERR no");
        done.accept(refused);
        ClientException e = failure(f);
        assertThat(e.kind()).isEqualTo(ClientException.Kind.NOT_CONNECTED);
        assertThat(e.getCause()).isSameAs(refused);
    }

    @Test
    void theAddressResolverIsAskedBeforeEveryAttempt() throws Exception {
        LineServer first = server("first");
        LineServer second = server("second");
        AtomicReference<ClientAddress> target = new AtomicReference<>(ClientAddress.parse(first.address()));
        AtomicInteger asked = new AtomicInteger();
        ClientAddress placeholder = ClientAddress.parse("127.0.0.1:1");
        AsyncIoClient c = client("moving", lines(placeholder.toString()).addressResolver(a -> {
            assertThat(a).isEqualTo(placeholder);
            asked.incrementAndGet();
            return target.get();
        }).build()).start();
        assertThat(ask(c, "one")).isEqualTo("one");
        assertThat(first.lines()).isEqualTo(1);

        // The service moves to another port (a handle re-opened on port 0): the next attempt dials the new one.
        target.set(ClientAddress.parse(second.address()));
        first.stop();
        await().until(() -> c.state() == ClientState.CONNECTED && c.statistics().connects() == 2);
        assertThat(ask(c, "two")).isEqualTo("two");
        assertThat(second.lines()).isEqualTo(1);
        assertThat(c.statistics().currentAddress()).isEqualTo(second.address());
        assertThat(asked.get()).isEqualTo(2);
    }

    @Test
    void anAddressResolverThatThrowsFailsTheAttempt() throws Exception {
        Recorder recorder = new Recorder();
        AsyncIoClient c = client("unresolved", lines("127.0.0.1:1").listener(recorder).addressResolver(a -> {
            throw new IllegalStateException("handle:kv is not bound");
        }).build()).start();
        await().until(() -> c.statistics().connectFailures() >= 2);
        assertThat(c.statistics().lastError()).contains("handle:kv is not bound");
        assertThat(recorder.count("connectFailed 1")).isGreaterThanOrEqualTo(2);
        assertThat(c.state()).isEqualTo(ClientState.RECONNECTING);
    }
}
