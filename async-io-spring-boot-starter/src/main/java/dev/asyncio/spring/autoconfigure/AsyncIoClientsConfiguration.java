package dev.asyncio.spring.autoconfigure;

import dev.asyncio.spring.AsyncIoRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The outbound clients of {@code async-io.clients.*}, imported by {@link AsyncIoAutoConfiguration}: their checked
 * settings, one bean per client and the registry that lists them.
 */
@Configuration(proxyBeanMethods = false)
class AsyncIoClientsConfiguration {

    /** The bean name of {@link ConfiguredClients}, the factory of the client beans. */
    static final String CONFIGURED_CLIENTS_BEAN = "asyncIoConfiguredClients";

    @Bean(CONFIGURED_CLIENTS_BEAN)
    ConfiguredClients asyncIoConfiguredClients(AsyncIoProperties properties, AsyncIoRegistry registry,
            ObjectProvider<SslBundles> sslBundles) {
        return new ConfiguredClients(properties, registry.collectionNames(), sslBundles.getIfAvailable());
    }
}
