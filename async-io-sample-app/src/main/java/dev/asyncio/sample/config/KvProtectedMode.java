package dev.asyncio.sample.config;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertyResolver;

/**
 * Redis' protected mode for the {@code kv} handle: without {@code sample.kv.password} and without an address chosen
 * on purpose ({@code async-io.handles.kv.address}), kv listens on {@value #LOOPBACK} only. kv answers
 * {@code FLUSHALL} and {@code CONFIG GET} to anyone who connects, so an unconfigured deployment must not offer that
 * to the network. Setting a password (clients then {@code AUTH}) or an address lifts it; {@link KvExposureReport}
 * says at start-up which case applies.
 *
 * <p>It runs after the configuration files, the command line and the environment are loaded (lowest precedence)
 * and adds the loopback address as the last property source, so any explicit setting wins.
 */
public final class KvProtectedMode implements EnvironmentPostProcessor, Ordered {

    /** The address kv binds to in protected mode. */
    public static final String LOOPBACK = "127.0.0.1";
    static final String ADDRESS = "async-io.handles.kv.address";
    static final String PASSWORD = "sample.kv.password";
    static final String PROPERTY_SOURCE = "kvProtectedMode";

    /**
     * Adds {@code async-io.handles.kv.address=127.0.0.1} when protected mode applies.
     *
     * @param environment the application's environment, fully loaded
     * @param application the application (unused)
     */
    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (applies(environment)) {
            environment.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE, Map.of(ADDRESS,
                    LOOPBACK)));
        }
    }

    /**
     * @param properties the configuration
     * @return whether kv is configured (it has a port or a connection function), has no password and no address
     */
    static boolean applies(PropertyResolver properties) {
        boolean kvDefined = properties.containsProperty("async-io.handles.kv.port")
                || properties.containsProperty("async-io.handles.kv.connection-function");
        return kvDefined && !hasPassword(properties) && !properties.containsProperty(ADDRESS);
    }

    /**
     * @param properties the configuration
     * @return whether {@code sample.kv.password} is set to something
     */
    static boolean hasPassword(PropertyResolver properties) {
        String password = properties.getProperty(PASSWORD);
        return password != null && !password.isEmpty();
    }

    /** @return last among the post-processors: the configuration must be loaded before it is examined */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
