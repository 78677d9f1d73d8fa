package dev.asyncio.spring.observation;

import java.net.InetSocketAddress;

import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/**
 * What an {@code asyncio.connection} observation knows of its connection: the handle and collection it belongs to,
 * the peer, and — once closed — how it ended. Written on the connection's loop thread.
 */
public class ConnectionObservationContext extends Observation.Context {

    private final String handle;

    private final String collection;

    private final @Nullable InetSocketAddress peer;

    private volatile String outcome = "unknown";

    /**
     * @param handle the handle's name
     * @param collection the collection's name
     * @param peer the peer's address, {@code null} if unknown
     */
    public ConnectionObservationContext(String handle, String collection, @Nullable InetSocketAddress peer) {
        this.handle = handle;
        this.collection = collection;
        this.peer = peer;
    }

    /** @return the handle's name */
    public String getHandle() {
        return this.handle;
    }

    /** @return the collection's name */
    public String getCollection() {
        return this.collection;
    }

    /** @return the peer's address, {@code null} if unknown */
    public @Nullable InetSocketAddress getPeer() {
        return this.peer;
    }

    /** @return {@code ok}, {@code timeout} or {@code error} once closed; {@code unknown} while open */
    public String getOutcome() {
        return this.outcome;
    }

    /** @param outcome how the connection ended */
    public void setOutcome(String outcome) {
        this.outcome = outcome;
    }
}
