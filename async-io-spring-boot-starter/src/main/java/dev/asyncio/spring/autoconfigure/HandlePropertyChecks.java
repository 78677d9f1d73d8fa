package dev.asyncio.spring.autoconfigure;

import java.time.Duration;
import java.util.Collection;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.asyncio.spring.AsyncIoConfigurationException;
import org.jspecify.annotations.Nullable;

import org.springframework.util.unit.DataSize;

/**
 * The rules of single {@code async-io.*} values that binding alone does not check (a port in range, a positive
 * backlog, sizes that fit an int). Each check throws an {@link AsyncIoConfigurationException} naming the property
 * and saying what to set instead. Stateless; any thread.
 */
final class HandlePropertyChecks {

    /** Handle names become bean names, metric tags and URL path segments: keep them plain. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private static final Pattern SERVICE_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9._+-]*");

    private HandlePropertyChecks() {
    }

    static void handleName(String prefix, String name) {
        if (!NAME.matcher(name).matches()) {
            throw new AsyncIoConfigurationException(prefix, name,
                    "has an invalid handle name: it must start with a letter or digit and contain only letters, "
                            + "digits, '.', '_' and '-'",
                    "Rename the handle; its name becomes a bean name, a metrics tag and an actuator URL segment.");
        }
    }

    /**
     * @param tcpOnlySet the TCP-only properties of the handle that were set (dashed, without the prefix)
     * @return the Unix domain socket path, or {@code null} when not set (then the handle listens on TCP); a
     * relative path stays relative (to the working directory), as the system takes it
     * @throws AsyncIoConfigurationException if it is blank, not a path, longer than the system allows, or set
     * together with a port, an address or another TCP-only property
     */
    static java.nio.file.@Nullable Path unixSocketPath(String prefix, @Nullable String path, @Nullable String port,
            @Nullable String address, Collection<String> tcpOnlySet) {
        if (path == null) {
            return null;
        }
        String property = prefix + ".unix-socket-path";
        if (path.isBlank()) {
            throw new AsyncIoConfigurationException(property, path, "is blank",
                    "Set " + property + " to the socket file's path, or remove it to listen on TCP.");
        }
        if (port != null || address != null) {
            throw new AsyncIoConfigurationException(property, path, "is set together with "
                    + ((port != null) ? prefix + ".port" : prefix + ".address"),
                    "A handle listens on a Unix domain socket or on TCP: remove " + property + " or "
                            + ((port != null) ? prefix + ".port" : prefix + ".address") + ".");
        }
        if (!tcpOnlySet.isEmpty()) {
            // As port and address: an option that cannot apply fails start-up rather than being silently ignored.
            String others = tcpOnlySet.stream().map((name) -> prefix + "." + name).collect(Collectors.joining(", "));
            throw new AsyncIoConfigurationException(property, path, "is set together with " + others
                    + ", which only " + ((tcpOnlySet.size() == 1) ? "applies" : "apply") + " to TCP",
                    "Remove " + others + " (a Unix domain socket has no such option), or remove " + property
                            + " to listen on TCP.");
        }
        java.nio.file.Path parsed;
        try {
            parsed = java.nio.file.Path.of(path.trim());
        }
        catch (java.nio.file.InvalidPathException ex) {
            throw new AsyncIoConfigurationException(property, path, "is not a valid path: " + ex.getMessage(),
                    "Set " + property + " to the socket file's path.");
        }
        int bytes = UnixPathLimit.bytes(parsed);
        if (bytes > UnixPathLimit.MAX_BYTES) {
            throw new AsyncIoConfigurationException(property, path, "is " + bytes + " bytes long; a Unix domain "
                    + "socket path may have at most " + UnixPathLimit.MAX_BYTES + " here (" + UnixPathLimit.WHY + ")",
                    "Set " + property + " to a shorter path (a relative one is relative to the working directory).");
        }
        return parsed;
    }

    /** @return the trimmed port number or service name */
    static String port(String property, @Nullable String port) {
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

    static void positive(String property, int value) {
        if (value <= 0) {
            throw new AsyncIoConfigurationException(property, value, "must be positive",
                    "Set " + property + " to a number above 0.");
        }
    }

    static void notNegative(String property, int value) {
        if (value < 0) {
            throw new AsyncIoConfigurationException(property, value, "must not be negative",
                    "Set " + property + " to 0 or more.");
        }
    }

    /** @return the duration, {@link Duration#ZERO} when unset */
    static Duration notNegative(String property, @Nullable Duration value) {
        if (value == null) {
            return Duration.ZERO;
        }
        if (value.isNegative()) {
            throw new AsyncIoConfigurationException(property, value, "must not be negative",
                    "Set " + property + " to 0s or more.");
        }
        return value;
    }

    static @Nullable Duration positiveOrUnset(String property, @Nullable Duration value) {
        if (value != null && (value.isNegative() || value.isZero())) {
            throw new AsyncIoConfigurationException(property, value, "must be positive",
                    "Set " + property + " to a positive duration, or remove it for no timeout.");
        }
        return value;
    }

    static int intSize(String property, @Nullable DataSize size) {
        if (size == null || size.toBytes() <= 0 || size.toBytes() > Integer.MAX_VALUE) {
            throw new AsyncIoConfigurationException(property, size, "must be from 1B to 2GB",
                    "Set " + property + " to a positive size such as 64KB.");
        }
        return (int) size.toBytes();
    }
}
