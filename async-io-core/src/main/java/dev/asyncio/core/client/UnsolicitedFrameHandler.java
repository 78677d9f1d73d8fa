package dev.asyncio.core.client;

import java.nio.ByteBuffer;

/**
 * Receives the frames a framed client reads that belong to no waiting request: the reply of a request that timed out
 * (under {@link RequestTimeoutAction#KEEP_CONNECTION}), or a frame the server sent when no request was in flight
 * (a push message; Spring Integration's unsolicited-message channel).
 *
 * <p>Runs on the client's loop thread; never block in it. An exception it throws goes to the collection's
 * {@link dev.asyncio.core.CallbackErrorPolicy}.
 */
@FunctionalInterface
public interface UnsolicitedFrameHandler {
    /**
     * Called on the loop thread.
     *
     * @param connection the connection it came on
     * @param frame the payload, a view valid only during this call
     * @param late {@code true} for the reply of a request that timed out, {@code false} for a frame with no request
     */
    void frame(ClientConnection connection, ByteBuffer frame, boolean late);
}
