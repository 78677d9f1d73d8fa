package dev.asyncio.core;

import java.nio.ByteBuffer;

/**
 * Receives each whole frame a {@link FrameReader} reads: {@code callback(state, frame)}.
 *
 * <p>Runs on the collection's loop thread; keep it short and never block in it. An exception it throws goes to the
 * collection's {@link CallbackErrorPolicy} and ends the reader (the frames before it stay consumed).
 */
@FunctionalInterface
public interface FrameCallback {
    /**
     * Called on the loop thread, once per frame, in order.
     *
     * @param state the state the frame came from
     * @param frame a read-only view whose bytes from its position to its limit are the payload (header, delimiter or
     *              STX/ETX already removed); it points into the state's input without a copy, so it is valid only
     *              during this call: copy what you keep, and never hand the view itself to a write
     */
    void frame(AsyncIoState state, ByteBuffer frame);
}
