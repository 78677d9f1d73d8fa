package dev.asyncio.core.client;

import org.jspecify.annotations.Nullable;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a client connects: a TCP host and port, or a Unix domain socket path. Immutable; equal by value.
 *
 * <p>{@link #parse(String)} reads {@code host:port}, {@code [ipv6]:port}, {@code unix:/path} or an absolute path
 * ({@code /run/app.sock}) — the forms {@code async-io.clients.<name>.address} accepts.
 */
public final class ClientAddress {
    private final @Nullable String host;
    private final int port;
    private final @Nullable Path path;

    private ClientAddress(@Nullable String host, int port, @Nullable Path path) {
        this.host = host;
        this.port = port;
        this.path = path;
    }

    /**
     * @param host a host name or literal address
     * @param port 1 to 65535
     * @return the TCP address
     * @throws IllegalArgumentException for an empty host or a port out of range
     */
    public static ClientAddress tcp(String host, int port) {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("a client address needs a host, got an empty one");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("a client address's port must be 1 to 65535, got " + port
                    + " (for " + host + ")");
        }
        return new ClientAddress(host, port, null);
    }

    /**
     * @param path the server's socket file
     * @return the Unix domain socket address
     */
    public static ClientAddress unix(Path path) {
        return new ClientAddress(null, 0, Objects.requireNonNull(path, "path"));
    }

    /**
     * Reads {@code host:port}, {@code [ipv6-literal]:port}, {@code unix:/path/to.sock} or an absolute path.
     *
     * @param address the text
     * @return the address
     * @throws IllegalArgumentException naming the expected forms when {@code address} is none of them
     */
    public static ClientAddress parse(String address) {
        Objects.requireNonNull(address, "address");
        String a = address.trim();
        if (a.startsWith("unix:")) {
            String p = a.substring(5);
            if (p.isEmpty()) {
                throw new IllegalArgumentException("'" + address + "': unix: needs a socket path, as unix:/run/app.sock");
            }
            return unix(Path.of(p));
        }
        if (a.startsWith("/")) {
            return unix(Path.of(a));
        }
        int colon = a.lastIndexOf(':');
        if (colon <= 0 || colon == a.length() - 1) {
            throw new IllegalArgumentException("'" + address + "' is not a client address: expected host:port, "
                    + "[ipv6]:port, unix:/path or an absolute socket path");
        }
        String host = a.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            throw new IllegalArgumentException("'" + address + "': an IPv6 address needs brackets, as [::1]:6379");
        }
        int port;
        try {
            port = Integer.parseInt(a.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + address + "': the port must be a number 1 to 65535", e);
        }
        return tcp(host, port);
    }

    /** @return whether this is a Unix domain socket path */
    public boolean isUnix() {
        return path != null;
    }

    /** @return the host; {@code null} for a Unix socket */
    public @Nullable String host() {
        return host;
    }

    /** @return the port; 0 for a Unix socket */
    public int port() {
        return port;
    }

    /** @return the socket path; {@code null} for TCP */
    public @Nullable Path path() {
        return path;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClientAddress c && port == c.port && Objects.equals(host, c.host)
                && Objects.equals(path, c.path);
    }

    @Override
    public int hashCode() {
        return Objects.hash(host, port, path);
    }

    /** @return {@code host:port}, {@code [ipv6]:port} or {@code unix:/path}, as {@link #parse} reads it */
    @Override
    public String toString() {
        if (path != null) {
            return "unix:" + path;
        }
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
