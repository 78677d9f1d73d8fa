package dev.asyncio.core;

import org.jspecify.annotations.Nullable;

/**
 * The (state, failure) callback of a shutdown: {@code failure} is {@code null} on success.
 *
 * <p>Runs on the collection's loop thread; keep it short and never block in it. An exception it throws goes to the
 * collection's {@link CallbackErrorPolicy}; it never ends the loop.
 *
 * <p>LispWorks: the callback of {@code async-io-state-shutdown}.
 */
@FunctionalInterface
public interface ShutdownCallback {
    /**
     * Called on the loop thread.
     *
     * @param state the state that was shut down
     * @param failure {@code null} on success, else the exception the system raised
     */
    void call(AsyncIoState state, @Nullable Throwable failure);
}
