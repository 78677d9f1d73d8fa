package dev.asyncio.spring.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import dev.asyncio.core.client.AsyncIoClient;
import dev.asyncio.core.client.ClientAddress;
import dev.asyncio.spring.AsyncIoClientCustomizer;
import dev.asyncio.spring.AsyncIoClients;
import dev.asyncio.spring.AsyncIoConfigurationException;
import dev.asyncio.spring.AsyncIoRegistry;
import dev.asyncio.spring.ManagedAcceptingHandle;
import dev.asyncio.spring.ManagedAsyncIoClient;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.ssl.SslBundles;

/**
 * The clients configured under {@code async-io.clients.*}, each checked ({@link ClientSettings}, then the core's own
 * option checks) while the context refreshes: a bad value fails start-up naming the property. Each becomes a
 * {@link ManagedAsyncIoClient}, exposed as a bean by {@link ClientBeanRegistrar} (which calls {@link #client}) and
 * listed by {@link #clients()}. Made once; read from any thread afterwards.
 */
public class ConfiguredClients {

    private final Map<String, ClientSettings> settings = new LinkedHashMap<>();

    private final Map<String, ManagedAsyncIoClient> clients = new LinkedHashMap<>();

    private final AsyncIoClients registryOfClients;

    /**
     * @param properties the bound properties
     * @param registry the registry of collections and handles the clients run on and may point at
     * @param bundles Boot's SSL bundles, {@code null} if the context has none
     * @param customizers applied to every client's options, in order
     * @throws AsyncIoConfigurationException for the first invalid value
     */
    ConfiguredClients(AsyncIoProperties properties, AsyncIoRegistry registry, @Nullable SslBundles bundles,
            List<AsyncIoClientCustomizer> customizers) {
        Set<String> handles = ConfiguredHandles.enabledNames(properties);
        properties.getClients().forEach((name, client) -> {
            if (client.isEnabled()) {
                this.settings.put(name, ClientSettings.of(name, client, registry.collectionNames(), handles,
                        bundles));
            }
        });
        List<ManagedAsyncIoClient> made = new ArrayList<>();
        for (ClientSettings s : this.settings.values()) {
            // Checked now with a stand-in for handle:NAME addresses, whose ports are known only once bound.
            ClientOptionsMapper.options(s, (handle) -> ClientAddress.tcp("127.0.0.1", 1), customizers);
            Function<String, ClientAddress> resolve = (handle) -> {
                ManagedAcceptingHandle bound = registry.handle(handle);
                if (bound == null) {
                    throw new IllegalStateException("its address handle:" + handle + " names no registered handle");
                }
                return ClientOptionsMapper.addressOf(bound);
            };
            ManagedAsyncIoClient client = new ManagedAsyncIoClient(s.name(), s.collection(),
                    ClientOptionsMapper.mode(s.mode()), s.addresses().stream().map(ClientAddressSpec::text).toList(),
                    () -> AsyncIoClient.create(s.name(), registry.collection(s.collection()),
                            ClientOptionsMapper.options(s, resolve, customizers)));
            this.clients.put(s.name(), client);
            made.add(client);
        }
        this.registryOfClients = new AsyncIoClients(made);
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

    /**
     * @param name a configured client name
     * @return its managed client (the bean {@link ClientBeanRegistrar} registers)
     * @throws IllegalArgumentException if no client of that name is configured
     */
    public ManagedAsyncIoClient client(String name) {
        ManagedAsyncIoClient client = this.clients.get(name);
        if (client == null) {
            throw new IllegalArgumentException("No client configured under async-io.clients." + name);
        }
        return client;
    }

    /** @return every configured client, as the {@link AsyncIoClients} bean */
    AsyncIoClients clients() {
        return this.registryOfClients;
    }

    /** @return the checked settings by client name */
    Map<String, ClientSettings> settings() {
        return Map.copyOf(this.settings);
    }
}
