package dev.asyncio.core.client;

import org.jspecify.annotations.Nullable;

/**
 * Receives the connection an {@link AsyncIoClient#acquire(AcquireCallback)} asked for, or why there is none.
 *
 * <p>Runs on the client's loop thread; never block in it. Whoever gets a connection must
 * {@link ClientConnection#release() release} it (also when this callback throws: the client then releases it).
 */
@FunctionalInterface
public interface AcquireCallback {
    /**
     * Called on the loop thread, once.
     *
     * @param connection the connection, now the caller's; {@code null} when {@code failure} is set
     * @param failure why there is none; {@code null} on success
     */
    void acquired(@Nullable ClientConnection connection, @Nullable ClientException failure);
}
