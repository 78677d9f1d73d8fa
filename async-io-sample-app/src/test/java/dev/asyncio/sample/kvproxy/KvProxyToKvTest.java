package dev.asyncio.sample.kvproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.asyncio.core.AcceptOptions;
import dev.asyncio.core.AcceptingHandle;
import dev.asyncio.core.WaitStateCollection;
import dev.asyncio.sample.kv.KvConnectionFunction;
import dev.asyncio.sample.kv.KvSettings;
import dev.asyncio.sample.testing.RespClient;

/**
 * The proxy with its real upstream side ({@link LinkedKvUpstream} over {@link TcpUpstreamConnector}) in front of the
 * sample's own kv handle, all over loopback sockets: the default configuration of the sample, without Spring.
 */
class KvProxyToKvTest {

    private WaitStateCollection kvLoop;
    private WaitStateCollection proxyLoop;
    private KvConnectionFunction kv;
    private AcceptingHandle kvHandle;
    private LinkedKvUpstream upstream;
    private TcpUpstreamConnector connector;
    private int kvPort;
    private int proxyPort;

    private void start(int connections, Duration replyTimeout) {
        kvLoop = WaitStateCollection.createAndRun("kv");
        kv = new KvConnectionFunction(KvSettings.DEFAULTS);
        startKv(0);
        proxyLoop = WaitStateCollection.createAndRun("kv-proxy");
        connector = new TcpUpstreamConnector(proxyLoop, "127.0.0.1", kvPort, Duration.ofSeconds(2),
                Duration.ofMillis(100), 2, Duration.ofSeconds(1));
        upstream = new LinkedKvUpstream(connector, connections, 1 << 20, 10_000, replyTimeout);
        proxyPort = proxyLoop.acceptTcpConnections(0, new KvProxyConnectionFunction(upstream,
                KvProxySettings.DEFAULTS), AcceptOptions.builder().address("127.0.0.1").queueOutput(true).build())
                .localPort();
    }

    private void startKv(int port) {
        kvHandle = kvLoop.acceptTcpConnections(port, kv, AcceptOptions.builder().address("127.0.0.1")
                .queueOutput(true).build());
        kvPort = kvHandle.localPort();
    }

    @AfterEach
    void stop() {
        if (upstream != null) {
            upstream.close();
        }
        if (proxyLoop != null) {
            proxyLoop.close();
        }
        if (kv != null) {
            kv.close();
        }
        if (kvLoop != null) {
            kvLoop.close();
        }
    }

    @Test
    void answersAsTheKvHandleDoes() throws Exception {
        start(2, Duration.ofSeconds(10));
        String[][] commands = {{"SET", "greeting", "hello"}, {"GET", "greeting"}, {"INCR", "n"}, {"INCR", "n"},
            {"MGET", "greeting", "n", "missing"}, {"DEL", "greeting"}, {"GET", "greeting"}, {"PING"},
            {"INCR", "greeting2x"}, {"SET", "k", "v", "NX"}, {"SET", "k", "w", "NX"}, {"INCR", "k"}, {"NOPE"},
            {"GET"}, {"DBSIZE"}, {"ECHO", "x y"}};
        List<Object> viaProxy = new ArrayList<>();
        List<Object> direct = new ArrayList<>();
        try (RespClient p = new RespClient(proxyPort); RespClient d = new RespClient(kvPort)) {
            for (String[] c : commands) {
                viaProxy.add(p.call(c));
            }
            d.call("FLUSHALL");
            for (String[] c : commands) {
                direct.add(d.call(c));
            }
            p.send("INCRBY counter 5\r\n");
            assertThat(p.read()).isEqualTo(5L);
        }
        assertThat(viaProxy).isEqualTo(direct).contains("hello", 2L, "OK", "PONG");
    }

    @Test
    void manyPipeliningClientsEachGetTheirOwnRepliesInOrder() throws Exception {
        start(2, Duration.ofSeconds(10));
        int clients = 8;
        int perClient = 2000;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                runs.add(pool.submit(() -> {
                    try (RespClient r = new RespClient(proxyPort)) {
                        ByteArrayOutputStream batch = new ByteArrayOutputStream();
                        for (int i = 0; i < perClient; i++) {
                            batch.writeBytes(RespClient.encode("SET", "c" + client + ":" + i, "v" + client + ":" + i));
                            batch.writeBytes(RespClient.encode("GET", "c" + client + ":" + i));
                        }
                        r.send(batch.toByteArray());
                        for (int i = 0; i < perClient; i++) {
                            assertThat(r.read()).isEqualTo("OK");
                            assertThat(r.read()).isEqualTo("v" + client + ":" + i);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                run.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anUnreachableUpstreamIsAnErrorAtOnceAndTheProxyRecoversWhenItReturns() throws Exception {
        start(1, Duration.ofSeconds(10));
        try (RespClient c = new RespClient(proxyPort)) {
            assertThat(c.call("SET", "k", "1")).isEqualTo("OK");
            kvHandle.close();
            kvLoop.closeAllStates();
            // The link learns of the loss from the broken connection or from the next command; either way every
            // command gets an error reply, never a hang (RespClient's read times out after 10 s).
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                Object reply = c.call("GET", "k");
                assertThat(reply).isInstanceOf(RespClient.Error.class).asString()
                        .contains("ERR upstream unavailable");
            });
            startKv(kvPort);
            await().atMost(Duration.ofSeconds(10)).until(() -> "1".equals(c.call("GET", "k")));
        }
    }

    @Test
    void aReplyThatNeverComesFailsAtTheReplyTimeoutAndTheConnectionIsReplaced() throws Exception {
        start(1, Duration.ofMillis(300));
        // A server that accepts and reads but never answers stands in for a hung upstream.
        AcceptingHandle silent = kvLoop.acceptTcpConnections(0, (h, s) -> s.readWithChecking((st, b, n) -> {
            if (n > 0) {
                st.discard(n);
            }
        }), AcceptOptions.builder().address("127.0.0.1").build());
        upstream.close();
        connector = new TcpUpstreamConnector(proxyLoop, "127.0.0.1", silent.localPort(), Duration.ofSeconds(2),
                Duration.ofMillis(100), 2, Duration.ofSeconds(1));
        upstream = new LinkedKvUpstream(connector, 1, 1 << 20, 10_000, Duration.ofMillis(300));
        int port = proxyLoop.acceptTcpConnections(0, new KvProxyConnectionFunction(upstream,
                KvProxySettings.DEFAULTS), AcceptOptions.builder().address("127.0.0.1").queueOutput(true).build())
                .localPort();
        try (RespClient c = new RespClient(port)) {
            assertThat(c.call("GET", "k").toString()).contains("ERR upstream connection lost before the reply: "
                    + "no reply within 300 ms");
        }
    }
}
