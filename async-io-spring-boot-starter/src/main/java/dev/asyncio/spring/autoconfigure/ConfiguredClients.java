package dev.asyncio.spring.autoconfigure;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import dev.asyncio.spring.AsyncIoConfigurationException;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.ssl.SslBundles;

/**
 * The clients configured under {@code async-io.clients.*}, each checked ({@link ClientSettings}) while the context
 * refreshes: a bad value fails start-up naming the property. Made once; read from any thread afterwards.
 */
public class ConfiguredClients {

    private final Map<String, ClientSettings> settings = new LinkedHashMap<>();

    /**
     * @param properties the bound properties
     * @param collections the collections a client may name
     * @param bundles Boot's SSL bundles, {@code null} if the context has none
     * @throws AsyncIoConfigurationException for the first invalid value
     */
    ConfiguredClients(AsyncIoProperties properties, Set<String> collections, @Nullable SslBundles bundles) {
        Set<String> handles = ConfiguredHandles.enabledNames(properties);
        properties.getClients().forEach((name, client) -> {
            if (client.isEnabled()) {
                this.settings.put(name, ClientSettings.of(name, client, collections, handles, bundles));
            }
        });
    }

    /** @return the names of the configured clients whose {@code enabled} is not false, in order */
    static Set<String> enabledNames(AsyncIoProperties properties) {
        Set<String> names = new LinkedHashSet<>();
        properties.getClients().forEach((name, client) -> {
            if (client.isEnabled()) {
                names.add(name);
            }
        });
        return names;
    }

    /** @return the checked settings by client name */
    Map<String, ClientSettings> settings() {
        return Map.copyOf(this.settings);
    }
}
