package dev.asyncio.core.internal.memory;

import dev.asyncio.core.MemoryBudgetExceededException;
import dev.asyncio.core.internal.loop.EventLoop;

/**
 * What a memory budget may pause or shed for the bytes a {@link MemoryAccount} holds: a state, seen from below, so
 * that the budget never imports the engine. Loop thread of the holder's loop, except {@link #loop()}.
 */
public interface Holder {
    /** @return the loop the holder runs on; any thread */
    EventLoop loop();

    /** @return the name of the holder for log and exception messages (the state) */
    Object owner();

    /** @return whether the holder is still open */
    boolean isOpen();

    /** @return the account its bytes are charged to */
    MemoryAccount memory();

    /** Stops reading from the socket: the soft mark is crossed and this holder is among the biggest. */
    void pauseReads();

    /** Reads again: the budget is back under its low mark. */
    void resumeReads();

    /** @return the bytes queued for output */
    long queuedOutputBytes();

    /** @return the capacity of the input buffer */
    long inputBufferBytes();

    /**
     * Closes at once for the budget's hard mark: both directions fail with {@code cause}.
     *
     * @param cause what the callbacks and statuses report
     */
    void shed(MemoryBudgetExceededException cause);
}
