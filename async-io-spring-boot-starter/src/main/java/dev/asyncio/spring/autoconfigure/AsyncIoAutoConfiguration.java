package dev.asyncio.spring.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.asyncio.core.AcceptingHandle;
import dev.asyncio.core.CallbackErrorPolicy;
import dev.asyncio.core.WaitStateCollection;
import dev.asyncio.spring.AsyncIoConfigurationException;
import dev.asyncio.spring.AsyncIoRegistry;
import dev.asyncio.spring.lifecycle.AsyncIoGracefulShutdownLifecycle;
import dev.asyncio.spring.lifecycle.AsyncIoStartStopLifecycle;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of async-io: the {@link AsyncIoRegistry} of collections and handles, one
 * {@link dev.asyncio.spring.ManagedAcceptingHandle} bean per {@code async-io.handles.<name>}, and the two lifecycle
 * phases that bind the handles on start and drain and close them on stop.
 */
@AutoConfiguration
@ConditionalOnClass(WaitStateCollection.class)
@EnableConfigurationProperties(AsyncIoProperties.class)
@Import(HandleBeanRegistrar.class)
public final class AsyncIoAutoConfiguration {

    /** Spring Boot's default of {@code spring.lifecycle.timeout-per-shutdown-phase}. */
    static final Duration DEFAULT_SHUTDOWN_PHASE_TIMEOUT = Duration.ofSeconds(30);

    @Bean(destroyMethod = "stop")
    @ConditionalOnMissingBean
    AsyncIoRegistry asyncIoRegistry(AsyncIoProperties properties) {
        Map<String, CallbackErrorPolicy> policies = new LinkedHashMap<>();
        properties.getCollections()
            .forEach((name, collection) -> policies.put(name, collection.getCallbackErrorPolicy().toPolicy()));
        return new AsyncIoRegistry(policies);
    }

    @Bean(HandleBeanRegistrar.CONFIGURED_HANDLES_BEAN)
    ConfiguredHandles asyncIoConfiguredHandles(AsyncIoRegistry registry, AsyncIoProperties properties,
            ListableBeanFactory beanFactory) {
        return new ConfiguredHandles(registry, properties, beanFactory);
    }

    @Bean
    @ConditionalOnMissingBean
    AsyncIoStartStopLifecycle asyncIoStartStopLifecycle(AsyncIoRegistry registry,
            ObjectProvider<AcceptingHandle> applicationHandles, ConfiguredHandles configuredHandles) {
        return new AsyncIoStartStopLifecycle(registry, applicationHandles);
    }

    @Bean
    @ConditionalOnMissingBean
    AsyncIoGracefulShutdownLifecycle asyncIoGracefulShutdownLifecycle(AsyncIoRegistry registry,
            AsyncIoProperties properties, Environment environment) {
        Duration quiet = properties.getShutdownQuietPeriod();
        if (quiet == null || quiet.isNegative()) {
            throw new AsyncIoConfigurationException(AsyncIoProperties.PREFIX + ".shutdown-quiet-period", quiet,
                    "must be zero or positive", "Set a duration such as 1s; 0 closes connections as soon as the "
                            + "graceful shutdown starts.");
        }
        return new AsyncIoGracefulShutdownLifecycle(registry,
                properties.getShutdown() == AsyncIoProperties.Shutdown.GRACEFUL, shutdownPhaseTimeout(environment),
                properties.getShutdownQuietPeriod());
    }

    /**
     * @param environment the environment
     * @return {@code spring.lifecycle.timeout-per-shutdown-phase}, read directly so that the starter does not
     * depend on Boot's lifecycle auto-configuration being present
     */
    public static Duration shutdownPhaseTimeout(Environment environment) {
        return Binder.get(environment)
            .bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class)
            .orElse(DEFAULT_SHUTDOWN_PHASE_TIMEOUT);
    }
}
