package dev.asyncio.core.internal.loop;

/**
 * Something with work for the loop's ready list: served after the tasks of an iteration, so a callback never runs
 * inside the call that started its operation, and all writes of one iteration leave in one system call.
 */
public interface Ready {
    /** Does the work that was marked ready; loop thread. */
    void processReady();

    /** Closes without callbacks: the loop's own code failed while serving it. */
    void closeSilently();
}
