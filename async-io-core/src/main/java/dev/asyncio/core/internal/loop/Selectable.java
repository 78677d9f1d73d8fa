package dev.asyncio.core.internal.loop;

import java.nio.channels.SelectionKey;

/** What a selection key of a collection is attached to: a state or an accepting handle. Loop thread only. */
public interface Selectable {
    /** @param readyOps the key's ready operations */
    void ready(int readyOps);

    /** @param key the key the channel got from a rebuilt selector */
    void rekey(SelectionKey key);

    /** Closes the channel without callbacks: the collection is closing or closing all its states. */
    void closeSilently();
}
