package dev.asyncio.core;

import java.nio.channels.FileChannel;

/**
 * The {@code (state, file, count)} callback of {@link AsyncIoState#sendFile}.
 *
 * <p>Runs on the collection's loop thread; keep it short and never block in it. An exception it throws goes to the
 * collection's {@link CallbackErrorPolicy}. The state's {@link AsyncIoState#writeStatus()} says how the send ended;
 * the callback runs for every outcome, errors included. The state never closes the file.
 */
@FunctionalInterface
public interface FileSendCallback {
    /**
     * Called on the loop thread.
     *
     * @param state the state the send ran on
     * @param file the caller's file, handed back (its own position was never used or changed)
     * @param count the bytes of the file written
     */
    void call(AsyncIoState state, FileChannel file, long count);
}
