package dev.asyncio.spring;

import java.util.Objects;

import dev.asyncio.core.AcceptOptions;
import dev.asyncio.core.ConnectionFunction;
import org.jspecify.annotations.Nullable;

/**
 * Everything an {@link AsyncIoRegistry} needs to bind (and re-bind) an accepting handle.
 *
 * @param name the handle's name: its bean name, metrics tag and endpoint path segment
 * @param collection the name of the collection the handle runs in
 * @param service the port or service name to listen on; {@code null} or {@code "0"} = an ephemeral port
 * @param connectionFunction called on the collection's loop thread for each accepted connection
 * @param options how to listen (address, backlog, socket options, state options); its handle name is replaced by
 * {@code name}
 * @param propertyPrefix the property prefix the handle was configured under (e.g. {@code async-io.handles.echo}),
 * used in failure messages; {@code null} for a handle declared in code
 * @param unixSocketPath the Unix domain socket to listen on instead of {@code service}, or {@code null} for TCP
 */
public record HandleDefinition(String name, String collection, @Nullable String service,
        ConnectionFunction connectionFunction, AcceptOptions options, @Nullable String propertyPrefix,
        java.nio.file.@Nullable Path unixSocketPath) {

    /**
     * A TCP handle: the definition without a Unix domain socket path.
     * @param name the handle's name
     * @param collection the collection's name
     * @param service the port or service name
     * @param connectionFunction the connection function
     * @param options how to listen
     * @param propertyPrefix the property prefix, or {@code null}
     */
    public HandleDefinition(String name, String collection, @Nullable String service,
            ConnectionFunction connectionFunction, AcceptOptions options, @Nullable String propertyPrefix) {
        this(name, collection, service, connectionFunction, options, propertyPrefix, null);
    }

    /**
     * Checks the arguments.
     * @throws NullPointerException if a required component is {@code null}
     * @throws IllegalArgumentException if the name or collection is blank
     */
    public HandleDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(collection, "collection");
        Objects.requireNonNull(connectionFunction, "connectionFunction");
        Objects.requireNonNull(options, "options");
        if (name.isBlank()) {
            throw new IllegalArgumentException("handle name must not be blank");
        }
        if (collection.isBlank()) {
            throw new IllegalArgumentException("collection name must not be blank");
        }
    }

    /**
     * A handle declared in code, listening on {@code port} in the {@code default} collection.
     * @param name the handle's name
     * @param port the port, 0 = ephemeral
     * @param connectionFunction the connection function
     * @return the definition
     */
    public static HandleDefinition of(String name, int port, ConnectionFunction connectionFunction) {
        return new HandleDefinition(name, AsyncIoRegistry.DEFAULT_COLLECTION, Integer.toString(port),
                connectionFunction, AcceptOptions.DEFAULTS, null);
    }
}
