package dev.asyncio.core.internal.loop;

/** What an {@link EventLoop} needs from the collection it runs: closing what it holds, reporting failed tasks. */
public interface LoopOwner {
    /** Closes every state and accepting handle without callbacks; loop thread, or no loop runs. */
    void closeAll();

    /**
     * A function queued to the loop threw; the owner applies its callback error policy.
     *
     * @param failure what it threw
     */
    void taskFailed(Throwable failure);
}
