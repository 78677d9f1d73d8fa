package dev.asyncio.spring;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import dev.asyncio.core.AcceptOptions;
import dev.asyncio.core.ConnectionFunction;
import org.jspecify.annotations.Nullable;

/**
 * Everything an {@link AsyncIoRegistry} needs to bind (and re-bind) an accepting handle.
 *
 * <p>Where the handle runs depends on {@code collection}:
 * <ul>
 * <li>a collection the registry knows ({@value AsyncIoRegistry#DEFAULT_COLLECTION} or a configured one): the handle
 * and its connections share that collection's loop with whatever else runs there; {@code loops} must be 1;</li>
 * <li>the handle's own {@code name}: a group of {@code loops} collections made for this handle alone, named
 * {@code <name>}, {@code <name>-2} … {@code <name>-<loops>}; the first accepts, and the connections are handed
 * round-robin to all of them ({@link AcceptOptions.Builder#spreadOver}), so that a storm on this handle does not
 * stall another and the handle uses {@code loops} cores.</li>
 * </ul>
 *
 * @param name the handle's name: its bean name, metrics tag and endpoint path segment
 * @param collection the name of the collection the handle accepts in: a shared one, or {@code name} for its own
 * @param service the port or service name to listen on; {@code null} or {@code "0"} = an ephemeral port
 * @param connectionFunction called on the collection's loop thread for each accepted connection
 * @param options how to listen (address, backlog, socket options, state options); its handle name is replaced by
 * {@code name}, and its {@code spreadOver} by the handle's own group when {@code loops > 1}
 * @param propertyPrefix the property prefix the handle was configured under (e.g. {@code async-io.handles.echo}),
 * used in failure messages; {@code null} for a handle declared in code
 * @param loops how many loops (collections, threads) serve the handle's connections, 1 or more; more than 1 only
 * with a collection of its own
 * @param unixSocketPath the Unix domain socket to listen on instead of {@code service}, or {@code null} for TCP
 */
public record HandleDefinition(String name, String collection, @Nullable String service,
        ConnectionFunction connectionFunction, AcceptOptions options, @Nullable String propertyPrefix, int loops,
        @Nullable Path unixSocketPath) {

    /**
     * Checks the arguments.
     * @throws NullPointerException if a required component is {@code null}
     * @throws IllegalArgumentException if the name or collection is blank, or {@code loops} is below 1
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
        if (loops < 1) {
            throw new IllegalArgumentException("loops must be at least 1, got " + loops);
        }
    }

    /**
     * A handle served by one loop: the collection {@code collection}.
     *
     * @param name the handle's name
     * @param collection the collection's name
     * @param service the port or service name
     * @param connectionFunction the connection function
     * @param options how to listen
     * @param propertyPrefix the property prefix, {@code null} for a handle declared in code
     */
    public HandleDefinition(String name, String collection, @Nullable String service,
            ConnectionFunction connectionFunction, AcceptOptions options, @Nullable String propertyPrefix) {
        this(name, collection, service, connectionFunction, options, propertyPrefix, 1, null);
    }

    /**
     * A TCP handle's definition with its loop count (as before Unix domain sockets).
     * @param name the handle's name
     * @param collection the collection's name
     * @param service the port or service name
     * @param connectionFunction the connection function
     * @param options how to listen
     * @param propertyPrefix the property prefix, or {@code null}
     * @param loops how many loops serve its connections
     */
    public HandleDefinition(String name, String collection, @Nullable String service,
            ConnectionFunction connectionFunction, AcceptOptions options, @Nullable String propertyPrefix, int loops) {
        this(name, collection, service, connectionFunction, options, propertyPrefix, loops, null);
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

    /** @return whether the handle runs in collections of its own ({@code collection} is its name) */
    public boolean ownsCollections() {
        return this.collection.equals(this.name);
    }

    /**
     * @param name a handle name
     * @param loops its loops
     * @return the names of the collections of a handle's own group: {@code name}, {@code name-2} … {@code name-loops}
     */
    public static List<String> groupNames(String name, int loops) {
        List<String> names = new ArrayList<>(loops);
        names.add(name);
        for (int i = 2; i <= loops; i++) {
            names.add(name + "-" + i);
        }
        return names;
    }

    /**
     * @param function another connection function
     * @param newOptions other options
     * @return this definition with them
     */
    public HandleDefinition with(ConnectionFunction function, AcceptOptions newOptions) {
        return new HandleDefinition(this.name, this.collection, this.service, function, newOptions,
                this.propertyPrefix, this.loops, this.unixSocketPath);
    }
}
