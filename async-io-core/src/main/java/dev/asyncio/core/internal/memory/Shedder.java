package dev.asyncio.core.internal.memory;

import dev.asyncio.core.MemoryBudgetExceededException;
import dev.asyncio.core.ShedReason;
import dev.asyncio.core.internal.LogLimiter;
import dev.asyncio.core.internal.Loggers;
import dev.asyncio.core.internal.loop.EventLoop;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One collection's hands for its budget's decisions ({@link ShedPlanner}): on the collection's own loop thread it
 * closes the states picked for shedding, pauses reads from the states picked at the soft mark, and once the budget
 * is relieved resumes every read it paused. Calls come from any thread and become loop tasks; each task checks its
 * states again, since a state may have closed or shrunk since it was picked.
 */
public final class Shedder {

    private final EventLoop loop;
    private final BudgetCore budget;
    private final AtomicBoolean resumeQueued = new AtomicBoolean();
    /** Loop thread only. */
    private final List<Holder> paused = new ArrayList<>();
    /** One per collection: a line of one collection must not hide another's. */
    private final LogLimiter shedLog = new LogLimiter(Loggers.LOOP, 10);

    /**
     * @param loop the collection's loop
     * @param budget the budget whose decisions it carries out; register it with {@link BudgetCore#addListener}
     */
    public Shedder(EventLoop loop, BudgetCore budget) {
        this.loop = loop;
        this.budget = budget;
    }

    EventLoop loop() {
        return loop;
    }

    /**
     * @param picks states of this collection to close, biggest first
     * @return whether the loop took the task (false: it is closing, and closes them itself)
     */
    boolean shed(List<Victims.Pick> picks) {
        return loop.submitIfOpen(() -> shedNow(picks));
    }

    /**
     * @param picks states of this collection to pause
     * @param epoch the budget's relief count when they were picked: a relief since then cancels the pause
     * @return whether the loop took the task
     */
    boolean pause(List<Victims.Pick> picks, long epoch) {
        return loop.submitIfOpen(() -> pauseNow(picks, epoch));
    }

    /** The budget fell under its resume mark: resume every read this collection paused; any thread. */
    void resumeAll() {
        if (resumeQueued.compareAndSet(false, true)) {
            if (!loop.submitIfOpen(() -> {
                resumeQueued.set(false);
                resumeNow();
            })) {
                resumeQueued.set(false);
            }
        }
    }

    private void shedNow(List<Victims.Pick> picks) {
        int closed = 0;
        int done = 0;
        try {
            for (Victims.Pick p : picks) {
                Holder s = p.account().holder();
                try {
                    // Other loops may have brought usage down meanwhile; a state may have closed or shrunk.
                    if (s != null && s.isOpen() && p.account().held() >= MemoryAccount.FLOOR
                            && budget.used() > budget.shedTarget()) {
                        shed(s);
                        closed++;
                    }
                } finally {
                    budget.planner().shedDone(p);
                    done++;
                }
            }
        } finally {
            // Whatever failed, no pick stays counted as leaving: later decisions would shed too little.
            for (int i = done; i < picks.size(); i++) {
                budget.planner().shedDone(picks.get(i));
            }
            int n = closed;
            if (n > 0) {
                shedLog.log(Level.WARNING, () -> loop + ": memory budget '" + budget.name() + "' over its hard mark; "
                        + "closed " + n + " of the biggest holders of the budget, " + budget.used()
                        + " bytes in use now", null);
            }
        }
        budget.planner().shedRan();
    }

    private void shed(Holder s) {
        long held = s.memory().held();
        ShedReason reason = reasonOf(s);
        budget.shed(reason);
        MemoryBudgetExceededException cause = new MemoryBudgetExceededException(s.owner() + " was closed by memory "
                + "budget '" + budget.name() + "' over its hard mark: it held " + held + " bytes, most of them "
                + reason + ", among the biggest holders of the budget", reason);
        s.shed(cause);
    }

    /** @return what most of a state's bytes are */
    static ShedReason reasonOf(Holder s) {
        long output = s.queuedOutputBytes();
        long input = s.inputBufferBytes();
        long tls = s.memory().held() - MemoryAccount.STATE_BYTES - output - input;
        if (tls > output && tls > input) {
            return ShedReason.TLS_BUFFERS;
        }
        return input > output ? ShedReason.BUFFERED_INPUT : ShedReason.QUEUED_OUTPUT;
    }

    private void pauseNow(List<Victims.Pick> picks, long epoch) {
        if (budget.epoch() != epoch) {
            // Relieved since the pick: the resume task ran (or runs) before this one would have mattered.
            return;
        }
        for (Victims.Pick p : picks) {
            Holder s = p.account().holder();
            if (s != null && s.isOpen() && !p.account().paused && p.account().held() >= MemoryAccount.FLOOR) {
                s.pauseReads();
                p.account().paused = true;
                paused.add(s);
            }
        }
    }

    private void resumeNow() {
        for (Holder s : paused) {
            s.memory().paused = false;
            if (s.isOpen()) {
                s.resumeReads();
            }
        }
        paused.clear();
    }
}
