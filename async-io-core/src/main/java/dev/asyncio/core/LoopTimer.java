package dev.asyncio.core;

import dev.asyncio.core.internal.loop.LoopTimerTask;

/**
 * A timer on a collection's loop, made by {@link WaitStateCollection#schedule} or
 * {@link WaitStateCollection#scheduleAtFixedRate}: its action runs on the loop thread when it is due, and the
 * handle cancels it. Every method may be called from any thread, including from the timer's own action.
 *
 * <p>A cancelled timer is taken out of the loop's deadline queue (at once on the loop thread, by one queued task
 * from another thread), so thousands of cancelled timers cost the loop nothing. An action that throws goes to the
 * collection's {@link CallbackErrorPolicy}, like any callback; a fixed-rate timer keeps running after it.
 */
public final class LoopTimer {

    private final LoopTimerTask task;

    LoopTimer(LoopTimerTask task) {
        this.task = task;
    }

    /**
     * Cancels the timer: no run starts after this call returns (a run already under way on the loop thread
     * finishes). On the loop thread, the timer's own action included, that is exact; from another thread a cancel
     * that races with the start of a run may let that one run begin, as with {@code ScheduledFuture.cancel}
     * (nothing can stop a run the loop thread is entering without blocking the caller). Cancelling twice, or a
     * one-shot timer that already ran, does nothing.
     *
     * @return whether this call cancelled the timer
     */
    public boolean cancel() {
        return task.cancel();
    }

    /** @return whether the timer was cancelled */
    public boolean isCancelled() {
        return task.isCancelled();
    }

    /** @return whether the timer will not run again: it was cancelled, it was a one-shot timer that ran, or its collection closed */
    public boolean isDone() {
        return task.isDone();
    }

    @Override
    public String toString() {
        return "LoopTimer[" + (isCancelled() ? "cancelled" : isDone() ? "done" : "scheduled") + "]";
    }
}
