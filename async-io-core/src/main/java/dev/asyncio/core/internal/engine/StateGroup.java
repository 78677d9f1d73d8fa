package dev.asyncio.core.internal.engine;

import dev.asyncio.core.AcceptingHandle;

/** The accepting handle a state came from: it lists its states, counts them and their traffic. */
public interface StateGroup {
    /** @param state a state that became live; the state's loop thread */
    void link(StateEngine state);

    /** @param state a state that closed; the state's loop thread */
    void unlink(StateEngine state);

    /** @return the handle's traffic counters */
    TrafficCounters counters();

    /** @return the public handle */
    AcceptingHandle handle();
}
