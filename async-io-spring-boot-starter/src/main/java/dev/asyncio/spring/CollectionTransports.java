package dev.asyncio.spring;

import java.util.Map;
import java.util.Objects;

import dev.asyncio.core.TransportMode;
import dev.asyncio.core.WaitStateCollection;
import org.jspecify.annotations.Nullable;

/**
 * Which transport (NIO or the native epoll one) each collection a registry creates runs on: one mode for all, and
 * optional modes per configured collection name, each with the configuration property that set it, which is named
 * in the reason {@link WaitStateCollection#transport()} reports and in the error where native cannot run.
 *
 * @param mode the mode of every collection without one of its own; {@code null} for the process default (the
 *             system property {@code asyncio.transport})
 * @param origin what set {@code mode}, e.g. {@code "async-io.transport"}
 * @param perCollection modes by collection name
 * @param originPrefix the property prefix of a per-collection mode: origin = prefix + name + ".transport"
 */
public record CollectionTransports(@Nullable TransportMode mode, String origin, Map<String, TransportMode> perCollection,
        String originPrefix) {

    /** Every collection on the process default (the system property {@code asyncio.transport}). */
    public static final CollectionTransports PROCESS_DEFAULT = new CollectionTransports(null, "asyncio.transport",
            Map.of(), "");

    /**
     * @param mode the mode of every collection without one of its own, {@code null} for the process default
     * @param origin what set {@code mode}
     * @param perCollection modes by collection name
     * @param originPrefix the property prefix of a per-collection mode
     */
    public CollectionTransports {
        Objects.requireNonNull(origin, "origin");
        perCollection = Map.copyOf(perCollection);
        Objects.requireNonNull(originPrefix, "originPrefix");
    }

    /**
     * @param name a collection's name
     * @return the origin (property name) of that collection's mode, or {@code null} if it takes the process default
     */
    public @Nullable String originOf(String name) {
        if (this.perCollection.containsKey(name)) {
            return this.originPrefix + name + ".transport";
        }
        return (this.mode != null) ? this.origin : null;
    }

    /**
     * @param name a collection's name
     * @return its mode, or {@code null} for the process default
     */
    public @Nullable TransportMode modeOf(String name) {
        TransportMode own = this.perCollection.get(name);
        return (own != null) ? own : this.mode;
    }

    /**
     * Sets the transport of a collection about to be built.
     *
     * @param name the collection's name
     * @param builder its builder
     * @return the builder
     */
    WaitStateCollection.Builder apply(String name, WaitStateCollection.Builder builder) {
        TransportMode m = modeOf(name);
        String o = originOf(name);
        return (m == null || o == null) ? builder : builder.transport(m, o);
    }
}
