package dev.asyncio.core;

import org.jspecify.annotations.Nullable;

import java.net.InetSocketAddress;

/**
 * The (state, buffer, count, sender) callback of {@link AsyncIoState#receiveMessage(byte[], int, int, MessageCallback)}:
 * LispWorks' five-argument callback of {@code async-io-state-receive-message} with {@code :needs-address t}, where
 * the address and port come as one {@link InetSocketAddress}, usable as the target of
 * {@link AsyncIoState#sendMessageToAddress}.
 *
 * <p>Runs on the collection's loop thread; keep it short and never block in it. An exception it throws goes to the
 * collection's {@link CallbackErrorPolicy}; it never ends the loop.
 */
@FunctionalInterface
public interface MessageCallback {
    /**
     * Called on the loop thread.
     *
     * @param state the UDP state
     * @param buffer the buffer the datagram was received into
     * @param count the bytes of the datagram in the buffer (0 on timeout or error)
     * @param sender who sent it; {@code null} on timeout or error
     */
    void call(AsyncIoState state, byte[] buffer, int count, @Nullable InetSocketAddress sender);
}
