package dev.asyncio.core.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** Each new connection prepared before use (AUTH and the like), and raw-lease traffic reported to the statistics. */
class ConnectionInitializerTest extends ClientTestSupport {

    @Test
    void everyNewConnectionIsInitializedBeforeItIsUsed() throws Exception {
        LineServer server = server("init");
        List<String> answers = new CopyOnWriteArrayList<>();
        AsyncIoClient c = client("init", lines(server.address()).mode(ClientMode.POOL)
                .connectionInitializer((conn, done) -> conn.request(bytes("auth secret"), (reply, failure) -> {
                    byte[] b = new byte[reply.remaining()];
                    reply.get(b);
                    answers.add(text(b));
                    done.accept(failure);
                })).build()).start();

        ClientConnection one = c.acquire().get(10, TimeUnit.SECONDS);
        ClientConnection two = c.acquire().get(10, TimeUnit.SECONDS);
        assertThat(answers).containsExactly("auth secret", "auth secret");
        assertThat(text(one.request(bytes("after init")).get(10, TimeUnit.SECONDS))).isEqualTo("after init");
        assertThat(server.lines()).isEqualTo(3);
        assertThat(c.statistics().connects()).isEqualTo(2);
        one.release();
        two.release();
    }

    @Test
    void aFailingInitializerFailsTheConnectAttemptAndTheClientRetries() throws Exception {
        LineServer server = server("refused");
        AtomicInteger attempts = new AtomicInteger();
        AsyncIoClient c = client("refused", lines(server.address())
                .connectionInitializer((conn, done) -> {
                    attempts.incrementAndGet();
                    done.accept(new IllegalStateException("-ERR invalid password"));
                }).build()).start();

        await().until(() -> attempts.get() >= 3);
        ClientStatistics s = c.statistics();
        assertThat(s.connects()).isZero();
        assertThat(s.connectFailures()).isGreaterThanOrEqualTo(2);
        assertThat(s.lastError()).contains("invalid password");
        assertThat(c.state()).isEqualTo(ClientState.RECONNECTING);
        assertThat(failure(c.request(bytes("x"))).kind()).isEqualTo(ClientException.Kind.NOT_CONNECTED);
    }

    @Test
    void anInitializerThatNeverAnswersTimesOutAtTheConnectTimeout() throws Exception {
        LineServer server = server("silent");
        Recorder recorder = new Recorder();
        AsyncIoClient c = client("silent", lines(server.address()).connectTimeout(Duration.ofMillis(200))
                .listener(recorder).connectionInitializer((conn, done) -> { }).build()).start();

        await().until(() -> c.statistics().connectFailures() >= 1);
        assertThat(c.statistics().lastError()).contains("connectTimeout");
        assertThat(recorder.events).doesNotContain("connected " + server.port());
        assertThat(recorder.count("disconnected")).as("never up, so never down").isZero();
    }

    @Test
    void rawLeaseTrafficIsCountedWhenReported() throws Exception {
        LineServer server = server("raw");
        Recorder recorder = new Recorder();
        AsyncIoClient c = client("raw", lines(server.address()).framing(null).mode(ClientMode.POOL)
                .listener(recorder).build()).start();
        ClientConnection lease = c.acquire().get(10, TimeUnit.SECONDS);
        lease.reportRequest(Duration.ofMillis(1), null);
        lease.reportRequest(Duration.ofMillis(2), new ClientException(ClientException.Kind.REQUEST_TIMEOUT, "raw",
                "no reply", null));
        await().until(() -> c.statistics().requests() == 2);
        ClientStatistics s = c.statistics();
        assertThat(s.replies()).isEqualTo(1);
        assertThat(s.requestFailures()).isEqualTo(1);
        assertThat(s.requestTimeouts()).isEqualTo(1);
        lease.release();
    }
}
