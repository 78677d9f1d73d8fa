package dev.asyncio.spring.autoconfigure.health;

import dev.asyncio.spring.AsyncIoRegistry;
import dev.asyncio.spring.actuate.health.AsyncIoHealthIndicator;
import dev.asyncio.spring.autoconfigure.AsyncIoAutoConfiguration;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code asyncio} health indicator: only with {@code spring-boot-health} on the classpath
 * and {@code management.health.asyncio.enabled} not false.
 */
@AutoConfiguration(after = AsyncIoAutoConfiguration.class,
        beforeName = "org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration")
@ConditionalOnClass(ConditionalOnEnabledHealthIndicator.class)
@ConditionalOnBean(AsyncIoRegistry.class)
@ConditionalOnEnabledHealthIndicator("asyncio")
public final class AsyncIoHealthContributorAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "asyncioHealthIndicator")
    AsyncIoHealthIndicator asyncioHealthIndicator(AsyncIoRegistry registry) {
        return new AsyncIoHealthIndicator(registry);
    }
}
