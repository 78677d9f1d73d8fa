package dev.asyncio.spring.autoconfigure;

import dev.asyncio.spring.AsyncIoClientCustomizer;
import dev.asyncio.spring.AsyncIoClients;
import dev.asyncio.spring.AsyncIoRegistry;
import dev.asyncio.spring.lifecycle.AsyncIoClientsLifecycle;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The outbound clients of {@code async-io.clients.*}, imported by {@link AsyncIoAutoConfiguration}: their checked
 * settings, the {@link AsyncIoClients} registry and the lifecycle phase that starts and closes them. The bean per
 * client comes from {@link ClientBeanRegistrar}.
 */
@Configuration(proxyBeanMethods = false)
class AsyncIoClientsConfiguration {

    /** The bean name of {@link ConfiguredClients}, the factory of the client beans. */
    static final String CONFIGURED_CLIENTS_BEAN = "asyncIoConfiguredClients";

    @Bean(CONFIGURED_CLIENTS_BEAN)
    ConfiguredClients asyncIoConfiguredClients(AsyncIoProperties properties, AsyncIoRegistry registry,
            ObjectProvider<SslBundles> sslBundles, ObjectProvider<AsyncIoClientCustomizer> customizers) {
        return new ConfiguredClients(properties, registry, sslBundles.getIfAvailable(),
                customizers.orderedStream().toList());
    }

    @Bean
    @ConditionalOnMissingBean
    AsyncIoClients asyncIoClients(ConfiguredClients configuredClients) {
        return configuredClients.clients();
    }

    @Bean
    @ConditionalOnMissingBean
    AsyncIoClientsLifecycle asyncIoClientsLifecycle(AsyncIoClients clients) {
        return new AsyncIoClientsLifecycle(clients);
    }
}
