package dev.asyncio.core.internal.loop;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The one-driver rule of a wait-state-collection: at most one thread drives a collection at a time, whichever way it
 * drives it ({@code waitFor}/{@code callReady}, {@code loopProcessing}, or the thread of {@code createAndRun}).
 * LispWorks: "only one loop may run on a collection at a time", and a process becomes associated with a collection
 * when it calls {@code wait-for-wait-state-collection}.
 *
 * <p>A thread stops being the driver when it {@linkplain #release() releases} the claim (the collection does so when
 * {@code loopProcessing} returns, on {@code stopDriving}, and on close) or when it has ended: a dead driver holds
 * nothing, so a collection whose driver died can be driven again.
 *
 * <p>Thread-safe; a claim is one compare-and-set, so the loop's hot path never pays for it.
 */
public final class LoopDriverGuard {

    /** How a thread drives the collection: named in the refusal a second driver gets. */
    public enum Mode {
        /** {@code waitFor()} / {@code callReady()} on the caller's own loop. */
        WAIT_FOR("waitFor/callReady"),
        /** {@code loopProcessing()} on the calling thread. */
        LOOP_PROCESSING("loopProcessing"),
        /** The thread that {@code createAndRun} started. */
        CREATE_AND_RUN("createAndRun");

        private final String text;

        Mode(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    private record Claim(Thread thread, Mode mode) {
    }

    private final AtomicReference<Claim> claim = new AtomicReference<>();

    /**
     * Makes the calling thread the driver, or confirms it is already.
     *
     * @param owner the collection, named in the refusal
     * @param mode how the caller wants to drive it
     * @return true if the claim is new (the caller releases it when it stops driving), false if the calling thread
     *         was the driver already
     * @throws IllegalStateException naming the driving thread if another live thread drives the collection
     */
    public boolean claim(Object owner, Mode mode) {
        return claimFor(owner, Thread.currentThread(), mode);
    }

    /**
     * As {@link #claim(Object, Mode)} for {@code thread}, which need not be started yet (the thread of
     * {@code createAndRun} is claimed for before it starts, so that nobody can slip in between).
     *
     * @param owner the collection, named in the refusal
     * @param thread the thread that will drive
     * @param mode how it drives
     * @return true if the claim is new
     * @throws IllegalStateException naming the driving thread if another live thread drives the collection
     */
    public boolean claimFor(Object owner, Thread thread, Mode mode) {
        while (true) {
            Claim current = claim.get();
            if (current != null && current.thread == thread) {
                return false;
            }
            if (current != null && holds(current)) {
                throw new IllegalStateException(owner + " is driven by thread '" + current.thread.getName()
                        + "' (" + current.mode + "); " + mode + " on thread '" + thread.getName()
                        + "' is refused: one loop per collection (one driver per collection at a time)");
            }
            if (claim.compareAndSet(current, new Claim(thread, mode))) {
                return true;
            }
        }
    }

    /** Gives up the claim if the calling thread holds it; does nothing otherwise. */
    public void release() {
        Claim current = claim.get();
        if (current != null && current.thread == Thread.currentThread()) {
            claim.compareAndSet(current, null);
        }
    }

    /** Drops whatever claim there is (the collection closed: nobody drives it any more). */
    public void clear() {
        claim.set(null);
    }

    /** @return whether the calling thread is the driver */
    public boolean isDriver() {
        Claim current = claim.get();
        return current != null && current.thread == Thread.currentThread();
    }

    /** @return the driving thread, or {@code null} if nobody drives the collection (or its driver ended) */
    public Thread driver() {
        Claim current = claim.get();
        return current != null && holds(current) ? current.thread : null;
    }

    /** @return how the current driver drives, or {@code null} when nobody does */
    public Mode mode() {
        Claim current = claim.get();
        return current != null && holds(current) ? current.mode : null;
    }

    private static boolean holds(Claim c) {
        // An unstarted thread holds its claim (createAndRun claims before start); a terminated one does not.
        return c.thread.getState() != Thread.State.TERMINATED;
    }
}
