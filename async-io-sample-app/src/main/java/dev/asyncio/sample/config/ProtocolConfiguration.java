package dev.asyncio.sample.config;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.asyncio.sample.echo.EchoConnectionFunction;
import dev.asyncio.sample.kv.KvConnectionFunction;

/**
 * The connection functions the handles in {@code application.yml} refer to by bean name
 * ({@code async-io.handles.<name>.connection-function}).
 */
@Configuration(proxyBeanMethods = false)
public class ProtocolConfiguration {

    /**
     * @param properties the sample's settings
     * @return the TCP echo connection function (bean {@code echoHandler})
     */
    @Bean
    EchoConnectionFunction echoHandler(SampleProperties properties) {
        return new EchoConnectionFunction(properties.echo().closeTimeout());
    }

    /**
     * @param properties the sample's settings
     * @return the Redis-protocol key-value connection function (bean {@code kvServer}); closed with the context
     */
    @Bean
    KvConnectionFunction kvServer(SampleProperties properties) {
        return new KvConnectionFunction(properties.kv().toSettings());
    }
}
