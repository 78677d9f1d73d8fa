package dev.asyncio.spring.autoconfigure;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Set;

import dev.asyncio.spring.AsyncIoConfigurationException;
import org.jspecify.annotations.Nullable;

/**
 * One address of {@code async-io.clients.<name>.address(es)}, parsed and checked: {@code host:port},
 * {@code [v6-address]:port}, a Unix domain socket path ({@code /run/app.sock} or {@code unix:relative.sock}) or
 * {@code handle:NAME}, the bound port of an async-io handle of the same application (resolved when the client
 * connects, so that an ephemeral port in a test works). Immutable.
 *
 * @param kind which form it has
 * @param text the configured text, trimmed (what the endpoint and health show)
 * @param host the host of a TCP address, {@code null} otherwise
 * @param port the port of a TCP address, 0 otherwise
 * @param path the socket path of a Unix address, {@code null} otherwise
 * @param handle the handle name of a handle address, {@code null} otherwise
 */
record ClientAddressSpec(Kind kind, String text, @Nullable String host, int port, @Nullable Path path,
        @Nullable String handle) {

    /** The prefix of an address that names a handle of the same application. */
    static final String HANDLE_PREFIX = "handle:";

    /** The prefix of a Unix domain socket address given as a relative path. */
    static final String UNIX_PREFIX = "unix:";

    /** The forms of an address. */
    enum Kind {
        /** {@code host:port}. */
        TCP,
        /** A Unix domain socket path. */
        UNIX,
        /** {@code handle:NAME}. */
        HANDLE
    }

    /**
     * @param property the property that holds the value, e.g. {@code async-io.clients.kv.addresses[1]}
     * @param value the configured value
     * @param handles the names of the enabled handles, which {@code handle:NAME} may name
     * @return the parsed address
     * @throws AsyncIoConfigurationException naming {@code property} when the value has none of the forms
     */
    static ClientAddressSpec parse(String property, @Nullable String value, Set<String> handles) {
        if (value == null || value.isBlank()) {
            throw new AsyncIoConfigurationException(property, value, "is blank",
                    "Set " + property + " to host:port, a Unix domain socket path or handle:NAME.");
        }
        String text = value.trim();
        if (text.startsWith(HANDLE_PREFIX)) {
            String handle = text.substring(HANDLE_PREFIX.length()).trim();
            if (!handles.contains(handle)) {
                throw new AsyncIoConfigurationException(property, value,
                        "names no enabled async-io handle (handles: " + handles + ")",
                        "Set " + property + " to handle:NAME with NAME one of async-io.handles.*, or to host:port.");
            }
            return new ClientAddressSpec(Kind.HANDLE, text, null, 0, null, handle);
        }
        if (text.startsWith(UNIX_PREFIX) || text.startsWith("/")) {
            String path = text.startsWith(UNIX_PREFIX) ? text.substring(UNIX_PREFIX.length()) : text;
            return new ClientAddressSpec(Kind.UNIX, text, null, 0, unixPath(property, value, path), null);
        }
        return tcp(property, value, text);
    }

    private static Path unixPath(String property, String value, String path) {
        if (path.isBlank()) {
            throw new AsyncIoConfigurationException(property, value, "has no path after unix:",
                    "Set " + property + " to unix:PATH or an absolute socket path such as /run/app.sock.");
        }
        Path parsed;
        try {
            parsed = Path.of(path);
        }
        catch (InvalidPathException ex) {
            throw new AsyncIoConfigurationException(property, value, "is not a valid path: " + ex.getMessage(),
                    "Set " + property + " to the socket file's path.");
        }
        int bytes = UnixPathLimit.bytes(parsed);
        if (bytes > UnixPathLimit.MAX_BYTES) {
            throw new AsyncIoConfigurationException(property, value, "is " + bytes + " bytes long; a Unix domain "
                    + "socket path may have at most " + UnixPathLimit.MAX_BYTES + " here (" + UnixPathLimit.WHY + ")",
                    "Set " + property + " to a shorter path.");
        }
        return parsed;
    }

    private static ClientAddressSpec tcp(String property, String value, String text) {
        String host;
        String port;
        if (text.startsWith("[")) {
            int close = text.indexOf("]:");
            if (close < 0) {
                throw notHostPort(property, value, "an IPv6 address in brackets must be followed by :port");
            }
            host = text.substring(1, close);
            port = text.substring(close + 2);
        }
        else {
            int colon = text.lastIndexOf(':');
            if (colon < 0) {
                throw notHostPort(property, value, "it has no port");
            }
            if (text.indexOf(':') != colon) {
                throw notHostPort(property, value, "an IPv6 address goes in brackets, as in [::1]:6379");
            }
            host = text.substring(0, colon);
            port = text.substring(colon + 1);
        }
        if (host.isBlank() || host.chars().anyMatch(Character::isWhitespace)) {
            throw notHostPort(property, value, "it has no host");
        }
        return new ClientAddressSpec(Kind.TCP, text, host, port(property, value, port), null, null);
    }

    private static int port(String property, String value, String port) {
        if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(Character::isDigit)
                || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            throw notHostPort(property, value, "the port must be a number from 1 to 65535");
        }
        return Integer.parseInt(port);
    }

    private static AsyncIoConfigurationException notHostPort(String property, String value, String why) {
        return new AsyncIoConfigurationException(property, value,
                "must be host:port, [v6-address]:port, a Unix domain socket path or handle:NAME: " + why,
                "Set " + property + " to an address such as 127.0.0.1:6379, /run/app.sock or handle:kv.");
    }
}
