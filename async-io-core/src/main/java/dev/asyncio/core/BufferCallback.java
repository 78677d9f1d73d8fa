package dev.asyncio.core;

import org.jspecify.annotations.Nullable;

/**
 * The (state, buffer, count) callback of read, write and read-with-checking operations, and of error callbacks and aborts.
 *
 * <p>Runs on the collection's loop thread; keep it short and never block in it. An exception it throws goes to the
 * collection's {@link CallbackErrorPolicy}; it never ends the loop.
 *
 * <p>LispWorks: the callback of {@code async-io-state-read-buffer}, {@code -write-buffer} and {@code -read-with-checking}.
 */
@FunctionalInterface
public interface BufferCallback {
    /**
     * Called on the loop thread.
     *
     * @param state the state the operation ran on
     * @param buffer the buffer the operation was given (for read-with-checking: the state's buffer, valid only during
     *               the call);
     *               {@code null} for the abort callback of an operation that had no array (wait-for-input, a
     *               ByteBuffer read)
     * @param count the number of bytes read or written (for read-with-checking: the end of the undiscarded data)
     */
    void call(AsyncIoState state, byte @Nullable [] buffer, int count);
}
