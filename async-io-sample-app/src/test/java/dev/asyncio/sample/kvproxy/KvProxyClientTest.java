package dev.asyncio.sample.kvproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

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
import dev.asyncio.sample.kv.KvConnectionFunction;
import dev.asyncio.sample.kv.KvSettings;
import dev.asyncio.sample.testing.RespClient;

/**
 * The proxy over the async-io client as the sample wires it ({@link ClientUpstreamConnector}, pool mode, raw
 * leases) in front of the kv handle: the operator's disconnect and reconnect of the client (the endpoint's
 * {@code DELETE}/{@code POST /actuator/asyncio/clients/kv-upstream}) reach the proxy's clients as errors, then
 * answers again.
 */
class KvProxyClientTest {

    private WaitStateCollection kvLoop;
    private WaitStateCollection loop;
    private KvConnectionFunction kv;
    private AsyncIoClient client;
    private LinkedKvUpstream upstream;
    private int proxyPort;

    @BeforeEach
    void start() {
        kvLoop = WaitStateCollection.createAndRun("kv");
        kv = new KvConnectionFunction(KvSettings.DEFAULTS);
        int kvPort = kvLoop.acceptTcpConnections(0, kv, AcceptOptions.builder().address("127.0.0.1")
                .queueOutput(true).build()).localPort();
        loop = WaitStateCollection.createAndRun("kv-proxy");
        client = AsyncIoClient.create("kv-upstream", loop, ClientOptions.builder().address("127.0.0.1:" + kvPort)
                .mode(ClientMode.POOL).pool(PoolOptions.builder().maxConnections(2).build())
                .reconnect(ReconnectPolicy.builder().initialInterval(Duration.ofMillis(50))
                        .maxInterval(Duration.ofMillis(500)).build()).build());
        client.start();
        upstream = new LinkedKvUpstream(new ClientUpstreamConnector("kv-upstream", loop, () -> client), 2, 1 << 20,
                10_000, Duration.ofSeconds(5));
        proxyPort = loop.acceptTcpConnections(0, new KvProxyConnectionFunction(upstream, KvProxySettings.DEFAULTS),
                AcceptOptions.builder().address("127.0.0.1").queueOutput(true).build()).localPort();
    }

    @AfterEach
    void stop() {
        upstream.close();
        client.close();
        loop.close();
        kv.close();
        kvLoop.close();
    }

    @Test
    void aDisconnectedClientIsAnErrorAtOnceAndAReconnectBringsTheAnswersBack() throws Exception {
        try (RespClient c = new RespClient(proxyPort)) {
            assertThat(c.call("SET", "k", "v")).isEqualTo("OK");
            client.disconnect();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(c.call("GET", "k"))
                    .isInstanceOf(RespClient.Error.class).asString().contains("ERR upstream"));
            assertThat(c.call("GET", "k").toString()).contains("ERR upstream unavailable: client 'kv-upstream' is "
                    + "DISCONNECTED");
            client.reconnect();
            await().atMost(Duration.ofSeconds(10)).until(() -> "v".equals(c.call("GET", "k")));
        }
    }

    @Test
    void theProxysTrafficCountsInTheClientsStatistics() throws Exception {
        try (RespClient c = new RespClient(proxyPort)) {
            for (int i = 0; i < 10; i++) {
                assertThat(c.call("INCR", "n")).isEqualTo((long) i + 1);
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> client.statistics().replies() >= 10);
        assertThat(client.statistics().requests()).isGreaterThanOrEqualTo(10);
    }

    @Test
    void aPasswordProtectedUpstreamIsAuthenticatedOnEachNewConnection() throws Exception {
        KvConnectionFunction locked = new KvConnectionFunction(KvSettings.DEFAULTS.withPassword("s3cret"));
        int lockedPort = kvLoop.acceptTcpConnections(0, locked, AcceptOptions.builder().address("127.0.0.1")
                .queueOutput(true).build()).localPort();
        for (String password : new String[] {"s3cret", "wrong"}) {
            AsyncIoClient authenticated = AsyncIoClient.create(password.equals("s3cret") ? "kv-upstream-ok" : "kv-upstream-bad", loop, ClientOptions
                    .builder().address("127.0.0.1:" + lockedPort).mode(ClientMode.POOL)
                    .connectionInitializer(new UpstreamAuthentication(password)).build());
            authenticated.start();
            LinkedKvUpstream via = new LinkedKvUpstream(new ClientUpstreamConnector("kv-upstream", loop,
                    () -> authenticated), 1, 1 << 20, 10_000, Duration.ofSeconds(5));
            int port = loop.acceptTcpConnections(0, new KvProxyConnectionFunction(via, KvProxySettings.DEFAULTS),
                    AcceptOptions.builder().address("127.0.0.1").queueOutput(true).build()).localPort();
            try (RespClient c = new RespClient(port)) {
                Object reply = c.call("SET", "k", "v");
                if (password.equals("s3cret")) {
                    assertThat(reply).isEqualTo("OK");
                } else {
                    assertThat(reply.toString()).contains("ERR upstream unavailable").contains("AUTH refused")
                            .contains("WRONGPASS").doesNotContain("wrong");
                }
            } finally {
                via.close();
                authenticated.close();
            }
        }
        locked.close();
    }

    @Test
    void beforeTheClientStartsACommandGetsAnErrorNotAHang() throws Exception {
        LinkedKvUpstream early = new LinkedKvUpstream(new ClientUpstreamConnector("kv-upstream", loop, () -> null),
                1, 1 << 20, 10_000, Duration.ofSeconds(5));
        int port = loop.acceptTcpConnections(0, new KvProxyConnectionFunction(early, KvProxySettings.DEFAULTS),
                AcceptOptions.builder().address("127.0.0.1").queueOutput(true).build()).localPort();
        try (RespClient c = new RespClient(port)) {
            assertThat(c.call("GET", "k")).isEqualTo(new RespClient.Error(
                    "ERR upstream unavailable: client 'kv-upstream' is not started"));
        } finally {
            early.close();
        }
    }
}
