package dev.asyncio.core;

import org.jspecify.annotations.Nullable;

/**
 * The (state, failure) callback of a connect or a TLS attach/handshake: {@code failure} is {@code null} on success.
 *
 * <p>Runs on the collection's loop thread; keep it short and never block in it. An exception it throws goes to the
 * collection's {@link CallbackErrorPolicy}; it never ends the loop.
 *
 * <p>LispWorks: the callback of {@code create-async-io-state-and-connected-tcp-socket} and {@code async-io-state-attach-ssl}.
 */
@FunctionalInterface
public interface ConnectCallback {
    /**
     * Called on the loop thread.
     *
     * @param state the new state
     * @param failure {@code null} on success, else why it failed (LispWorks' error-args list)
     */
    void call(AsyncIoState state, @Nullable Throwable failure);
}
