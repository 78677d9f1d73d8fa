package dev.asyncio.spring.autoconfigure;

import java.util.LinkedHashSet;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.origin.PropertySourceOrigin;
import org.springframework.boot.origin.SystemEnvironmentOrigin;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * The {@code async-io.*} property names an environment holds, read from its enumerable property sources without
 * binding any value — so that they are known even when a value cannot be bound (its binding failure is then reported
 * by Spring Boot, naming the property). Sources that cannot list their names (rare: a custom non-enumerable source)
 * are skipped. Stateless; any thread.
 */
final class ConfiguredPropertyNames {

    static final ConfigurationPropertyName PREFIX = ConfigurationPropertyName.of(AsyncIoProperties.PREFIX);

    /** How Spring Boot names a variable {@code ASYNC_IO_*}: underscores become dots. */
    private static final ConfigurationPropertyName LEGACY_PREFIX = ConfigurationPropertyName.of("async.io");

    private static final ConfigurationPropertyName HANDLES = ConfigurationPropertyName
        .of(AsyncIoProperties.PREFIX + ".handles");

    private ConfiguredPropertyNames() {
    }

    /**
     * @return every property name under {@code async-io}, in source order, each once — with the names of
     * environment variables {@code ASYNC_IO_*} (which Spring Boot reads as {@code async.io.*}, not under
     * {@code async-io}) and {@code ASYNCIO_*}
     */
    static Set<ConfigurationPropertyName> all(Environment environment) {
        Set<ConfigurationPropertyName> names = new LinkedHashSet<>();
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (source instanceof IterableConfigurationPropertySource iterable) {
                iterable.stream().filter((name) -> PREFIX.isAncestorOf(name) || LEGACY_PREFIX.isAncestorOf(name)
                        && environmentVariable(source, name) != null).forEach(names::add);
            }
        }
        return names;
    }

    /** @return the environment variable that sets {@code name}, or {@code null} if another source sets it */
    static @Nullable String environmentVariable(Environment environment, ConfigurationPropertyName name) {
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            ConfigurationProperty property = source.getConfigurationProperty(name);
            if (property != null) {
                return environmentVariable(source, name);
            }
        }
        return null;
    }

    private static @Nullable String environmentVariable(ConfigurationPropertySource source,
            ConfigurationPropertyName name) {
        if (!(source.getUnderlyingSource() instanceof SystemEnvironmentPropertySource)) {
            return null;
        }
        ConfigurationProperty property = source.getConfigurationProperty(name);
        Object origin = (property != null) ? property.getOrigin() : null;
        if (origin instanceof SystemEnvironmentOrigin environment) {
            return environment.getProperty();
        }
        return (origin instanceof PropertySourceOrigin propertySource) ? propertySource.getPropertyName() : null;
    }

    /**
     * @return the handle names under {@code async-io.handles}, in order of appearance — also for a handle set by a
     * single property of a wrongly typed value
     */
    static Set<String> handleNames(Environment environment) {
        Set<String> names = new LinkedHashSet<>();
        for (ConfigurationPropertyName name : all(environment)) {
            if (HANDLES.isAncestorOf(name)) {
                names.add(name.getElement(HANDLES.getNumberOfElements(), ConfigurationPropertyName.Form.ORIGINAL));
            }
        }
        return names;
    }

    /**
     * @return the enabled handle names ({@code async-io.handles.<name>.enabled} not false), in order of appearance; a
     * value that cannot be read as a boolean counts as enabled, so that binding the handle reports it
     */
    static Set<String> enabledHandleNames(Environment environment) {
        Set<String> names = handleNames(environment);
        Binder binder = Binder.get(environment);
        names.removeIf((name) -> {
            try {
                return !binder.bind(HANDLES.append(name).append("enabled"), Bindable.of(Boolean.class)).orElse(true);
            }
            catch (RuntimeException ex) {
                // A value binding cannot read, or a name it cannot append to: binding the handle reports it.
                return false;
            }
        });
        return names;
    }

    /** @return the environment's value of {@code name}, or {@code null} */
    static @Nullable Object value(Environment environment, ConfigurationPropertyName name) {
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            ConfigurationProperty property = source.getConfigurationProperty(name);
            if (property != null) {
                return property.getValue();
            }
        }
        return null;
    }
}
