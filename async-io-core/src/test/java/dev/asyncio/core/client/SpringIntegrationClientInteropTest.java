package dev.asyncio.core.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.asyncio.core.Framing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Our client against Spring Integration IP 7.x servers ({@code TcpNetServerConnectionFactory} +
 * {@code TcpInboundGateway}, CRLF): request/reply through a pool under concurrency (the "Cannot correlate response"
 * scenario of spring-integration #8599 on a shared connection), failover across two servers, and reconnect with
 * backoff to one that is stopped and started again.
 */
class SpringIntegrationClientInteropTest extends ClientTestSupport {
    private final List<SpringIntegrationServer> servers = new ArrayList<>();

    private SpringIntegrationServer siServer(String name) {
        SpringIntegrationServer s = new SpringIntegrationServer(name);
        servers.add(s);
        return s;
    }

    @AfterEach
    void stopServers() {
        servers.forEach(SpringIntegrationServer::close);
    }

    private static ClientOptions.Builder crlf(String... addresses) {
        return lines(addresses).framing(Framing.crlf());
    }

    private static List<String> hammer(AsyncIoClient c, String prefix, int threads, int perThread) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    List<String> wrong = new ArrayList<>();
                    List<CompletableFuture<byte[]>> replies = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        replies.add(c.request(bytes("t" + thread + "-" + i)));
                    }
                    for (int i = 0; i < perThread; i++) {
                        String got = text(replies.get(i).get(20, TimeUnit.SECONDS));
                        if (!got.equals(prefix + ":t" + thread + "-" + i)) {
                            wrong.add("t" + thread + "-" + i + " got " + got);
                        }
                    }
                    return wrong;
                }));
            }
            List<String> wrong = new ArrayList<>();
            for (Future<List<String>> f : results) {
                wrong.addAll(f.get(60, TimeUnit.SECONDS));
            }
            return wrong;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aPoolUnderConcurrencyGetsEveryReplyToItsOwnRequest() throws Exception {
        SpringIntegrationServer server = siServer("si");
        AsyncIoClient c = client("si-pool", crlf(server.address()).mode(ClientMode.POOL)
                .pool(PoolOptions.builder().maxConnections(4).maxPendingAcquires(2000).build()).build()).start();

        assertThat(hammer(c, "si", 8, 100)).as("replies given to the wrong request").isEmpty();
        assertThat(server.requests()).isEqualTo(800);
        assertThat(c.statistics().openConnections()).isBetween(1, 4);
    }

    @Test
    void aSharedPipelinedConnectionUnderConcurrencyNeverMisCorrelates() throws Exception {
        SpringIntegrationServer server = siServer("si");
        AsyncIoClient c = client("si-shared", crlf(server.address()).maxPendingRequests(1000).build()).start();
        await().until(() -> c.state() == ClientState.CONNECTED);

        assertThat(hammer(c, "si", 8, 100)).isEmpty();
        assertThat(c.statistics().connects()).isEqualTo(1);
    }

    @Test
    void failsOverBetweenTwoServers() throws Exception {
        SpringIntegrationServer first = siServer("first");
        SpringIntegrationServer second = siServer("second");
        AsyncIoClient c = client("si-failover", crlf(first.address(), second.address()).build()).start();
        await().until(() -> c.state() == ClientState.CONNECTED);
        assertThat(ask(c, "a")).isEqualTo("first:a");

        first.stop();
        await().until(() -> c.state() == ClientState.CONNECTED
                && second.address().equals(c.statistics().currentAddress()));
        assertThat(ask(c, "b")).isEqualTo("second:b");
    }

    @Test
    void reconnectsWithBackoffToAServerStoppedAndStartedAgain() throws Exception {
        SpringIntegrationServer server = siServer("si");
        Recorder recorder = new Recorder();
        AsyncIoClient c = client("si-restart", crlf(server.address()).listener(recorder).build()).start();
        await().until(() -> c.state() == ClientState.CONNECTED);
        assertThat(ask(c, "before")).isEqualTo("si:before");

        server.stop();
        await().until(() -> recorder.delays.size() >= 3);
        assertThat(failure(c.request(bytes("down"))).kind()).isEqualTo(ClientException.Kind.NOT_CONNECTED);
        assertThat(recorder.delays.get(1)).isLessThan(recorder.delays.get(2));

        server.restart();
        await().until(() -> c.state() == ClientState.CONNECTED);
        assertThat(ask(c, "after")).isEqualTo("si:after");
    }
}
