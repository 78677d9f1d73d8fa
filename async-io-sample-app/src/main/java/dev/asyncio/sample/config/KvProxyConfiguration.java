package dev.asyncio.sample.config;

import java.time.Duration;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.asyncio.sample.kvproxy.ClientUpstreamConnector;
import dev.asyncio.sample.kvproxy.KvProxyConnectionFunction;
import dev.asyncio.sample.kvproxy.KvProxyStatistics;
import dev.asyncio.sample.kvproxy.LinkedKvUpstream;
import dev.asyncio.sample.kvproxy.UpstreamAuthentication;
import dev.asyncio.spring.AsyncIoClientCustomizer;
import dev.asyncio.spring.AsyncIoRegistry;
import dev.asyncio.spring.ManagedAsyncIoClient;
import dev.asyncio.spring.autoconfigure.AsyncIoProperties;
import dev.asyncio.spring.autoconfigure.ClientProperties;

/**
 * The {@code kv-proxy} handle's connection function (bean {@code kvProxy}) and its upstream: the starter's client
 * {@code kv-upstream} ({@code async-io.clients.kv-upstream.*}, by default {@code handle:kv}, the sample's own kv
 * handle). The proxy keeps {@code pool.max-connections} pipelined connections of that client (one lease each) and
 * gives up on a reply after the client's {@code request-timeout}.
 */
@Configuration(proxyBeanMethods = false)
// Off with its client: an application that turns kv-upstream off (and the kv-proxy handle with it, as the benchmark
// does to run the echo alone) must still start.
@ConditionalOnProperty(name = "async-io.clients.kv-upstream.enabled", havingValue = "true", matchIfMissing = true)
public class KvProxyConfiguration {

    /** The client the proxy forwards through. */
    public static final String CLIENT = "kv-upstream";

    /**
     * @param client     the starter's {@code kv-upstream} client
     * @param registry   where the client's collection comes from
     * @param asyncIo    the starter's properties, for the client's pool size and request timeout
     * @param properties the proxy's own settings
     * @return the upstream: {@code pool.max-connections} pipelined leases of the client; closed with the context
     */
    @Bean(destroyMethod = "close")
    LinkedKvUpstream kvProxyUpstream(@Qualifier(CLIENT) ManagedAsyncIoClient client, AsyncIoRegistry registry,
            AsyncIoProperties asyncIo, KvProxyProperties properties) {
        ClientProperties settings = asyncIo.getClients().get(CLIENT);
        int connections = settings == null ? 1 : settings.getPool().getMaxConnections();
        Duration replyTimeout = settings == null ? Duration.ofSeconds(10) : settings.getRequestTimeout();
        ClientUpstreamConnector connector = new ClientUpstreamConnector(CLIENT,
                registry.collection(client.collectionName()), client::clientIfStarted);
        return new LinkedKvUpstream(connector, connections, properties.maxReplyLength().toBytes(),
                properties.maxPendingPerConnection(), replyTimeout);
    }

    /**
     * @param upstream   where commands go
     * @param properties the proxy's settings
     * @param sample     the kv handle's settings, whose command bounds the proxy applies too
     * @return the connection function of the {@code kv-proxy} handle (bean {@code kvProxy})
     */
    @Bean
    KvProxyConnectionFunction kvProxy(LinkedKvUpstream upstream, KvProxyProperties properties,
            SampleProperties sample) {
        // With an upstream password, clients of the proxy must AUTH with it too (twemproxy's redis_auth): the proxy
        // must not hand a protected server to whoever can reach its port.
        return new KvProxyConnectionFunction(upstream, properties.toSettings(sample.kv().toSettings().limits())
                .withPassword(properties.hasUpstreamPassword() ? properties.upstreamPassword() : null));
    }

    /**
     * @param properties the proxy's settings
     * @return with {@code sample.kv-proxy.upstream-password} set, {@code AUTH} on each new {@code kv-upstream}
     *         connection before use
     */
    @Bean
    AsyncIoClientCustomizer kvUpstreamAuthentication(KvProxyProperties properties) {
        return (name, options) -> {
            if (CLIENT.equals(name) && properties.hasUpstreamPassword()) {
                options.connectionInitializer(new UpstreamAuthentication(properties.upstreamPassword()));
            }
        };
    }

    /**
     * @param kvProxy the proxy
     * @return {@code sample.kv-proxy.commands{outcome}}: forwarded, refused (not proxied), upstream-error
     */
    @Bean
    MeterBinder kvProxyMeters(KvProxyConnectionFunction kvProxy) {
        KvProxyStatistics s = kvProxy.statistics();
        return registry -> {
            FunctionCounter.builder("sample.kv-proxy.commands", s, KvProxyStatistics::forwardedCommands)
                    .tag("outcome", "forwarded").description("kv-proxy commands sent to the upstream")
                    .register(registry);
            FunctionCounter.builder("sample.kv-proxy.commands", s, KvProxyStatistics::refusedCommands)
                    .tag("outcome", "refused").description("kv-proxy commands refused: not proxied (MULTI, "
                            + "SUBSCRIBE, blocking, connection state)").register(registry);
            FunctionCounter.builder("sample.kv-proxy.commands", s, KvProxyStatistics::upstreamErrors)
                    .tag("outcome", "upstream-error").description("kv-proxy commands answered with an error: "
                            + "upstream unavailable, connection lost or reply timeout").register(registry);
            FunctionCounter.builder("sample.kv-proxy.disconnections", s, KvProxyStatistics::outputLimitDisconnections)
                    .tag("reason", "output-limit").description("kv-proxy clients closed: untaken replies over "
                            + "sample.kv-proxy.client-output-hard-limit").register(registry);
        };
    }
}
