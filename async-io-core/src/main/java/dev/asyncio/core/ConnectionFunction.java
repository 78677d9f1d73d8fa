package dev.asyncio.core;

/**
 * The (handle, state) function an accepting handle calls for every accepted connection.
 *
 * <p>Runs on the collection's loop thread; keep it short and never block in it. An exception it throws goes to the
 * collection's {@link CallbackErrorPolicy}; it never ends the loop.
 *
 * <p>LispWorks: the {@code connection-function} of {@code accept-tcp-connections-creating-async-io-states}.
 */
@FunctionalInterface
public interface ConnectionFunction {
    /**
     * Called on the loop thread.
     *
     * @param handle the accepting handle that accepted the connection
     * @param state a new state for the connection, registered in the handle's collection
     */
    void connected(AcceptingHandle handle, AsyncIoState state);
}
