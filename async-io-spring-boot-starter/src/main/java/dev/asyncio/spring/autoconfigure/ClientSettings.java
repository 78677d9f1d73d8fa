package dev.asyncio.spring.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import dev.asyncio.core.Framing;
import dev.asyncio.core.TlsOptions;
import dev.asyncio.spring.AsyncIoConfigurationException;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.ssl.SslBundles;

/**
 * One client of {@code async-io.clients.<name>.*}, every value checked: the addresses parse, the durations are
 * positive and in order, the collection exists, the SSL bundle and the framing are usable. The first broken rule
 * throws an {@link AsyncIoConfigurationException} naming the property — start-up fails, as for a handle. Immutable.
 *
 * @param name the client's name (bean name, metrics tag, actuator path segment)
 * @param prefix its property prefix, {@code async-io.clients.<name>}
 * @param addresses its addresses, in the configured order
 * @param shuffle whether the addresses are shuffled (address-order shuffle)
 * @param connectTimeout the connect timeout
 * @param mode the connection mode
 * @param requestTimeout how long a request waits for its reply, {@code null} for ever
 * @param collection the collection its connections run on
 * @param initialInterval the first reconnect wait
 * @param multiplier the reconnect wait's growth
 * @param maxInterval the longest reconnect wait
 * @param maxAttempts attempts in a row before giving up, 0 for no limit
 * @param jitter the reconnect wait's randomisation, 0 to 1
 * @param pool the pool settings (used in mode pool)
 * @param tls client TLS, {@code null} for plain TCP
 * @param framing the framing, {@code null} for none
 */
record ClientSettings(String name, String prefix, List<ClientAddressSpec> addresses, boolean shuffle,
        Duration connectTimeout, ClientProperties.Mode mode, @Nullable Duration requestTimeout, String collection,
        Duration initialInterval, double multiplier, Duration maxInterval, int maxAttempts, double jitter,
        PoolSettings pool, @Nullable TlsOptions tls, @Nullable Framing framing) {

    /** Client names become bean names, metric tags and URL path segments: keep them plain. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    /**
     * The pool of a client in mode pool, checked.
     *
     * @param maxConnections the most connections
     * @param maxPendingAcquires the most waiting acquires
     * @param acquireTimeout how long an acquire waits
     * @param idleTimeout how long a connection may stay unused, {@code null} for ever
     * @param maxLifetime how long a connection may live, {@code null} for ever
     * @param evictionInterval how often idle and expired connections are looked for
     * @param testOnAcquire whether a connection is checked before it is lent
     * @param maxPipelined requests pipelined per pooled connection
     */
    record PoolSettings(int maxConnections, int maxPendingAcquires, Duration acquireTimeout,
            @Nullable Duration idleTimeout, @Nullable Duration maxLifetime, Duration evictionInterval,
            boolean testOnAcquire, int maxPipelined) {
    }

    /** @return the property prefix of the client {@code name} */
    static String prefix(String name) {
        return AsyncIoProperties.PREFIX + ".clients." + name;
    }

    /**
     * @param name the client's name
     * @param props its properties
     * @param collections the collections a client may name
     * @param handles the enabled handles, which a {@code handle:NAME} address may name
     * @param bundles Boot's SSL bundles, {@code null} if the context has none
     * @return the checked settings
     * @throws AsyncIoConfigurationException naming the first property that breaks a rule
     */
    static ClientSettings of(String name, ClientProperties props, Set<String> collections, Set<String> handles,
            @Nullable SslBundles bundles) {
        String prefix = prefix(name);
        if (!NAME.matcher(name).matches()) {
            throw new AsyncIoConfigurationException(prefix, name,
                    "has an invalid client name: it must start with a letter or digit and contain only letters, "
                            + "digits, '.', '_' and '-'",
                    "Rename the client; its name becomes a bean name, a metrics tag and an actuator URL segment.");
        }
        List<ClientAddressSpec> addresses = addresses(prefix, props, handles);
        Duration connectTimeout = positive(prefix + ".connect-timeout", props.getConnectTimeout());
        Duration requestTimeout = notNegativeOrUnset(prefix + ".request-timeout", props.getRequestTimeout());
        String collection = collection(prefix, props.getCollection(), collections);
        ClientProperties.Reconnect reconnect = props.getReconnect();
        String r = prefix + ".reconnect";
        Duration initial = positive(r + ".initial-interval", reconnect.getInitialInterval());
        Duration max = positive(r + ".max-interval", reconnect.getMaxInterval());
        if (max.compareTo(initial) < 0) {
            throw new AsyncIoConfigurationException(r + ".max-interval", max,
                    "is shorter than " + r + ".initial-interval (" + initial + ")",
                    "Set " + r + ".max-interval to " + initial + " or more, or lower " + r + ".initial-interval.");
        }
        if (!(reconnect.getMultiplier() >= 1.0) || Double.isInfinite(reconnect.getMultiplier())) {
            throw new AsyncIoConfigurationException(r + ".multiplier", reconnect.getMultiplier(),
                    "must be 1 or more", "Set " + r + ".multiplier to 1 (a fixed interval) or more, e.g. 2.");
        }
        if (!(reconnect.getJitter() >= 0.0 && reconnect.getJitter() <= 1.0)) {
            throw new AsyncIoConfigurationException(r + ".jitter", reconnect.getJitter(), "must be from 0 to 1",
                    "Set " + r + ".jitter to a fraction such as 0.2 (+/- 20 %), or 0 for none.");
        }
        int maxAttempts = (reconnect.getMaxAttempts() != null) ? reconnect.getMaxAttempts() : 0;
        HandlePropertyChecks.notNegative(r + ".max-attempts", maxAttempts);
        TlsOptions tls = ClientTls.tls(name, prefix + ".tls", props.getTls(), bundles);
        Framing framing = FramingMapper.framing(prefix, props.getFraming());
        return new ClientSettings(name, prefix, addresses,
                props.getAddressOrder() == ClientProperties.AddressOrder.SHUFFLE, connectTimeout, props.getMode(),
                requestTimeout, collection, initial, reconnect.getMultiplier(), max, maxAttempts,
                reconnect.getJitter(), pool(prefix + ".pool", props.getPool()), tls, framing);
    }

    private static List<ClientAddressSpec> addresses(String prefix, ClientProperties props, Set<String> handles) {
        List<String> many = props.getAddresses();
        if (props.getAddress() != null && !many.isEmpty()) {
            throw new AsyncIoConfigurationException(prefix + ".addresses", String.join(",", many),
                    "is set together with " + prefix + ".address",
                    "Set either " + prefix + ".address (one address) or " + prefix + ".addresses (several).");
        }
        if (props.getAddress() != null) {
            return List.of(ClientAddressSpec.parse(prefix + ".address", props.getAddress(), handles));
        }
        if (many.isEmpty()) {
            throw new AsyncIoConfigurationException(prefix + ".address", null, "is not set",
                    "Set " + prefix + ".address to host:port, a Unix domain socket path or handle:NAME (or "
                            + prefix + ".addresses to several), or set " + prefix + ".enabled=false.");
        }
        List<ClientAddressSpec> addresses = new ArrayList<>();
        for (int i = 0; i < many.size(); i++) {
            addresses.add(ClientAddressSpec.parse(prefix + ".addresses[" + i + "]", many.get(i), handles));
        }
        return List.copyOf(addresses);
    }

    private static String collection(String prefix, @Nullable String collection, Set<String> collections) {
        if (collection == null) {
            return dev.asyncio.spring.AsyncIoRegistry.DEFAULT_COLLECTION;
        }
        if (!collections.contains(collection)) {
            throw new AsyncIoConfigurationException(prefix + ".collection", collection,
                    "names no collection (known: " + collections + ")",
                    "Configure it under async-io.collections." + collection + ", or use one of " + collections
                            + ".");
        }
        return collection;
    }

    private static PoolSettings pool(String p, ClientProperties.Pool pool) {
        HandlePropertyChecks.positive(p + ".max-connections", pool.getMaxConnections());
        HandlePropertyChecks.notNegative(p + ".max-pending-acquires", pool.getMaxPendingAcquires());
        HandlePropertyChecks.positive(p + ".max-pipelined", pool.getMaxPipelined());
        return new PoolSettings(pool.getMaxConnections(), pool.getMaxPendingAcquires(),
                positive(p + ".acquire-timeout", pool.getAcquireTimeout()),
                notNegativeOrUnset(p + ".idle-timeout", pool.getIdleTimeout()),
                notNegativeOrUnset(p + ".max-lifetime", pool.getMaxLifetime()),
                positive(p + ".eviction-interval", pool.getEvictionInterval()), pool.isTestOnAcquire(),
                pool.getMaxPipelined());
    }

    static Duration positive(String property, @Nullable Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new AsyncIoConfigurationException(property, value, "must be positive",
                    "Set " + property + " to a positive duration such as 1s.");
        }
        return value;
    }

    /** @return the duration, {@code null} for unset or 0 (no timeout) */
    static @Nullable Duration notNegativeOrUnset(String property, @Nullable Duration value) {
        if (value == null || value.isZero()) {
            return null;
        }
        if (value.isNegative()) {
            throw new AsyncIoConfigurationException(property, value, "must not be negative",
                    "Set " + property + " to a positive duration, or to 0 for no timeout.");
        }
        return value;
    }
}
