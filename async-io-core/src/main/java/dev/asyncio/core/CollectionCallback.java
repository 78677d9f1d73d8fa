package dev.asyncio.core;

/**
 * The (collection) callback of a handle's close.
 *
 * <p>Runs on the collection's loop thread; keep it short and never block in it. An exception it throws goes to the
 * collection's {@link CallbackErrorPolicy}; it never ends the loop.
 *
 * <p>LispWorks: the callback of {@code close-accepting-handle}.
 */
@FunctionalInterface
public interface CollectionCallback {
    /**
     * Called on the loop thread.
     *
     * @param collection the collection the handle belonged to
     */
    void call(WaitStateCollection collection);
}
