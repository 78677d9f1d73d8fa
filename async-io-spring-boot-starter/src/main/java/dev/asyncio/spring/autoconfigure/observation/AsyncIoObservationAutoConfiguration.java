package dev.asyncio.spring.autoconfigure.observation;

import dev.asyncio.spring.autoconfigure.AsyncIoAutoConfiguration;
import dev.asyncio.spring.observation.ConnectionObservationConvention;
import dev.asyncio.spring.observation.ObservingHandleCustomizer;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of the {@code asyncio.connection} observation: only with {@code micrometer-observation} on the
 * classpath and an {@link ObservationRegistry} bean (Spring Boot's actuator provides one). Every connection of a
 * handle bound from a definition (configured or registered in code) is then observed.
 */
@AutoConfiguration(before = AsyncIoAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass(ObservationRegistry.class)
@ConditionalOnBean(ObservationRegistry.class)
@ConditionalOnBooleanProperty(name = "async-io.enabled", matchIfMissing = true)
public final class AsyncIoObservationAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ObservingHandleCustomizer asyncIoObservingHandleCustomizer(ObservationRegistry registry,
            ObjectProvider<ConnectionObservationConvention> convention, Environment environment) {
        // Read here, not from AsyncIoProperties: this configuration runs before AsyncIoAutoConfiguration binds them.
        boolean callbackScope = environment.getProperty("async-io.observation.callback-scope", Boolean.class, true);
        return new ObservingHandleCustomizer(registry, convention.getIfUnique(), callbackScope);
    }
}
