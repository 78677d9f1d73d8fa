package dev.asyncio.core.internal.loop;

/** Queued loop work that owns a resource (a socket on its way to a state) and must release it if never run. */
public interface Discardable extends Runnable {
    /** Called instead of {@link #run()} when the loop closed before running the task. */
    void discard();
}
