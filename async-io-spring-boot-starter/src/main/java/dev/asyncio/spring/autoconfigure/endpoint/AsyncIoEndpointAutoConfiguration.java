package dev.asyncio.spring.autoconfigure.endpoint;

import dev.asyncio.spring.AsyncIoRegistry;
import dev.asyncio.spring.actuate.endpoint.AsyncIoEndpoint;
import dev.asyncio.spring.actuate.endpoint.AsyncIoEndpointWebExtension;
import dev.asyncio.spring.autoconfigure.AsyncIoAutoConfiguration;
import dev.asyncio.spring.autoconfigure.ConfiguredHandles;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of the {@code asyncio} actuator endpoint: only with the actuator on the classpath, and only
 * when the endpoint is both accessible and exposed ({@code management.endpoints.web.exposure.include}).
 */
@AutoConfiguration(after = AsyncIoAutoConfiguration.class)
@ConditionalOnClass(ConditionalOnAvailableEndpoint.class)
@ConditionalOnAvailableEndpoint(AsyncIoEndpoint.class)
@ConditionalOnBean(AsyncIoRegistry.class)
public final class AsyncIoEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    AsyncIoEndpoint asyncIoEndpoint(AsyncIoRegistry registry, Environment environment,
            ObjectProvider<ConfiguredHandles> configuredHandles,
            ObjectProvider<dev.asyncio.spring.AsyncIoClients> clients) {
        return new AsyncIoEndpoint(registry, AsyncIoAutoConfiguration.shutdownPhaseTimeout(environment),
                (name) -> {
                    ConfiguredHandles handles = configuredHandles.getIfAvailable();
                    return (handles != null) ? handles.framing(name) : null;
                }, clients.getIfAvailable(() -> new dev.asyncio.spring.AsyncIoClients(java.util.List.of())));
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(AsyncIoEndpoint.class)
    @ConditionalOnWebApplication
    AsyncIoEndpointWebExtension asyncIoEndpointWebExtension(AsyncIoEndpoint endpoint) {
        return new AsyncIoEndpointWebExtension(endpoint);
    }
}
