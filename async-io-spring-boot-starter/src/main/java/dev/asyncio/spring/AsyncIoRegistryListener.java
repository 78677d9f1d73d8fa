package dev.asyncio.spring;

import dev.asyncio.core.WaitStateCollection;

/**
 * Learns which collections and handles an {@link AsyncIoRegistry} knows, e.g. to add and remove their meters.
 * Methods run on the thread that changed the registry (start-up, shutdown, an endpoint request); they must be quick
 * and must not call back into the registry's mutating methods.
 */
public interface AsyncIoRegistryListener {

    /**
     * A collection became known to the registry.
     * @param collection the collection
     */
    default void collectionAdded(WaitStateCollection collection) {
    }

    /**
     * A collection was closed for good.
     * @param collection the collection
     */
    default void collectionRemoved(WaitStateCollection collection) {
    }

    /**
     * A handle became known to the registry (it may not be bound yet).
     * @param handle the handle
     */
    default void handleAdded(ManagedAcceptingHandle handle) {
    }

    /**
     * A handle bound its port: when the context starts, when it is registered into a running context, or when it is
     * re-opened. {@link ManagedAcceptingHandle#localPort()} is known from now on. Runs on the thread that bound it.
     * @param handle the handle
     */
    default void handleBound(ManagedAcceptingHandle handle) {
    }

    /**
     * A handle was closed for good (context shutdown); it will not be re-opened.
     * @param handle the handle
     */
    default void handleRemoved(ManagedAcceptingHandle handle) {
    }
}
