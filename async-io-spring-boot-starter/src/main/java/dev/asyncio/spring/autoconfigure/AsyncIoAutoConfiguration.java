package dev.asyncio.spring.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.asyncio.core.AcceptingHandle;
import dev.asyncio.core.CallbackErrorPolicy;
import dev.asyncio.core.MemoryBudget;
import dev.asyncio.core.WaitStateCollection;
import dev.asyncio.spring.AsyncIoConfigurationException;
import dev.asyncio.spring.AsyncIoRegistry;
import dev.asyncio.spring.HandleDefinitionCustomizer;
import dev.asyncio.spring.LoopWatchdog;
import dev.asyncio.spring.lifecycle.AsyncIoGracefulShutdownLifecycle;
import dev.asyncio.spring.logging.SystemLoggerRouting;
import dev.asyncio.spring.lifecycle.AsyncIoStartStopLifecycle;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.aot.AotDetector;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.DependsOn;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of async-io: the {@link AsyncIoRegistry} of collections and handles, one
 * {@link dev.asyncio.spring.ManagedAcceptingHandle} bean per {@code async-io.handles.<name>}, and the two lifecycle
 * phases that bind the handles on start and drain and close them on stop. Off with {@code async-io.enabled=false}.
 */
@AutoConfiguration(afterName = "org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration")
@ConditionalOnClass(WaitStateCollection.class)
@ConditionalOnBooleanProperty(name = AsyncIoProperties.PREFIX + ".enabled", matchIfMissing = true)
@EnableConfigurationProperties(AsyncIoProperties.class)
@Import({ HandleBeanRegistrar.class, ClientBeanRegistrar.class, AsyncIoClientsConfiguration.class })
public final class AsyncIoAutoConfiguration {

    /** Spring Boot's default of {@code spring.lifecycle.timeout-per-shutdown-phase}. */
    static final Duration DEFAULT_SHUTDOWN_PHASE_TIMEOUT = Duration.ofSeconds(30);

    @Bean(destroyMethod = "stop")
    @ConditionalOnMissingBean
    @DependsOn("asyncIoSystemLoggerRouting")
    AsyncIoRegistry asyncIoRegistry(AsyncIoProperties properties,
            ObjectProvider<HandleDefinitionCustomizer> customizers, MemoryBudget asyncIoMemoryBudget) {
        Map<String, CallbackErrorPolicy> policies = new LinkedHashMap<>();
        properties.getCollections()
            .forEach((name, collection) -> policies.put(name, collection.getCallbackErrorPolicy().toPolicy()));
        return new AsyncIoRegistry(policies, customizers.orderedStream().toList(), asyncIoMemoryBudget,
                TransportSettings.resolve(properties));
    }

    /**
     * The memory budget of every collection the starter creates, from {@code async-io.memory.*}; an application may
     * declare its own {@link MemoryBudget} bean instead.
     */
    @Bean
    @ConditionalOnMissingBean
    MemoryBudget asyncIoMemoryBudget(AsyncIoProperties properties) {
        return MemoryBudgetProperties.budget(properties.getMemory(), Runtime.getRuntime().maxMemory());
    }

    @Bean(HandleBeanRegistrar.CONFIGURED_HANDLES_BEAN)
    ConfiguredHandles asyncIoConfiguredHandles(AsyncIoRegistry registry, AsyncIoProperties properties,
            ListableBeanFactory beanFactory, Environment environment, ObjectProvider<SslBundles> sslBundles,
            ObjectProvider<HandleBeanNames> handleBeanNames, ApplicationContext context,
            ObjectProvider<DescriptorLimit> descriptorLimit) {
        UnknownPropertyCheck.check(environment, properties.isFailOnUnknownProperties());
        HandleOptionsMapper mapper = new HandleOptionsMapper(registry.collectionNames(),
                new ConnectionFunctionLookup(beanFactory), sslBundles.getIfAvailable(),
                properties.isEphemeralPorts(), Runtime.getRuntime().availableProcessors());
        HandleBeanNames names = handleBeanNames.getIfAvailable();
        // Only an AOT-built context can have other handle beans than handles: elsewhere the beans come from these
        // very properties (and a handle whose bean name was taken is still configured).
        java.util.Set<String> beanNames = (names != null && AotDetector.useGeneratedArtifacts()) ? names.names()
                : ConfiguredHandles.enabledNames(properties);
        return new ConfiguredHandles(registry, properties, mapper, beanNames, WebServerPorts.of(context, environment),
                descriptorLimit.getIfAvailable(DescriptorLimit::ofProcess));
    }

    /** Restarts loop threads that end while the application runs, unless {@code async-io.restart-dead-loops=false}. */
    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(prefix = AsyncIoProperties.PREFIX, name = "restart-dead-loops", havingValue = "true",
            matchIfMissing = true)
    LoopWatchdog asyncIoLoopWatchdog(AsyncIoRegistry registry) {
        return new LoopWatchdog(registry, LoopWatchdog.DEFAULT_INTERVAL);
    }

    /** Before the registry: its lines, and the core's, must reach Spring's logging until it is destroyed. */
    @Bean(destroyMethod = "close")
    SystemLoggerRouting asyncIoSystemLoggerRouting() {
        return SystemLoggerRouting.install();
    }

    @Bean
    LocalPortPublisher asyncIoLocalPortPublisher(AsyncIoRegistry registry, ApplicationContext context) {
        return new LocalPortPublisher(registry, context);
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
