package dev.asyncio.core;

import java.nio.ByteBuffer;

/**
 * The {@code (state, buffer, count)} callback of the {@link ByteBuffer} operations: {@link AsyncIoState#readBuffer(
 * ByteBuffer, ByteBufferCallback)}, {@link AsyncIoState#readAvailable}, {@link AsyncIoState#writeBuffer(ByteBuffer,
 * ByteBufferCallback)} and {@link AsyncIoState#readWithCheckingView}.
 *
 * <p>Runs on the collection's loop thread; keep it short and never block in it. An exception it throws goes to the
 * collection's {@link CallbackErrorPolicy}; it never ends the loop. The state's read or write status says how the
 * operation ended: these operations call this callback for every outcome, errors included.
 */
@FunctionalInterface
public interface ByteBufferCallback {
    /**
     * Called on the loop thread.
     *
     * @param state the state the operation ran on
     * @param buffer the caller's buffer, handed back (its position advanced past the bytes read or written); for
     *               {@code readWithCheckingView}: a read-only view of the state's input, valid only during the call
     * @param count the bytes read or written (for {@code readWithCheckingView}: the undiscarded input, from the
     *              view's position 0)
     */
    void call(AsyncIoState state, ByteBuffer buffer, int count);
}
