package dev.asyncio.spring.autoconfigure.health;

import dev.asyncio.spring.AsyncIoClients;
import dev.asyncio.spring.actuate.health.AsyncIoClientHealthIndicator;
import dev.asyncio.spring.autoconfigure.AsyncIoAutoConfiguration;
import dev.asyncio.spring.autoconfigure.AsyncIoClientsCondition;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * Auto-configuration of the {@code asyncioClients} health contributor: one child per configured client
 * ({@link AsyncIoClientHealthIndicator}), next to the {@code asyncio} indicator rather than inside it, so that a
 * readiness group that includes {@code asyncio} is not taken down by an unreachable upstream service. Only with
 * {@code spring-boot-health}, clients configured, and {@code management.health.asyncio-clients.enabled} not false.
 */
@AutoConfiguration(after = AsyncIoAutoConfiguration.class,
        beforeName = "org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration")
@ConditionalOnClass(ConditionalOnEnabledHealthIndicator.class)
@ConditionalOnBean(AsyncIoClients.class)
@Conditional(AsyncIoClientsCondition.class)
@ConditionalOnEnabledHealthIndicator("asyncio-clients")
public final class AsyncIoClientsHealthContributorAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "asyncioClientsHealthContributor")
    CompositeHealthContributor asyncioClientsHealthContributor(AsyncIoClients clients) {
        return AsyncIoClientHealthIndicator.composite(clients);
    }
}
