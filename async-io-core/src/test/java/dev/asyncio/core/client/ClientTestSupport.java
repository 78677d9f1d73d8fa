package dev.asyncio.core.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncio.core.WaitStateCollection;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/** A loop for the clients of each test, line servers, and a listener that records what the client tells. */
abstract class ClientTestSupport {
    static final Duration WAIT = Duration.ofSeconds(10);

    static {
        Awaitility.setDefaultTimeout(WAIT);
        Awaitility.setDefaultPollInterval(Duration.ofMillis(5));
        Awaitility.setDefaultPollDelay(Duration.ZERO);
    }

    protected WaitStateCollection loop;
    private final Deque<AutoCloseable> toClose = new ArrayDeque<>();

    @BeforeEach
    void startLoop(TestInfo info) {
        loop = WaitStateCollection.createAndRun("client-" + info.getTestMethod().map(m -> m.getName()).orElse("t"));
    }

    @AfterEach
    void closeAll() throws Exception {
        while (!toClose.isEmpty()) {
            toClose.pop().close();
        }
        loop.close();
    }

    LineServer server(String name) {
        LineServer s = new LineServer(name);
        toClose.push(s);
        return s;
    }

    AsyncIoClient client(String name, ClientOptions options) {
        AsyncIoClient c = AsyncIoClient.create(name, loop, options);
        toClose.push(c);
        return c;
    }

    static ClientOptions.Builder lines(String... addresses) {
        ClientOptions.Builder b = ClientOptions.builder().framing(LineServer.FRAMING)
                .reconnect(ReconnectPolicy.builder().initialInterval(Duration.ofMillis(20)).multiplier(2)
                        .maxInterval(Duration.ofMillis(200)).jitter(0).build());
        for (String a : addresses) {
            b.address(a);
        }
        return b;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    static String ask(AsyncIoClient c, String line) throws Exception {
        return text(c.request(bytes(line)).get(WAIT.toSeconds(), TimeUnit.SECONDS));
    }

    /** @return the failure of the future, which must fail within the wait */
    static ClientException failure(CompletableFuture<?> f) throws Exception {
        try {
            f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(ClientException.class);
            return (ClientException) e.getCause();
        }
        throw new AssertionError("expected a failure, got a result");
    }

    /** Records the events of a client, in order, as short strings, and the threads they ran on. */
    static final class Recorder implements ClientListener {
        final List<String> events = new CopyOnWriteArrayList<>();
        final List<Duration> delays = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();

        private void add(String e) {
            events.add(e);
            threads.add(Thread.currentThread().getName());
        }

        @Override
        public void stateChanged(AsyncIoClient client, ClientState from, ClientState to) {
            add("state " + to);
        }

        @Override
        public void connected(AsyncIoClient client, ClientAddress address, Duration took) {
            add("connected " + address.port());
        }

        @Override
        public void connectFailed(AsyncIoClient client, ClientAddress address, Throwable failure, Duration took) {
            add("connectFailed " + address.port());
        }

        @Override
        public void disconnected(AsyncIoClient client, ClientAddress address, @Nullable Throwable cause) {
            add("disconnected " + address.port() + (cause == null ? " planned" : ""));
        }

        @Override
        public void reconnectScheduled(AsyncIoClient client, int failures, Duration delay) {
            add("reconnect " + failures);
            delays.add(delay);
        }

        @Override
        public void acquireFailed(AsyncIoClient client, ClientException failure) {
            add("acquireFailed " + failure.kind());
        }

        @Override
        public void unsolicitedFrame(AsyncIoClient client, boolean late) {
            add(late ? "late" : "unsolicited");
        }

        long count(String prefix) {
            return events.stream().filter(e -> e.startsWith(prefix)).count();
        }
    }
}
