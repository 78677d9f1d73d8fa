package dev.asyncio.sample.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.asyncio.core.AcceptOptions;
import dev.asyncio.core.AcceptingHandle;
import dev.asyncio.core.WaitStateCollection;
import dev.asyncio.sample.kv.resp.RespLimits;
import dev.asyncio.sample.testing.RespClient;

/** The key-value server over real loopback sockets, driven by a plain Java client. */
class KvServerSocketTest {

    private static final KvSettings FAST_SWEEP = new KvSettings(RespLimits.DEFAULTS, 4L * 1024 * 1024,
            64L * 1024 * 1024, Duration.ofMillis(20), 1000, Duration.ofSeconds(5));

    private WaitStateCollection collection;
    private KvConnectionFunction kv;
    private AcceptingHandle handle;

    private int start(boolean queueOutput) {
        collection = WaitStateCollection.createAndRun("kv-test");
        kv = new KvConnectionFunction(FAST_SWEEP);
        handle = collection.acceptTcpConnections(0, kv, AcceptOptions.builder().address("127.0.0.1")
                .handleName("kv").queueOutput(queueOutput).build());
        return handle.localPort();
    }

    @AfterEach
    void stop() throws Exception {
        if (kv != null) {
            kv.close();
        }
        if (collection != null) {
            collection.close();
        }
    }

    @ParameterizedTest(name = "queueOutput={0}")
    @ValueSource(booleans = {true, false})
    void answersCommands(boolean queueOutput) throws Exception {
        try (RespClient c = new RespClient(start(queueOutput))) {
            assertThat(c.call("PING")).isEqualTo("PONG");
            assertThat(c.call("SET", "greeting", "hello")).isEqualTo("OK");
            assertThat(c.call("GET", "greeting")).isEqualTo("hello");
            assertThat(c.call("INCR", "n")).isEqualTo(1L);
            assertThat(c.call("MGET", "greeting", "missing")).isEqualTo(java.util.Arrays.asList("hello", null));
            assertThat(c.call("NOPE")).isEqualTo(
                    new RespClient.Error("ERR unknown command 'NOPE', with args beginning with: "));
            c.send("ECHO inline\r\n");
            assertThat(c.read()).isEqualTo("inline");
        }
    }

    @Test
    void pipelinedCommandsAnswerInOrder() throws Exception {
        try (RespClient c = new RespClient(start(true))) {
            ByteArrayOutputStream batch = new ByteArrayOutputStream();
            for (int i = 0; i < 1000; i++) {
                batch.writeBytes(RespClient.encode("INCR", "counter"));
            }
            c.send(batch.toByteArray());
            for (long i = 1; i <= 1000; i++) {
                assertThat(c.read()).isEqualTo(i);
            }
        }
    }

    @Test
    void requestsSplitIntoSingleBytesStillParse() throws Exception {
        try (RespClient c = new RespClient(start(true))) {
            c.socket().setTcpNoDelay(true);
            byte[] request = RespClient.encode("SET", "k", "split value");
            for (byte b : request) {
                c.send(new byte[] {b});
            }
            assertThat(c.read()).isEqualTo("OK");
            assertThat(c.call("GET", "k")).isEqualTo("split value");
        }
    }

    @Test
    void protocolErrorIsAnsweredThenTheConnectionCloses() throws Exception {
        int port = start(true);
        try (RespClient c = new RespClient(port)) {
            c.send("*1\r\n$-5\r\n");
            assertThat(c.read()).isEqualTo(new RespClient.Error("ERR Protocol error: invalid bulk length"));
            assertThat(c.atEof()).isTrue();
        }
        try (RespClient c = new RespClient(port)) {
            // An absurd length is refused from its header; nothing of that size is ever allocated.
            c.send("*1\r\n$2147483647\r\n");
            assertThat(c.read()).isEqualTo(new RespClient.Error("ERR Protocol error: invalid bulk length"));
            assertThat(c.atEof()).isTrue();
        }
        try (RespClient c = new RespClient(port)) {
            assertThat(c.call("PING")).as("the server survives hostile peers").isEqualTo("PONG");
        }
    }

    @Test
    void quitRepliesOkThenCloses() throws Exception {
        try (RespClient c = new RespClient(start(true))) {
            c.send(concat(RespClient.encode("QUIT"), RespClient.encode("PING")));
            assertThat(c.read()).isEqualTo("OK");
            assertThat(c.atEof()).isTrue();
        }
    }

    @Test
    void halfCloseGetsEveryReplyThenEof() throws Exception {
        try (RespClient c = new RespClient(start(true))) {
            c.send(concat(RespClient.encode("SET", "a", "1"), RespClient.encode("GET", "a")));
            c.socket().shutdownOutput();
            assertThat(c.read()).isEqualTo("OK");
            assertThat(c.read()).isEqualTo("1");
            assertThat(c.atEof()).isTrue();
        }
        await().atMost(5, TimeUnit.SECONDS).until(() -> handle.connectionCount() == 0);
    }

    @Test
    void largeValuesRoundTrip() throws Exception {
        try (RespClient c = new RespClient(start(true))) {
            String big = "x".repeat(700_000);
            assertThat(c.call("SET", "big", big)).isEqualTo("OK");
            assertThat(c.call("GET", "big")).isEqualTo(big);
        }
    }

    @Test
    void aClientThatDoesNotReadIsPausedAndLosesNothing() throws Exception {
        try (RespClient c = new RespClient(start(true))) {
            String value = "v".repeat(100_000);
            assertThat(c.call("SET", "big", value)).isEqualTo("OK");
            // 200 pipelined GETs ask for about 20 MB of replies; sent from a thread because the server stops
            // reading while the replies are not read, so our own writes block until we read.
            byte[] get = RespClient.encode("GET", "big");
            Thread sender = new Thread(() -> {
                try {
                    for (int i = 0; i < 200; i++) {
                        c.send(get);
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            sender.start();
            await().atMost(10, TimeUnit.SECONDS).until(() -> handle.connections(1).size() == 1);
            for (int i = 0; i < 200; i++) {
                assertThat(c.read()).isEqualTo(value);
            }
            sender.join(10_000);
            assertThat(sender.isAlive()).isFalse();
        }
    }

    @Test
    void expiredKeysAreSweptWithoutBeingRead() throws Exception {
        try (RespClient c = new RespClient(start(true))) {
            assertThat(c.call("SET", "short", "lived", "PX", "30")).isEqualTo("OK");
            assertThat(c.call("SET", "long", "lived")).isEqualTo("OK");
            // DBSIZE counts keys not removed yet, so it drops to 1 only when the periodic sweep ran.
            await().atMost(5, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(20))
                    .until(() -> Long.valueOf(1).equals(c.call("DBSIZE")));
            assertThat(c.call("TTL", "short")).isEqualTo(-2L);
        }
    }

    @Test
    void aConnectionFromAnotherCollectionIsRefused() throws Exception {
        start(true);
        try (WaitStateCollection other = WaitStateCollection.createAndRun("kv-other")) {
            AcceptingHandle second = other.acceptTcpConnections(0, kv, AcceptOptions.builder().address("127.0.0.1")
                    .queueOutput(true).build());
            try (RespClient first = new RespClient(handle.localPort())) {
                assertThat(first.call("PING")).isEqualTo("PONG");
            }
            try (RespClient intruder = new RespClient(second.localPort())) {
                // The store belongs to the first collection's loop thread: no second thread may touch it.
                assertThat(intruder.atEof()).isTrue();
            }
            try (RespClient first = new RespClient(handle.localPort())) {
                assertThat(first.call("INFO", "stats")).asString().contains("rejected_connections:1");
            }
        }
    }

    @Test
    void infoReportsConnectedClients() throws Exception {
        int port = start(true);
        try (RespClient a = new RespClient(port); RespClient b = new RespClient(port)) {
            assertThat(b.call("PING")).isEqualTo("PONG");
            String info = (String) a.call("INFO", "clients");
            assertThat(info).contains("connected_clients:2");
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
