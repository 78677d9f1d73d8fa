package dev.asyncio.core.internal.memory;

import dev.asyncio.core.internal.LogLimiter;
import dev.asyncio.core.internal.Loggers;
import dev.asyncio.core.internal.loop.EventLoop;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Decides, for one budget and from one view of every state that shares it, which states the soft mark pauses and
 * which the hard mark sheds: the biggest holders over {@link MemoryAccount#FLOOR} across all collections, never a
 * state below it, never a state that is not enrolled (an unconnected UDP socket; listening sockets hold nothing).
 * A collection's {@link Shedder} then carries the decision out on its own loop thread.
 *
 * <p>A decision runs on the thread whose charge crossed a mark (one at a time; a request made meanwhile runs right
 * after), reads each enrolled account's bytes twice and sorts only the biggest bucket(s): it is linear in the enrolled
 * states and runs once per crossing, or again when usage grew by another step (1/64 of the soft mark, at least the
 * floor) while over a mark. States picked for shedding are marked until their loop has closed them, and their bytes
 * counted as leaving, so that a second decision before then neither picks them again nor sheds more than needed.
 */
final class ShedPlanner {

    private static final int SHED = 1;
    private static final int PAUSE = 2;
    private static final LogLimiter FAILURE_LOG = new LogLimiter(Loggers.LOOP, 10);

    private final BudgetCore budget;
    private final long step;
    /** The enrolled accounts that reached the floor: the only ones a decision may pick (Victims skip the rest). */
    private final Set<MemoryAccount> holders = ConcurrentHashMap.newKeySet();
    private final AtomicInteger enrolled = new AtomicInteger();
    private final CopyOnWriteArrayList<Shedder> shedders = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicBoolean deciding = new AtomicBoolean();
    /** Bytes of states picked for shedding whose loop has not closed them yet. */
    private final AtomicLong leaving = new AtomicLong();
    private volatile long nextShedAt = Long.MAX_VALUE;
    private volatile long nextPauseAt = Long.MAX_VALUE;

    /** @param budget the budget it decides for */
    ShedPlanner(BudgetCore budget) {
        this.budget = budget;
        this.step = Math.max(MemoryAccount.FLOOR, budget.softLimit() / 64);
    }

    /** Counts a sheddable account; it joins {@link #holders} only once it reaches the floor ({@link #list}). */
    void enrol(MemoryAccount account) {
        enrolled.incrementAndGet();
    }

    void withdraw(MemoryAccount account) {
        enrolled.decrementAndGet();
    }

    /** An enrolled account reached {@link MemoryAccount#FLOOR}: it may be picked from now on. */
    void list(MemoryAccount account) {
        holders.add(account);
    }

    void unlist(MemoryAccount account) {
        holders.remove(account);
    }

    /** @return the enrolled accounts now */
    int enrolled() {
        return enrolled.get();
    }

    /** @return the accounts a decision picks from now: enrolled ones that reached the floor */
    int listed() {
        return holders.size();
    }

    void addShedder(Shedder shedder) {
        shedders.add(shedder);
    }

    void removeShedder(Shedder shedder) {
        shedders.remove(shedder);
    }

    /** Usage rose over the hard mark. */
    void overHardMark() {
        request(SHED | PAUSE);
    }

    /** Usage rose over the soft mark. */
    void overSoftMark() {
        request(PAUSE);
    }

    /**
     * Usage grew while already over a mark: decide again once it has grown by a step since the last decision, so
     * that holders that grew since are caught too, at a bounded cost.
     *
     * @param used bytes charged now
     * @param overHard whether over the hard mark
     */
    void grew(long used, boolean overHard) {
        if (overHard && used >= nextShedAt) {
            request(SHED | PAUSE);
        } else if (used >= nextPauseAt) {
            request(PAUSE);
        }
    }

    /** Usage fell under the resume mark: every collection resumes what it paused. */
    void relieved() {
        nextPauseAt = Long.MAX_VALUE;
        nextShedAt = Long.MAX_VALUE;
        shedders.forEach(Shedder::resumeAll);
    }

    private void request(int what) {
        requests.getAndUpdate(r -> r | what);
        while (requests.get() != 0 && deciding.compareAndSet(false, true)) {
            try {
                int r = requests.getAndSet(0);
                if ((r & SHED) != 0) {
                    decideShed();
                }
                if ((r & PAUSE) != 0) {
                    decidePause();
                }
            } catch (RuntimeException | OutOfMemoryError e) {
                // Runs inside a charge: never fail the read or write that crossed the mark. The next crossing or
                // step decides again.
                FAILURE_LOG.log(Level.WARNING, () -> "Memory budget '" + budget.name() + "': deciding what to shed "
                        + "failed", e);
            } finally {
                deciding.set(false);
            }
        }
    }

    private void decideShed() {
        long used = budget.used();
        nextShedAt = used + step;
        if (used <= budget.hardLimit()) {
            return;
        }
        long need = used - leaving.get() - budget.shedTarget();
        List<Victims.Pick> picks = Victims.biggest(holders, MemoryAccount.FLOOR, need, a -> !a.doomed);
        for (Victims.Pick p : picks) {
            p.account().doomed = true;
            leaving.addAndGet(p.held());
        }
        dispatch(picks, true);
    }

    private void decidePause() {
        long used = budget.used();
        nextPauseAt = used + step;
        if (used <= budget.softLimit()) {
            return;
        }
        long total = Victims.total(holders, MemoryAccount.FLOOR, a -> !a.doomed);
        long paused = Victims.total(holders, MemoryAccount.FLOOR, a -> !a.doomed && a.paused);
        // As before, but over the whole budget: pause the biggest holders that together hold half of it.
        long need = (total + 1) / 2 - paused;
        dispatch(Victims.biggest(holders, MemoryAccount.FLOOR, need, a -> !a.doomed && !a.paused), false);
    }

    /** Hands each collection its share of the picks: one loop task per collection, not per state. */
    private void dispatch(List<Victims.Pick> picks, boolean shed) {
        if (picks.isEmpty()) {
            return;
        }
        Map<Shedder, List<Victims.Pick>> byLoop = new IdentityHashMap<>();
        List<Victims.Pick> orphans = new ArrayList<>();
        for (Victims.Pick p : picks) {
            Holder s = p.account().holder();
            Shedder shedder = s == null ? null : shedderOf(s.loop());
            if (shedder == null) {
                orphans.add(p);
            } else {
                byLoop.computeIfAbsent(shedder, k -> new ArrayList<>()).add(p);
            }
        }
        long epoch = budget.epoch();
        byLoop.forEach((shedder, share) -> {
            boolean queued = shed ? shedder.shed(share) : shedder.pause(share, epoch);
            if (!queued) {
                orphans.addAll(share);
            }
        });
        if (shed) {
            // A closing collection closes these states itself.
            orphans.forEach(this::shedDone);
        }
    }

    private Shedder shedderOf(EventLoop loop) {
        for (Shedder s : shedders) {
            if (s.loop() == loop) {
                return s;
            }
        }
        return null;
    }

    /** @param pick a pick for shedding whose loop has closed it, or found it closed or small; any thread */
    void shedDone(Victims.Pick pick) {
        leaving.addAndGet(-pick.held());
        pick.account().doomed = false;
    }

    /** A loop has carried out its share of a shedding decision: if usage is still over the mark, decide again. */
    void shedRan() {
        if (leaving.get() == 0 && budget.used() > budget.hardLimit()) {
            request(SHED);
        }
    }
}
