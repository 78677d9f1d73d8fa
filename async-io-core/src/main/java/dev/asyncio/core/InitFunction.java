package dev.asyncio.core;

/**
 * The (listening socket) function an accepting handle calls once it is bound, before it accepts.
 *
 * <p>Runs on the thread that called {@link WaitStateCollection#acceptTcpConnections}, right after the bind and
 * before the handle starts accepting. An {@code IOException} or runtime exception it throws fails that call.
 *
 * <p>LispWorks: the {@code :init-function} of {@code accept-tcp-connections-creating-async-io-states}.
 */
@FunctionalInterface
public interface InitFunction {
    /**
     * Called once, after the bind.
     *
     * @param socket the bound listening socket; query it only (e.g. its local address), never accept on it
     * @throws java.io.IOException to fail the handle's creation; the socket is closed and the exception rethrown
     */
    void bound(java.nio.channels.ServerSocketChannel socket) throws java.io.IOException;
}
