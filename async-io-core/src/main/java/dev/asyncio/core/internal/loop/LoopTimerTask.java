package dev.asyncio.core.internal.loop;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;

/**
 * A user timer on the loop's {@link DeadlineQueue}: one-shot or fixed-rate. {@link #scheduleFrom} and
 * {@link #cancel} may be called from any thread; the heap itself is touched on the loop thread only. A cancelled
 * timer leaves the heap (at once on the loop thread, by one queued task from another thread), so it costs nothing
 * afterwards and is never run.
 */
public final class LoopTimerTask extends DeadlineQueue.Entry {

    private static final int SCHEDULED = 0;
    private static final int DONE = 1;
    private static final int CANCELLED = 2;
    /** A fixed-rate timer's action runs: a cancel now lets it finish and keeps the next one from starting. */
    private static final int RUNNING = 3;
    private static final VarHandle STATUS;

    static {
        try {
            STATUS = MethodHandles.lookup().findVarHandle(LoopTimerTask.class, "status", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final EventLoop loop;
    private final Runnable action;
    private final long periodNanos;
    private final Consumer<Runnable> runner;
    private final long firstDeadline;
    @SuppressWarnings("unused")
    private volatile int status;
    /**
     * The last look before the action, after the error policy's bookkeeping: a cancel that landed since the run
     * was taken still stops it. Made once, so a run allocates nothing.
     */
    private final Runnable runIfNotCancelled;

    /**
     * @param loop the loop whose thread runs the action
     * @param delayNanos from now to the first run, 0 or more
     * @param periodNanos the fixed rate, or 0 for a one-shot timer
     * @param action what to run
     * @param runner runs the action under the collection's error policy
     */
    public LoopTimerTask(EventLoop loop, long delayNanos, long periodNanos, Runnable action,
                         Consumer<Runnable> runner) {
        this.loop = loop;
        this.action = action;
        this.runIfNotCancelled = () -> {
            if (status == RUNNING) {
                action.run();
            }
        };
        this.periodNanos = periodNanos;
        this.runner = runner;
        // Read on the caller's thread: the delay counts from the call, not from when the loop takes the task.
        this.firstDeadline = loop.clockNanos() + delayNanos;
    }

    /**
     * Puts the timer into the loop's queue; any thread.
     *
     * @return false if the loop was closed meanwhile (the timer will never run)
     */
    public boolean scheduleFrom() {
        if (loop.inLoopThread()) {
            addToHeap();
            return true;
        }
        return loop.submitIfOpen(this::addToHeap);
    }

    private void addToHeap() {
        if (status == SCHEDULED) {
            loop.deadlines().schedule(this, firstDeadline);
        }
    }

    /**
     * Cancels the timer; any thread. A run in progress finishes; no later run starts.
     *
     * @return whether this call cancelled it (false if it was cancelled already or a one-shot timer ran)
     */
    public boolean cancel() {
        for (int s; ; ) {
            s = status;
            if (s == DONE || s == CANCELLED) {
                return false;
            }
            // SCHEDULED or RUNNING; a fixed-rate run may end between the read and the CAS: look again.
            if (STATUS.compareAndSet(this, s, CANCELLED)) {
                break;
            }
        }
        if (loop.inLoopThread()) {
            loop.deadlines().cancel(this);
        } else {
            loop.submitIfOpen(() -> loop.deadlines().cancel(this));
        }
        return true;
    }

    /** @return whether {@link #cancel} succeeded */
    public boolean isCancelled() {
        return status == CANCELLED;
    }

    /** @return whether it will not run again: cancelled, a one-shot timer that ran, or its loop closed */
    public boolean isDone() {
        int s = status;
        return s == DONE || s == CANCELLED || loop.isClosed();
    }

    @Override
    protected void expired(long now) {
        // A compare-and-set, not a read: a cancel() on another thread between a check and the run would return
        // while a run it promised to prevent is about to start.
        if (periodNanos == 0) {
            if (STATUS.compareAndSet(this, SCHEDULED, DONE)) {
                runner.accept(action);
            }
            return;
        }
        if (!STATUS.compareAndSet(this, SCHEDULED, RUNNING)) {
            return;
        }
        // Fixed rate keeps its phase; runs missed while the loop was busy are skipped, not replayed in a burst.
        long next = deadline() + periodNanos;
        if (next - now <= 0) {
            next += ((now - next) / periodNanos + 1) * periodNanos;
        }
        try {
            runner.accept(runIfNotCancelled);
        } finally {
            // Cancelled during the run (by the action itself, or another thread): it is not put back.
            if (STATUS.compareAndSet(this, RUNNING, SCHEDULED)) {
                loop.deadlines().schedule(this, next);
            }
        }
    }
}
