package dev.asyncio.core.internal.engine;

import dev.asyncio.core.internal.loop.DeadlineQueue;

/** A timeout of one state: if its handler fails, the state is closed and the loop goes on. */
abstract class StateTimer extends DeadlineQueue.Entry {
    private final StateEngine state;

    /** @param state the state the timer belongs to */
    protected StateTimer(StateEngine state) {
        this.state = state;
    }

    @Override
    protected final void expired(long now) {
        if (state.isOpen()) {
            fire(now);
        }
    }

    /**
     * The deadline passed and the state is open; loop thread.
     *
     * @param now the loop clock's time
     */
    protected abstract void fire(long now);

    @Override
    protected void expiryFailed(Throwable failure) {
        state.closeSilently();
    }
}
