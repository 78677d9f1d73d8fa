package dev.asyncio.spring.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.asyncio.core.TransportChoice;
import dev.asyncio.core.TransportMode;
import dev.asyncio.core.WaitStateCollection;
import dev.asyncio.spring.AsyncIoConfigurationException;
import dev.asyncio.spring.CollectionTransports;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Turns {@code async-io.transport} and {@code async-io.collections.<name>.transport} into the registry's
 * {@link CollectionTransports}, checking at start-up that each forced mode can run (a forced {@code native} where
 * the native transport cannot run fails start-up naming the property and what is missing), and logs the chosen
 * transport with its reason once, at INFO.
 */
final class TransportSettings {

    private static final Log LOGGER = LogFactory.getLog(TransportSettings.class);

    static final String PROPERTY = AsyncIoProperties.PREFIX + ".transport";

    private TransportSettings() {
    }

    /**
     * Called on the thread creating the registry bean (start-up).
     *
     * @param properties the bound properties
     * @return the transports of the registry's collections
     * @throws AsyncIoConfigurationException if a property forces native and the native transport cannot run here
     */
    static CollectionTransports resolve(AsyncIoProperties properties) {
        TransportMode mode = properties.getTransport();
        TransportChoice all = check(PROPERTY, mode);
        StringBuilder line = new StringBuilder("async-io transport: ").append(all);
        Map<String, TransportMode> own = new LinkedHashMap<>();
        properties.getCollections().forEach((name, collection) -> {
            TransportMode m = collection.getTransport();
            if (m != null) {
                own.put(name, m);
                String property = AsyncIoProperties.PREFIX + ".collections." + name + ".transport";
                line.append("; collection '").append(name).append("': ").append(check(property, m));
            }
        });
        if (mode != null || !own.isEmpty()) {
            // Unset everywhere: the core has already logged the process default, the same line; say it once.
            LOGGER.info(line);
        }
        return new CollectionTransports(mode, PROPERTY, own, AsyncIoProperties.PREFIX + ".collections.");
    }

    private static TransportChoice check(String property, @Nullable TransportMode mode) {
        try {
            return (mode == null) ? WaitStateCollection.defaultTransport()
                    : WaitStateCollection.transportFor(mode, property);
        }
        catch (IllegalStateException | IllegalArgumentException ex) {
            String value = (mode == null) ? System.getProperty("asyncio.transport")
                    : mode.name().toLowerCase(java.util.Locale.ROOT);
            String name = (mode == null) ? "asyncio.transport (system property; " + property + " not set)" : property;
            throw new AsyncIoConfigurationException(name, value, "cannot be used: " + ex.getMessage(),
                    "Set " + property + " to auto or nio, or run on Linux with JDK 22+, async-io-native on the class "
                            + "path and the JVM flags --enable-native-access=ALL-UNNAMED "
                            + "--add-opens java.base/sun.nio.ch=ALL-UNNAMED.", ex);
        }
    }
}
