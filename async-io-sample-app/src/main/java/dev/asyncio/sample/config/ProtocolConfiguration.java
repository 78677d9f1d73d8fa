package dev.asyncio.sample.config;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.asyncio.core.MemoryBudget;
import dev.asyncio.sample.echo.EchoConnectionFunction;
import dev.asyncio.sample.frames.FrameEcho;
import dev.asyncio.sample.kv.KvConnectionFunction;
import dev.asyncio.sample.kv.KvSettings;
import dev.asyncio.sample.kv.command.ServerState;

/**
 * The connection functions the handles in {@code application.yml} refer to by bean name
 * ({@code async-io.handles.<name>.connection-function}).
 */
@Configuration(proxyBeanMethods = false)
public class ProtocolConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(ProtocolConfiguration.class);

    /**
     * @param properties the sample's settings
     * @return the TCP echo connection function (bean {@code echoHandler})
     */
    @Bean
    EchoConnectionFunction echoHandler(SampleProperties properties) {
        return new EchoConnectionFunction(properties.echo().closeTimeout());
    }

    /**
     * @return the frame echo of the {@code frames} handle (bean {@code framesHandler}): each length-prefixed frame
     *         comes back as it was
     */
    @Bean
    FrameEcho framesHandler() {
        return new FrameEcho();
    }

    /**
     * @param properties the sample's settings
     * @param budget     the async-io memory budget, whose hard limit kv's budgets must leave room for
     * @return the Redis-protocol key-value connection function (bean {@code kvServer}); closed with the context
     * @throws IllegalArgumentException naming the properties when kv's budgets cannot fit the heap
     */
    @Bean
    KvConnectionFunction kvServer(SampleProperties properties, ObjectProvider<MemoryBudget> budget) {
        MemoryBudget asyncIo = budget.getIfAvailable();
        KvSettings settings = KvHeapPlan.fit(properties.kv().toSettings(), properties.kv().maxHeapFraction(),
                Runtime.getRuntime().maxMemory(), asyncIo == null ? 0 : asyncIo.hardLimit(), LOG::warn);
        return new KvConnectionFunction(settings);
    }

    /**
     * @param kvServer the key-value connection function
     * @return {@code sample.kv.disconnections{reason}}: clients kv closed for breaking a limit
     */
    @Bean
    MeterBinder kvDisconnectionMeters(KvConnectionFunction kvServer) {
        ServerState server = kvServer.server();
        return registry -> {
            FunctionCounter.builder("sample.kv.disconnections", server, ServerState::outputLimitDisconnections)
                    .tag("reason", "output-limit").description("kv clients closed: unread replies over the limit")
                    .register(registry);
            FunctionCounter.builder("sample.kv.disconnections", server, ServerState::outputBudgetDisconnections)
                    .tag("reason", "output-budget")
                    .description("kv clients closed: the biggest holders while unread replies of all clients were "
                            + "over the budget").register(registry);
            FunctionCounter.builder("sample.kv.disconnections", server, ServerState::requestDeadlineDisconnections)
                    .tag("reason", "request-deadline")
                    .description("kv clients closed: a request did not arrive within the deadline").register(registry);
            FunctionCounter.builder("sample.kv.disconnections", server, ServerState::pendingBudgetDisconnections)
                    .tag("reason", "pending-request-budget")
                    .description("kv clients closed: unfinished requests of all clients over the budget")
                    .register(registry);
        };
    }
}
