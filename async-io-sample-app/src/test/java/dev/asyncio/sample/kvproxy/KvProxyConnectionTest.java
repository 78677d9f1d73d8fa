package dev.asyncio.sample.kvproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.asyncio.core.AcceptOptions;
import dev.asyncio.core.WaitStateCollection;
import dev.asyncio.sample.kv.resp.RespLimits;
import dev.asyncio.sample.testing.RespClient;

/** The proxy's client side over real loopback sockets, in front of a {@link FakeUpstream}. */
class KvProxyConnectionTest {

    private WaitStateCollection collection;
    private KvProxyConnectionFunction proxy;
    private final ExecutorService answerer = Executors.newSingleThreadExecutor();

    private int start(KvUpstream upstream, KvProxySettings settings) {
        collection = WaitStateCollection.createAndRun("kv-proxy-test");
        proxy = new KvProxyConnectionFunction(upstream, settings);
        return collection.acceptTcpConnections(0, proxy, AcceptOptions.builder().address("127.0.0.1")
                .handleName("kv-proxy").queueOutput(true).build()).localPort();
    }

    private int start(KvUpstream upstream) {
        return start(upstream, KvProxySettings.DEFAULTS);
    }

    @AfterEach
    void stop() {
        answerer.shutdownNow();
        if (collection != null) {
            collection.close();
        }
    }

    @Test
    void forwardsMultiBulkCommandsAsTheClientSentThem() throws Exception {
        FakeUpstream upstream = FakeUpstream.echoing();
        try (RespClient c = new RespClient(start(upstream))) {
            assertThat(c.call("SET", "k", "v a l")).isEqualTo("k v a l");
            assertThat(upstream.received).containsExactly(new String(RespClient.encode("SET", "k", "v a l")));
        }
    }

    @Test
    void inlineCommandsAreReEncodedAsMultiBulk() throws Exception {
        FakeUpstream upstream = FakeUpstream.echoing();
        try (RespClient c = new RespClient(start(upstream))) {
            c.send("set greeting \"hello world\"\r\n\r\nget greeting\n");
            assertThat(c.read()).isEqualTo("greeting hello world");
            assertThat(c.read()).isEqualTo("greeting");
            assertThat(upstream.received).containsExactly(
                    new String(RespClient.encode("set", "greeting", "hello world")),
                    new String(RespClient.encode("get", "greeting")));
        }
    }

    @Test
    void repliesGoBackInCommandOrderWhenTheUpstreamAnswersInReverse() throws Exception {
        FakeUpstream upstream = FakeUpstream.holding();
        try (RespClient c = new RespClient(start(upstream))) {
            ByteArrayOutputStream batch = new ByteArrayOutputStream();
            for (int i = 0; i < 10; i++) {
                batch.writeBytes(RespClient.encode("GET", "k" + i));
            }
            c.send(batch.toByteArray());
            List<FakeUpstream.Held> commands = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                commands.add(upstream.held.poll(10, TimeUnit.SECONDS));
            }
            for (int i = 9; i >= 0; i--) {
                FakeUpstream.Held h = commands.get(i);
                h.reply().replied(FakeUpstream.bulk("reply-" + FakeUpstream.arguments(h.command())));
            }
            for (int i = 0; i < 10; i++) {
                assertThat(c.read()).isEqualTo("reply-k" + i);
            }
        }
    }

    @Test
    void aPipelineOfThousandsAnsweredFromAnotherThreadInRandomOrderStaysInOrder() throws Exception {
        FakeUpstream upstream = FakeUpstream.holding();
        int n = 5000;
        try (RespClient c = new RespClient(start(upstream))) {
            answerer.submit(() -> {
                List<FakeUpstream.Held> window = new ArrayList<>();
                int answered = 0;
                while (answered < n) {
                    FakeUpstream.Held h = upstream.held.poll(10, TimeUnit.SECONDS);
                    if (h == null) {
                        return null;
                    }
                    window.add(h);
                    upstream.held.drainTo(window);
                    Collections.shuffle(window, ThreadLocalRandom.current());
                    for (FakeUpstream.Held w : window) {
                        w.reply().replied(FakeUpstream.bulk(FakeUpstream.arguments(w.command())));
                    }
                    answered += window.size();
                    window.clear();
                }
                return null;
            });
            ByteArrayOutputStream batch = new ByteArrayOutputStream();
            for (int i = 0; i < n; i++) {
                batch.writeBytes(RespClient.encode("GET", "request-" + i));
            }
            c.send(batch.toByteArray());
            for (int i = 0; i < n; i++) {
                assertThat(c.read()).as("reply %d", i).isEqualTo("request-" + i);
            }
        }
    }

    @Test
    void refusedCommandsAreAnsweredInOrderAndTheConnectionStays() throws Exception {
        FakeUpstream upstream = FakeUpstream.holding();
        try (RespClient c = new RespClient(start(upstream))) {
            c.send(concat(RespClient.encode("GET", "a"), RespClient.encode("MULTI"), RespClient.encode("GET", "b"),
                    RespClient.encode("blpop", "q", "0"), RespClient.encode("XREAD", "BLOCK", "0", "STREAMS", "s",
                            "$"), RespClient.encode("HELLO", "3")));
            FakeUpstream.Held a = upstream.held.poll(10, TimeUnit.SECONDS);
            FakeUpstream.Held b = upstream.held.poll(10, TimeUnit.SECONDS);
            b.reply().replied(FakeUpstream.bulk("B"));
            a.reply().replied(FakeUpstream.bulk("A"));
            assertThat(c.read()).isEqualTo("A");
            assertThat(c.read()).isEqualTo(new RespClient.Error("ERR 'multi' is not supported by kv-proxy: "
                    + "transactions need one upstream connection of their own; connect to the server directly"));
            assertThat(c.read()).isEqualTo("B");
            assertThat(c.read()).isEqualTo(new RespClient.Error("ERR 'blpop' is not supported by kv-proxy: "
                    + "blocking commands would hold a shared upstream connection and stall other clients"));
            assertThat(c.read()).isInstanceOf(RespClient.Error.class).asString().contains("'xread'");
            assertThat(c.read()).isInstanceOf(RespClient.Error.class).asString().contains("NOPROTO");
            // XREAD without BLOCK is an ordinary request/reply.
            c.send(RespClient.encode("XREAD", "STREAMS", "s", "0"));
            upstream.held.poll(10, TimeUnit.SECONDS).reply().replied("*-1\r\n".getBytes());
            assertThat(c.read()).isNull();
            assertThat(upstream.received).hasSize(3);
            assertThat(proxy.statistics().refusedCommands()).isEqualTo(4);
        }
    }

    @Test
    void anUpstreamFailureIsAnErrorReplyForThatCommandOnly() throws Exception {
        FakeUpstream upstream = FakeUpstream.echoing();
        try (RespClient c = new RespClient(start(upstream))) {
            upstream.failWith = "ERR upstream unavailable: connection refused";
            assertThat(c.call("GET", "k")).isEqualTo(new RespClient.Error("ERR upstream unavailable: connection "
                    + "refused"));
            upstream.failWith = null;
            assertThat(c.call("GET", "k")).isEqualTo("k");
            assertThat(proxy.statistics().upstreamErrors()).isEqualTo(1);
        }
    }

    @Test
    void quitAnswersOkAfterTheRepliesBeforeItThenCloses() throws Exception {
        FakeUpstream upstream = FakeUpstream.holding();
        try (RespClient c = new RespClient(start(upstream))) {
            c.send(concat(RespClient.encode("GET", "x"), RespClient.encode("QUIT"), RespClient.encode("GET", "y")));
            upstream.held.poll(10, TimeUnit.SECONDS).reply().replied(FakeUpstream.bulk("X"));
            assertThat(c.read()).isEqualTo("X");
            assertThat(c.read()).isEqualTo("OK");
            assertThat(c.atEof()).isTrue();
            assertThat(upstream.received).hasSize(1);
        }
    }

    @Test
    void aProtocolErrorIsTheLastReplyThenTheConnectionCloses() throws Exception {
        FakeUpstream upstream = FakeUpstream.echoing();
        try (RespClient c = new RespClient(start(upstream))) {
            c.send(concat(RespClient.encode("GET", "ok"), "*1\r\n$-5\r\n".getBytes()));
            assertThat(c.read()).isEqualTo("ok");
            assertThat(c.read()).isEqualTo(new RespClient.Error("ERR Protocol error: invalid bulk length"));
            assertThat(c.atEof()).isTrue();
        }
    }

    @Test
    void afterTheClientsEofEveryCompleteCommandIsAnsweredThenTheConnectionCloses() throws Exception {
        FakeUpstream upstream = FakeUpstream.holding();
        try (RespClient c = new RespClient(start(upstream))) {
            c.send(concat(RespClient.encode("GET", "1"), RespClient.encode("GET", "2")));
            c.socket().shutdownOutput();
            FakeUpstream.Held first = upstream.held.poll(10, TimeUnit.SECONDS);
            FakeUpstream.Held second = upstream.held.poll(10, TimeUnit.SECONDS);
            second.reply().replied(FakeUpstream.bulk("two"));
            first.reply().replied(FakeUpstream.bulk("one"));
            assertThat(c.read()).isEqualTo("one");
            assertThat(c.read()).isEqualTo("two");
            assertThat(c.atEof()).isTrue();
        }
    }

    @Test
    void aPipeliningClientHasAtMostMaxPipelineDepthCommandsInFlight() throws Exception {
        FakeUpstream upstream = FakeUpstream.holding();
        KvProxySettings settings = new KvProxySettings(RespLimits.DEFAULTS, 8, 1 << 20, Duration.ofSeconds(5));
        try (RespClient c = new RespClient(start(upstream, settings))) {
            ByteArrayOutputStream batch = new ByteArrayOutputStream();
            for (int i = 0; i < 100; i++) {
                batch.writeBytes(RespClient.encode("GET", "k" + i));
            }
            c.send(batch.toByteArray());
            await().atMost(Duration.ofSeconds(10)).until(() -> upstream.held.size() == 8);
            // Answering one lets exactly one more through: the client's other commands wait in its input.
            List<FakeUpstream.Held> first = new ArrayList<>();
            upstream.held.drainTo(first);
            first.get(0).reply().replied(FakeUpstream.bulk("r0"));
            assertThat(c.read()).isEqualTo("r0");
            FakeUpstream.Held ninth = upstream.held.poll(10, TimeUnit.SECONDS);
            assertThat(FakeUpstream.arguments(ninth.command())).isEqualTo("k8");
            assertThat(upstream.received).hasSize(9);
            // Then everything, so the rest drains in order.
            for (int i = 1; i < first.size(); i++) {
                first.get(i).reply().replied(FakeUpstream.bulk("r" + i));
            }
            ninth.reply().replied(FakeUpstream.bulk("r8"));
            for (int i = 9; i < 100; i++) {
                upstream.held.poll(10, TimeUnit.SECONDS).reply().replied(FakeUpstream.bulk("r" + i));
            }
            for (int i = 1; i < 100; i++) {
                assertThat(c.read()).isEqualTo("r" + i);
            }
        }
    }

    @Test
    void pendingBytesBoundStopsReadingToo() throws Exception {
        FakeUpstream upstream = FakeUpstream.holding();
        KvProxySettings settings = new KvProxySettings(RespLimits.DEFAULTS, 1000, 1000, Duration.ofSeconds(5));
        try (RespClient c = new RespClient(start(upstream, settings))) {
            ByteArrayOutputStream batch = new ByteArrayOutputStream();
            String value = "x".repeat(300);
            for (int i = 0; i < 20; i++) {
                batch.writeBytes(RespClient.encode("SET", "k" + i, value));
            }
            c.send(batch.toByteArray());
            // Each command is 332 bytes: the fourth one reaches the 1000-byte bound.
            await().atMost(Duration.ofSeconds(10)).until(() -> upstream.held.size() == 4);
            assertThat(upstream.received).hasSize(4);
            for (int i = 0; i < 20; i++) {
                upstream.held.poll(10, TimeUnit.SECONDS).reply().replied("+OK\r\n".getBytes());
                assertThat(c.read()).isEqualTo("OK");
            }
        }
    }

    @Test
    void aClientWhoseUntakenRepliesPassTheHardLimitIsDisconnected() throws Exception {
        FakeUpstream upstream = FakeUpstream.holding();
        KvProxySettings settings = new KvProxySettings(RespLimits.DEFAULTS, 100, 1 << 20, Duration.ofSeconds(5),
                1000, 1 << 20);
        try (RespClient c = new RespClient(start(upstream, settings))) {
            ByteArrayOutputStream batch = new ByteArrayOutputStream();
            for (int i = 0; i < 10; i++) {
                batch.writeBytes(RespClient.encode("GET", "k" + i));
            }
            c.send(batch.toByteArray());
            List<FakeUpstream.Held> held = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                held.add(upstream.held.poll(10, TimeUnit.SECONDS));
            }
            // Replies to all but the first: they must wait for it, and 9 × 306 bytes pass the 1000-byte limit.
            for (int i = 1; i < 10; i++) {
                held.get(i).reply().replied(FakeUpstream.bulk("v".repeat(300)));
            }
            assertThat(c.atEof()).isTrue();
            assertThat(proxy.statistics().outputLimitDisconnections()).isEqualTo(1);
            held.get(0).reply().replied(FakeUpstream.bulk("late"));
            await().atMost(Duration.ofSeconds(10)).until(() -> proxy.pendingBytes() == 0);
        }
    }

    @Test
    void overTheSharedBudgetEveryClientWaitsUntilItDrains() throws Exception {
        FakeUpstream upstream = FakeUpstream.holding();
        KvProxySettings settings = new KvProxySettings(RespLimits.DEFAULTS, 100, 1 << 20, Duration.ofSeconds(5),
                1 << 20, 1000);
        int port = start(upstream, settings);
        try (RespClient a = new RespClient(port); RespClient b = new RespClient(port)) {
            a.send(RespClient.encode("SET", "big", "x".repeat(1200)));
            FakeUpstream.Held big = upstream.held.poll(10, TimeUnit.SECONDS);
            assertThat(proxy.pendingBytes()).isGreaterThanOrEqualTo(1000);
            b.send(RespClient.encode("GET", "small"));
            // b's command waits in its input while a's holds the budget; nothing else reaches the upstream.
            assertThat(upstream.held.poll(300, TimeUnit.MILLISECONDS)).isNull();
            big.reply().replied("+OK\r\n".getBytes());
            assertThat(a.read()).isEqualTo("OK");
            FakeUpstream.Held small = upstream.held.poll(10, TimeUnit.SECONDS);
            assertThat(FakeUpstream.arguments(small.command())).isEqualTo("small");
            small.reply().replied(FakeUpstream.bulk("s"));
            assertThat(b.read()).isEqualTo("s");
        }
    }

    @Test
    void withAPasswordClientsMustAuthenticateBeforeAnythingIsForwarded() throws Exception {
        FakeUpstream upstream = FakeUpstream.echoing();
        try (RespClient c = new RespClient(start(upstream, KvProxySettings.DEFAULTS.withPassword("s3cret")))) {
            assertThat(c.call("GET", "k")).isEqualTo(new RespClient.Error("NOAUTH Authentication required."));
            assertThat(c.call("AUTH", "nope")).isEqualTo(new RespClient.Error(
                    "WRONGPASS invalid username-password pair or user is disabled."));
            assertThat(upstream.received).isEmpty();
            assertThat(c.call("AUTH", "default", "s3cret")).isEqualTo("OK");
            assertThat(c.call("GET", "k")).isEqualTo("k");
            c.send("AUTH s3cret\r\n");
            assertThat(c.read()).isEqualTo("OK");
            assertThat(upstream.received).hasSize(1);
        }
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
