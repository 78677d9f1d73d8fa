package dev.asyncio.spring.autoconfigure.metrics;

import dev.asyncio.spring.AsyncIoRegistry;
import dev.asyncio.spring.autoconfigure.AsyncIoAutoConfiguration;
import dev.asyncio.spring.autoconfigure.ConfiguredHandles;
import dev.asyncio.spring.metrics.AsyncIoMeterBinder;
import dev.asyncio.spring.metrics.FrameMeterBinder;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of async-io's Micrometer meters: only when Micrometer is on the classpath and the
 * application has a {@link MeterRegistry} bean.
 */
@AutoConfiguration(after = AsyncIoAutoConfiguration.class,
        afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
                "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ MeterRegistry.class, AsyncIoRegistry.class })
public final class AsyncIoMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    AsyncIoMeterBinder asyncIoMeterBinder(AsyncIoRegistry registry) {
        return new AsyncIoMeterBinder(registry);
    }

    @Bean
    @ConditionalOnMissingBean
    FrameMeterBinder asyncIoFrameMeterBinder(ObjectProvider<ConfiguredHandles> configuredHandles) {
        return new FrameMeterBinder(() -> {
            ConfiguredHandles handles = configuredHandles.getIfAvailable();
            return (handles != null) ? handles.framedHandles() : java.util.Map.of();
        });
    }

    /** Meters of the outbound clients ({@code asyncio.client.*}); none when no client is configured. */
    @Bean
    @ConditionalOnMissingBean
    @org.springframework.context.annotation.Conditional(dev.asyncio.spring.autoconfigure.AsyncIoClientsCondition.class)
    dev.asyncio.spring.metrics.AsyncIoClientMeterBinder asyncIoClientMeterBinder(
            dev.asyncio.spring.AsyncIoClients clients) {
        return new dev.asyncio.spring.metrics.AsyncIoClientMeterBinder(clients);
    }
}
