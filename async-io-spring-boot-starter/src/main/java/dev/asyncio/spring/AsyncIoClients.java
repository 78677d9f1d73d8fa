package dev.asyncio.spring;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The application's outbound clients ({@code async-io.clients.*}), by name: what the actuator endpoint, the health
 * contributor and the meters read, and what the start/stop phase of the clients drives. A bean; thread-safe.
 */
public class AsyncIoClients {

    // Commons Logging, as Spring itself: it stays connected to the log configuration through the whole shutdown.
    private static final Log LOGGER = LogFactory.getLog(AsyncIoClients.class);

    private final Map<String, ManagedAsyncIoClient> clients = new LinkedHashMap<>();

    private volatile boolean running;

    /** @param clients the clients, in configuration order (names must differ) */
    public AsyncIoClients(List<ManagedAsyncIoClient> clients) {
        for (ManagedAsyncIoClient client : clients) {
            if (this.clients.putIfAbsent(client.name(), client) != null) {
                throw new IllegalArgumentException("Two async-io clients are named '" + client.name() + "'");
            }
        }
    }

    /** @return every client, in configuration order */
    public List<ManagedAsyncIoClient> clients() {
        return new ArrayList<>(this.clients.values());
    }

    /**
     * @param name a client name
     * @return the client, or {@code null} if none has that name
     */
    public @Nullable ManagedAsyncIoClient client(String name) {
        return this.clients.get(name);
    }

    /** Starts every client (none throws for an unreachable service); logs one INFO line per client. */
    public void start() {
        this.running = true;
        for (ManagedAsyncIoClient client : this.clients.values()) {
            client.start();
            LOGGER.info("async-io client '" + client.name() + "' started (" + client.mode().name().toLowerCase(
                    java.util.Locale.ROOT) + ", " + String.join(", ", client.configuredAddresses()) + ")");
        }
    }

    /** Closes every client for good: requests pending fail, connections close. Safe to call twice. */
    public void stop() {
        this.running = false;
        for (ManagedAsyncIoClient client : this.clients.values()) {
            try {
                client.stop();
            }
            catch (RuntimeException ex) {
                LOGGER.warn("Closing async-io client '" + client.name() + "' failed", ex);
            }
        }
    }

    /** @return whether {@link #start()} ran and {@link #stop()} did not */
    public boolean isRunning() {
        return this.running;
    }
}
