package dev.asyncio.core;

/**
 * The (handle, channel) function an accepting handle with {@code createState=false} calls for every accepted connection.
 *
 * <p>Runs on the collection's loop thread; keep it short and never block in it. An exception it throws goes to the
 * collection's {@link CallbackErrorPolicy}; it never ends the loop.
 *
 * <p>LispWorks: the {@code connection-function} of {@code accept-tcp-connections-creating-async-io-states} with {@code :create-state nil}.
 */
@FunctionalInterface
public interface RawConnectionFunction {
    /**
     * Called on the loop thread.
     *
     * @param handle the accepting handle that accepted the connection
     * @param channel the accepted socket, in blocking mode and owned by the function from now on
     */
    void connected(AcceptingHandle handle, java.nio.channels.SocketChannel channel);
}
