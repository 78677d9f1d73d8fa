package dev.asyncio.spring.autoconfigure;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import dev.asyncio.core.AcceptOptions;
import dev.asyncio.core.ConnectionFunction;
import dev.asyncio.core.StateOptions;
import dev.asyncio.core.TlsOptions;
import javax.net.ssl.SSLContext;
import dev.asyncio.spring.AsyncIoConfigurationException;
import dev.asyncio.spring.AsyncIoRegistry;
import dev.asyncio.spring.HandleDefinition;
import dev.asyncio.spring.ManagedAcceptingHandle;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.util.unit.DataSize;

/**
 * Turns {@code async-io.handles.*} into handles of the {@link AsyncIoRegistry}: checks every value, finds each
 * handle's connection-function bean, and registers the handle so that it binds when the context starts. Each
 * configured handle is then exposed as a bean by {@link HandleBeanRegistrar}, which calls {@link #handle(String)}.
 *
 * <p>Every rule that a value breaks throws an {@link AsyncIoConfigurationException} naming the full property, so
 * that start-up fails with a message the user can act on.
 */
public class ConfiguredHandles {

    /** Handle names become bean names, metric tags and URL path segments: keep them plain. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private static final Pattern SERVICE_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9._+-]*");

    private final Map<String, ManagedAcceptingHandle> handles = new LinkedHashMap<>();

    /**
     * Checks and registers every configured handle.
     *
     * @param registry where the handles go
     * @param properties the bound properties
     * @param beanFactory where connection-function beans are looked up
     * @throws AsyncIoConfigurationException for the first invalid value
     */
    public ConfiguredHandles(AsyncIoRegistry registry, AsyncIoProperties properties,
            ListableBeanFactory beanFactory) {
        for (Map.Entry<String, AsyncIoProperties.Handle> entry : properties.getHandles().entrySet()) {
            HandleDefinition definition = definition(entry.getKey(), entry.getValue(), registry, beanFactory);
            this.handles.put(entry.getKey(), registry.register(definition));
        }
    }

    /**
     * @param name a configured handle name
     * @return its managed handle
     * @throws IllegalArgumentException if no handle of that name is configured
     */
    public ManagedAcceptingHandle handle(String name) {
        ManagedAcceptingHandle handle = this.handles.get(name);
        if (handle == null) {
            throw new IllegalArgumentException("No handle configured under async-io.handles." + name);
        }
        return handle;
    }

    /** @return the configured handles by name */
    public Map<String, ManagedAcceptingHandle> handles() {
        return Map.copyOf(this.handles);
    }

    static HandleDefinition definition(String name, AsyncIoProperties.Handle props, AsyncIoRegistry registry,
            ListableBeanFactory beanFactory) {
        String prefix = AsyncIoProperties.PREFIX + ".handles." + name;
        if (!NAME.matcher(name).matches()) {
            throw new AsyncIoConfigurationException(prefix, name,
                    "has an invalid handle name: it must start with a letter or digit and contain only letters, "
                            + "digits, '.', '_' and '-'",
                    "Rename the handle; its name becomes a bean name, a metrics tag and an actuator URL segment.");
        }
        java.nio.file.Path unixPath = unixSocketPath(prefix, props);
        String service = (unixPath != null) ? null : checkPort(prefix + ".port", props.getPort());
        TlsOptions tls = tls(prefix + ".tls", props.getTls(), beanFactory);
        if (!registry.collectionNames().contains(props.getCollection())) {
            throw new AsyncIoConfigurationException(prefix + ".collection", props.getCollection(),
                    "names no configured collection (known: " + registry.collectionNames() + ")",
                    "Configure async-io.collections." + props.getCollection()
                            + ".callback-error-policy, or use one of " + registry.collectionNames() + ".");
        }
        positive(prefix + ".backlog", props.getBacklog());
        notNegative(prefix + ".max-connections", props.getMaxConnections());
        Duration initTimeout = notNegative(prefix + ".init-timeout", props.getInitTimeout());
        Duration readTimeout = positiveOrUnset(prefix + ".read-timeout", props.getReadTimeout());
        Duration writeTimeout = positiveOrUnset(prefix + ".write-timeout", props.getWriteTimeout());
        int maxRead = intSize(prefix + ".max-read", props.getMaxRead());
        int maxBufferedInput = intSize(prefix + ".max-buffered-input", props.getMaxBufferedInput());
        int high = intSize(prefix + ".write-high-water-mark", props.getWriteHighWaterMark());
        int low = intSize(prefix + ".write-low-water-mark", props.getWriteLowWaterMark());
        if (low > high) {
            throw new AsyncIoConfigurationException(prefix + ".write-low-water-mark", props.getWriteLowWaterMark(),
                    "is above " + prefix + ".write-high-water-mark (" + props.getWriteHighWaterMark() + ")",
                    "Set the low water mark at or below the high water mark.");
        }
        long maxQueuedOutput = props.getMaxQueuedOutput().toBytes();
        if (maxQueuedOutput < high) {
            throw new AsyncIoConfigurationException(prefix + ".max-queued-output", props.getMaxQueuedOutput(),
                    "is below " + prefix + ".write-high-water-mark (" + props.getWriteHighWaterMark() + ")",
                    "Allow at least as much queued output as the high water mark.");
        }
        StateOptions stateOptions = StateOptions.builder()
            .queueOutput(props.isQueueOutput())
            .readTimeout(readTimeout)
            .writeTimeout(writeTimeout)
            .maxRead(maxRead)
            .maxBufferedInput(maxBufferedInput)
            .writeWaterMarks(low, high)
            .maxQueuedOutput(maxQueuedOutput)
            .build();
        AcceptOptions options = AcceptOptions.builder()
            .address(props.getAddress())
            .backlog(props.getBacklog())
            .nodelay(props.isNodelay())
            .keepalive(props.isKeepalive())
            .ipFamily(props.getIpv6())
            .reusePort(props.isReusePort())
            .initTimeout(initTimeout)
            .maxConnections(props.getMaxConnections())
            .handleName(name)
            .stateOptions(stateOptions)
            .tls(tls)
            .build();
        ConnectionFunction function = connectionFunction(name, prefix, props.getConnectionFunction(), beanFactory);
        return new HandleDefinition(name, props.getCollection(), service, function, options, prefix, unixPath);
    }

    private static java.nio.file.@Nullable Path unixSocketPath(String prefix, AsyncIoProperties.Handle props) {
        String path = props.getUnixSocketPath();
        if (path == null) {
            return null;
        }
        if (path.isBlank()) {
            throw new AsyncIoConfigurationException(prefix + ".unix-socket-path", path, "is blank",
                    "Set " + prefix + ".unix-socket-path to the socket file's path, or remove it to listen on a port.");
        }
        if (props.getPort() != null || props.getAddress() != null) {
            throw new AsyncIoConfigurationException(prefix + ".unix-socket-path", path,
                    "is set together with " + prefix + (props.getPort() != null ? ".port" : ".address")
                            + ": a handle listens either on a Unix domain socket or on a TCP port",
                    "Remove " + prefix + ".port and " + prefix + ".address, or " + prefix + ".unix-socket-path.");
        }
        try {
            return java.nio.file.Path.of(path.trim());
        }
        catch (java.nio.file.InvalidPathException ex) {
            throw new AsyncIoConfigurationException(prefix + ".unix-socket-path", path,
                    "is not a valid path: " + ex.getMessage(), "Set it to the socket file's path.", ex);
        }
    }

    /** Builds the handle's TLS from its Spring Boot SSL bundle, or returns {@code null} for plain TCP. */
    private static @Nullable TlsOptions tls(String prefix, AsyncIoProperties.Tls props, ListableBeanFactory beanFactory) {
        String bundleName = props.getBundle();
        if (bundleName == null || bundleName.isBlank()) {
            return null;
        }
        SslBundles bundles = beanFactory.getBeanProvider(SslBundles.class).getIfAvailable();
        if (bundles == null) {
            throw new AsyncIoConfigurationException(prefix + ".bundle", bundleName,
                    "needs Spring Boot's SSL bundles, but the context has no SslBundles bean",
                    "Keep SslAutoConfiguration enabled, or remove " + prefix + ".bundle.");
        }
        SslBundle bundle;
        try {
            bundle = bundles.getBundle(bundleName);
        } catch (NoSuchSslBundleException e) {
            throw new AsyncIoConfigurationException(prefix + ".bundle", bundleName,
                    "names no SSL bundle", "Define it under spring.ssl.bundle.jks." + bundleName
                            + " or spring.ssl.bundle.pem." + bundleName + ", or fix the name.");
        }
        Duration handshakeTimeout = positiveOrUnset(prefix + ".handshake-timeout", props.getHandshakeTimeout());
        SSLContext context;
        try {
            context = bundle.createSslContext();
        } catch (RuntimeException e) {
            throw new AsyncIoConfigurationException(prefix + ".bundle", bundleName,
                    "cannot make a TLS context: " + e.getMessage(),
                    "Check the key store, key alias and passwords of SSL bundle '" + bundleName + "'.");
        }
        SslOptions sslOptions = bundle.getOptions();
        return TlsOptions.builder()
            .context(context)
            .handshakeTimeout(handshakeTimeout)
            .parametersConfigurer(params -> {
                if (sslOptions.getEnabledProtocols() != null) {
                    params.setProtocols(sslOptions.getEnabledProtocols());
                }
                if (sslOptions.getCiphers() != null) {
                    params.setCipherSuites(sslOptions.getCiphers());
                }
            })
            .build();
    }

    private static String checkPort(String property, @Nullable String port) {
        if (port == null || port.isBlank()) {
            throw new AsyncIoConfigurationException(property, null, "is not set",
                    "Set " + property + " to a port number (0 for an ephemeral port) or a service name.");
        }
        String value = port.trim();
        if (value.chars().allMatch(Character::isDigit)) {
            long number = (value.length() > 6) ? Long.MAX_VALUE : Long.parseLong(value);
            if (number > 65535) {
                throw new AsyncIoConfigurationException(property, port, "is out of range: a port is 0 to 65535",
                        "Set " + property + " to a port from 0 (ephemeral) to 65535.");
            }
            return value;
        }
        if (!SERVICE_NAME.matcher(value).matches()) {
            throw new AsyncIoConfigurationException(property, port,
                    "is neither a port number from 0 to 65535 nor a service name",
                    "Set " + property + " to a port number (0 for an ephemeral port) or a service name such as http.");
        }
        return value;
    }

    private static ConnectionFunction connectionFunction(String handleName, String prefix, @Nullable String beanName,
            ListableBeanFactory beanFactory) {
        String property = prefix + ".connection-function";
        if (beanName != null && !beanName.isBlank()) {
            if (!beanFactory.containsBean(beanName)) {
                throw new AsyncIoConfigurationException(property, beanName, "names no bean",
                        "Declare a bean of type " + ConnectionFunction.class.getName() + " named '" + beanName
                                + "', or correct " + property + ".");
            }
            // Check the type before instantiating: the name may even be a handle bean, still in creation.
            Class<?> type = beanFactory.getType(beanName, false);
            Object bean = (type == null || ConnectionFunction.class.isAssignableFrom(type))
                    ? beanFactory.getBean(beanName) : null;
            if (!(bean instanceof ConnectionFunction function)) {
                String actual = (bean != null) ? bean.getClass().getName() : String.valueOf(type.getName());
                throw new AsyncIoConfigurationException(property, beanName,
                        "names a bean of type " + actual + ", which is not a " + ConnectionFunction.class.getName(),
                        "Point " + property + " at a bean that implements " + ConnectionFunction.class.getName()
                                + ".");
            }
            return function;
        }
        if (beanFactory.containsBean(handleName)
                && beanFactory.isTypeMatch(handleName, ConnectionFunction.class)) {
            return beanFactory.getBean(handleName, ConnectionFunction.class);
        }
        String[] candidates = beanFactory.getBeanNamesForType(ConnectionFunction.class);
        if (candidates.length == 1) {
            return beanFactory.getBean(candidates[0], ConnectionFunction.class);
        }
        throw new AsyncIoConfigurationException(property, null,
                "is not set, there is no " + ConnectionFunction.class.getSimpleName() + " bean named '" + handleName
                        + "'" + ((candidates.length == 0) ? " and no other one"
                                : " and several others to choose from: " + Arrays.toString(candidates)),
                "Declare a " + ConnectionFunction.class.getName() + " bean and set " + property + " to its name.");
    }

    private static void positive(String property, int value) {
        if (value <= 0) {
            throw new AsyncIoConfigurationException(property, value, "must be positive",
                    "Set " + property + " to a number above 0.");
        }
    }

    private static void notNegative(String property, int value) {
        if (value < 0) {
            throw new AsyncIoConfigurationException(property, value, "must not be negative",
                    "Set " + property + " to 0 or more.");
        }
    }

    private static Duration notNegative(String property, @Nullable Duration value) {
        if (value == null) {
            return Duration.ZERO;
        }
        if (value.isNegative()) {
            throw new AsyncIoConfigurationException(property, value, "must not be negative",
                    "Set " + property + " to 0s or more.");
        }
        return value;
    }

    private static @Nullable Duration positiveOrUnset(String property, @Nullable Duration value) {
        if (value != null && (value.isNegative() || value.isZero())) {
            throw new AsyncIoConfigurationException(property, value, "must be positive",
                    "Set " + property + " to a positive duration, or remove it for no timeout.");
        }
        return value;
    }

    private static int intSize(String property, @Nullable DataSize size) {
        if (size == null || size.toBytes() <= 0 || size.toBytes() > Integer.MAX_VALUE) {
            throw new AsyncIoConfigurationException(property, size, "must be from 1B to 2GB",
                    "Set " + property + " to a positive size such as 64KB.");
        }
        return (int) size.toBytes();
    }
}
