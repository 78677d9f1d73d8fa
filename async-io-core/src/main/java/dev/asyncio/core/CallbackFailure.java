package dev.asyncio.core;

import org.jspecify.annotations.Nullable;

/**
 * A callback (or a function run with {@link WaitStateCollection#apply(Runnable)}) threw: what the
 * {@link CallbackErrorPolicy} gets to decide what happens next.
 *
 * @param collection the collection whose loop ran the callback
 * @param state the state whose callback failed, or {@code null} when the failure was not a state's callback
 *              (an applied function, a connection function with {@code createState=false}, a handle's close callback)
 * @param handle the accepting handle involved, or {@code null}
 * @param exception what the callback threw
 */
public record CallbackFailure(WaitStateCollection collection, @Nullable AsyncIoState state,
        @Nullable AcceptingHandle handle,
                              Throwable exception) {
}
