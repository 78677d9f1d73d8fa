package dev.asyncio.core;

/**
 * The (state) callback: wait-for-input, send-message, detach-tls, close callbacks and writability changes.
 *
 * <p>Runs on the collection's loop thread; keep it short and never block in it. An exception it throws goes to the
 * collection's {@link CallbackErrorPolicy}; it never ends the loop.
 *
 * <p>LispWorks: the one-argument callbacks ({@code async-io-state-wait-for-input}, {@code :close-callback}).
 */
@FunctionalInterface
public interface StateCallback {
    /**
     * Called on the loop thread.
     *
     * @param state the state concerned
     */
    void call(AsyncIoState state);
}
