package dev.asyncio.core.client;

import org.jspecify.annotations.Nullable;

import java.nio.ByteBuffer;

/**
 * Receives the reply to one request of an {@link AsyncIoClient} or a {@link ClientConnection}: exactly once, either
 * the reply frame or the failure.
 *
 * <p>Runs on the client's loop thread; never block in it. An exception it throws goes to the collection's
 * {@link dev.asyncio.core.CallbackErrorPolicy} and does not disturb the other requests of the connection.
 */
@FunctionalInterface
public interface ReplyCallback {
    /**
     * Called on the loop thread, once.
     *
     * @param reply the reply's payload (framing removed) from its position to its limit: a read-only view of the
     *              connection's input, valid only during this call — copy what you keep, and never hand the view
     *              itself to a write; {@code null} when {@code failure} is set
     * @param failure why there is no reply; {@code null} on success
     */
    void reply(@Nullable ByteBuffer reply, @Nullable ClientException failure);
}
