package dev.asyncio.core;

/**
 * Told that a state has been idle in one direction for its period: see
 * {@link AsyncIoState#detectIdle(IdleOptions, IdleCallback)}. The counterpart of Netty's
 * {@code userEventTriggered(ctx, IdleStateEvent)}.
 *
 * <p>Runs on the collection's loop thread; keep it short and never block in it. It may close the state, write to
 * it (a heartbeat), or stop or replace the detection. An exception it throws goes to the collection's
 * {@link CallbackErrorPolicy}, as from any callback, and never ends the loop; the detection goes on (unless the
 * policy closes the state). Beyond LispWorks.
 */
@FunctionalInterface
public interface IdleCallback {
    /**
     * Called on the loop thread when {@code kind}'s period has passed without activity in that direction, and again
     * after every further full period without it.
     *
     * @param state the idle state
     * @param kind which direction was idle
     * @param count how many periods in a row this direction has now been idle: 1 the first time after activity
     *        (Netty's {@code IdleStateEvent.isFirst()}), 2 one period later, and so on
     */
    void idle(AsyncIoState state, IdleKind kind, int count);
}
