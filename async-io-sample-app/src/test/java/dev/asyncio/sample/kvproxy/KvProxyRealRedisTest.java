package dev.asyncio.sample.kvproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.asyncio.core.AcceptOptions;
import dev.asyncio.core.WaitStateCollection;
import dev.asyncio.core.client.AsyncIoClient;
import dev.asyncio.core.client.ClientMode;
import dev.asyncio.core.client.ClientOptions;
import dev.asyncio.core.client.PoolOptions;
import dev.asyncio.core.client.ReconnectPolicy;
import dev.asyncio.sample.testing.ExternalTool;
import dev.asyncio.sample.testing.RedisServerProcess;
import dev.asyncio.sample.testing.RespClient;

/**
 * {@code kv-proxy} in front of a real {@code redis-server}, through the async-io client as the sample wires it
 * (a pool of pipelined raw leases, {@link ClientUpstreamConnector}): the same answers as Redis gives directly, to a
 * Java client, to {@code redis-cli} and to {@code redis-benchmark}; and Redis killed and restarted under load.
 * Skipped where redis-server is not installed ({@code apt-get install redis-server}; {@code .ci/run} installs it).
 */
class KvProxyRealRedisTest {

    private RedisServerProcess redis;
    private WaitStateCollection loop;
    private AsyncIoClient client;
    private LinkedKvUpstream upstream;
    private int proxyPort;

    @BeforeEach
    void start() throws IOException {
        assumeTrue(RedisServerProcess.find() != null,
                "redis-server is not installed (apt-get install redis-server): the real-Redis checks of kv-proxy "
                        + "are skipped");
        redis = RedisServerProcess.start();
        loop = WaitStateCollection.createAndRun("kv-proxy");
        client = AsyncIoClient.create("kv-upstream", loop, ClientOptions.builder()
                .address("127.0.0.1:" + redis.port()).mode(ClientMode.POOL).connectTimeout(Duration.ofSeconds(2))
                .pool(PoolOptions.builder().maxConnections(2).acquireTimeout(Duration.ofSeconds(2)).build())
                .reconnect(ReconnectPolicy.builder().initialInterval(Duration.ofMillis(100)).multiplier(2)
                        .maxInterval(Duration.ofSeconds(1)).build())
                .build());
        client.start();
        ClientUpstreamConnector connector = new ClientUpstreamConnector("kv-upstream", loop, () -> client);
        upstream = new LinkedKvUpstream(connector, 2, 4 << 20, 10_000, Duration.ofSeconds(5));
        proxyPort = loop.acceptTcpConnections(0, new KvProxyConnectionFunction(upstream, KvProxySettings.DEFAULTS),
                AcceptOptions.builder().address("127.0.0.1").queueOutput(true).build()).localPort();
    }

    @AfterEach
    void stop() throws Exception {
        if (upstream != null) {
            upstream.close();
        }
        if (client != null) {
            client.close();
        }
        if (loop != null) {
            loop.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    private static final String[][] COMMANDS = {{"SET", "greeting", "hello"}, {"GET", "greeting"}, {"INCR", "n"},
        {"INCRBY", "n", "41"}, {"MGET", "greeting", "n", "missing"}, {"DEL", "greeting", "n"}, {"GET", "greeting"},
        {"SET", "k", "v", "NX"}, {"SET", "k", "w", "NX"}, {"INCR", "k"}, {"EXISTS", "k", "zz"}, {"PING"},
        {"ECHO", "a b"}, {"NOPE"}, {"GET"}, {"RPUSH", "list", "a", "b"}, {"LRANGE", "list", "0", "-1"},
        {"HSET", "h", "f", "v"}, {"HGETALL", "h"}, {"DBSIZE"}};

    @Test
    void aJavaClientGetsTheSameAnswersThroughTheProxyAsDirectly() throws Exception {
        List<Object> proxied = new ArrayList<>();
        List<Object> direct = new ArrayList<>();
        try (RespClient p = new RespClient(proxyPort); RespClient d = new RespClient(redis.port())) {
            for (String[] c : COMMANDS) {
                proxied.add(p.call(c));
            }
            // Pipelined: the whole batch in one write, the replies read after.
            p.send(batch());
            for (String[] c : COMMANDS) {
                proxied.add(p.read());
            }
            d.call("FLUSHALL");
            for (String[] c : COMMANDS) {
                direct.add(d.call(c));
            }
            d.send(batch());
            for (String[] c : COMMANDS) {
                direct.add(d.read());
            }
        }
        assertThat(proxied).isEqualTo(direct).contains("hello", 42L, "PONG");
    }

    private static byte[] batch() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String[] c : COMMANDS) {
            out.writeBytes(RespClient.encode(c));
        }
        return out.toByteArray();
    }

    @Test
    void redisCliGivesTheSameAnswersThroughTheProxyAsDirectly() throws Exception {
        String cli = ExternalTool.find("redis-cli");
        assumeTrue(cli != null, "redis-cli is not installed (apt-get install redis-tools)");
        List<String> proxied = new ArrayList<>();
        List<String> direct = new ArrayList<>();
        for (String[] c : COMMANDS) {
            proxied.add(run(cli, proxyPort, c));
        }
        run(cli, redis.port(), "FLUSHALL");
        for (String[] c : COMMANDS) {
            direct.add(run(cli, redis.port(), c));
        }
        assertThat(proxied).isEqualTo(direct).contains("hello\n", "42\n");
    }

    private static String run(String cli, int port, String... command) throws Exception {
        List<String> line = new ArrayList<>(List.of(cli, "-h", "127.0.0.1", "-p", Integer.toString(port)));
        line.addAll(List.of(command));
        return ExternalTool.run(30, line.toArray(String[]::new)).output();
    }

    @Test
    void redisBenchmarkRunsThroughTheProxyWithoutErrors() throws Exception {
        String benchmark = ExternalTool.find("redis-benchmark");
        assumeTrue(benchmark != null, "redis-benchmark is not installed (apt-get install redis-tools)");
        for (String pipeline : new String[] {"1", "16"}) {
            ExternalTool.Result r = ExternalTool.run(180, benchmark, "-h", "127.0.0.1", "-p",
                    Integer.toString(proxyPort), "-t", "set,get", "-n", "20000", "-P", pipeline, "-q");
            assertThat(r.exitCode()).as(r.output()).isZero();
            assertThat(r.output()).doesNotContainIgnoringCase("error").doesNotContain("WARNING")
                    .contains("SET", "GET", "requests per second");
        }
    }

    @Test
    void redisKilledAndRestartedUnderLoadErrorsButNeverHangsOrMismatches() throws Exception {
        int threads = 4;
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong successes = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicReference<String> wrong = new AtomicReference<>();
        AtomicReference<String> lastError = new AtomicReference<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> loads = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            loads.add(pool.submit(() -> {
                long id = 0;
                while (running.get()) {
                    // A fresh connection per batch: a proxy connection survives the upstream's death, but this
                    // also covers clients arriving while Redis is down.
                    try (RespClient c = new RespClient(proxyPort)) {
                        for (int round = 0; round < 20 && running.get(); round++) {
                            ByteArrayOutputStream batch = new ByteArrayOutputStream();
                            long first = id;
                            for (int i = 0; i < 25; i++, id++) {
                                String key = "t" + thread + ":" + id;
                                batch.writeBytes(RespClient.encode("SET", key, "value-of-" + key));
                                batch.writeBytes(RespClient.encode("GET", key));
                            }
                            c.send(batch.toByteArray());
                            for (long i = first; i < id; i++) {
                                String key = "t" + thread + ":" + i;
                                check(c.read(), "OK", successes, errors, wrong, lastError);
                                check(c.read(), "value-of-" + key, successes, errors, wrong, lastError);
                            }
                        }
                    }
                }
                return null;
            }));
        }
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> successes.get() > 2000);
            redis.kill();
            await().atMost(Duration.ofSeconds(30)).until(() -> errors.get() > 100);
            long before = successes.get();
            redis.restart();
            await().atMost(Duration.ofSeconds(30)).until(() -> successes.get() > before + 2000);
        } finally {
            running.set(false);
            for (Future<?> load : loads) {
                // Nothing hangs: every load thread ends within the bound (RespClient's reads time out at 10 s).
                load.get(60, TimeUnit.SECONDS);
            }
            pool.shutdownNow();
        }
        assertThat(wrong.get()).as("a reply given to the wrong request").isNull();
        assertThat(lastError.get()).startsWith("ERR upstream");
    }

    private static void check(Object reply, String expected, AtomicLong successes, AtomicLong errors,
            AtomicReference<String> wrong, AtomicReference<String> lastError) {
        if (reply instanceof RespClient.Error e) {
            if (!e.message().startsWith("ERR upstream unavailable")
                    && !e.message().startsWith("ERR upstream connection lost")) {
                wrong.compareAndSet(null, "unexpected error " + e.message() + " instead of " + expected);
            }
            lastError.set(e.message());
            errors.incrementAndGet();
        } else if (expected.equals(reply)) {
            successes.incrementAndGet();
        } else if (reply == null && expected.startsWith("value-of-")) {
            // The SET failed while Redis was down (or it lost its data in the restart) and the GET went through.
            successes.incrementAndGet();
        } else {
            wrong.compareAndSet(null, "got " + reply + " instead of " + expected);
        }
    }
}
