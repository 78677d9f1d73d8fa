package dev.asyncio.core;

import java.nio.ByteBuffer;

/**
 * The {@code (state, buffers, count)} callback of the gathering write {@link AsyncIoState#writeBuffers}.
 *
 * <p>Runs on the collection's loop thread; keep it short and never block in it. An exception it throws goes to the
 * collection's {@link CallbackErrorPolicy}. The state's {@link AsyncIoState#writeStatus()} says how the write
 * ended; the callback runs for every outcome, errors included.
 */
@FunctionalInterface
public interface BuffersCallback {
    /**
     * Called on the loop thread.
     *
     * @param state the state the write ran on
     * @param buffers the caller's array, handed back: every buffer's position is advanced past what was written,
     *                and the caller owns them again
     * @param count the bytes written, in all
     */
    void call(AsyncIoState state, ByteBuffer[] buffers, long count);
}
