package dev.asyncio.core.internal.memory;

import dev.asyncio.core.IoStatus;
import dev.asyncio.core.MemoryBudgetExceededException;
import dev.asyncio.core.ShedReason;
import dev.asyncio.core.internal.LogLimiter;
import dev.asyncio.core.internal.Loggers;
import dev.asyncio.core.internal.loop.EventLoop;
import dev.asyncio.core.internal.loop.IntrusiveList;
import dev.asyncio.core.internal.state.StateEngine;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What one collection does when its memory budget crosses a mark, on its own loop thread: over the soft mark it
 * pauses reads from its biggest holders (those that together hold half of what its states hold), over the hard
 * mark it closes its biggest holders first until the budget is back under its shed target, and once relieved it
 * resumes every paused read. Notifications come from any thread and are folded into one loop task each.
 */
public final class Shedder implements PressureListener {

    private static final Comparator<StateEngine> BIGGEST_FIRST =
            Comparator.comparingLong((StateEngine s) -> s.memory().held()).reversed();

    private final EventLoop loop;
    private final IntrusiveList<StateEngine> states;
    private final BudgetCore budget;
    private final AtomicBoolean pauseQueued = new AtomicBoolean();
    private final AtomicBoolean shedQueued = new AtomicBoolean();
    private final AtomicBoolean resumeQueued = new AtomicBoolean();
    private final List<StateEngine> paused = new ArrayList<>();
    /** One per collection: a line of one collection must not hide another's. */
    private final LogLimiter shedLog = new LogLimiter(Loggers.LOOP, 10);

    /**
     * @param loop the collection's loop
     * @param states the collection's open states
     * @param budget the budget it watches
     */
    public Shedder(EventLoop loop, IntrusiveList<StateEngine> states, BudgetCore budget) {
        this.loop = loop;
        this.states = states;
        this.budget = budget;
    }

    @Override
    public void overSoftMark() {
        queue(pauseQueued, this::pauseBiggest);
    }

    @Override
    public void overHardMark() {
        queue(shedQueued, this::shedBiggest);
    }

    @Override
    public void relieved() {
        queue(resumeQueued, this::resumeAll);
    }

    private void queue(AtomicBoolean flag, Runnable work) {
        if (flag.compareAndSet(false, true)) {
            if (!loop.submitIfOpen(() -> {
                flag.set(false);
                work.run();
            })) {
                flag.set(false);
            }
        }
    }

    private List<StateEngine> biggestFirst() {
        List<StateEngine> all = states.toList(Integer.MAX_VALUE);
        all.sort(BIGGEST_FIRST);
        return all;
    }

    private void pauseBiggest() {
        if (budget.used() <= budget.softLimit()) {
            return;
        }
        List<StateEngine> all = biggestFirst();
        long total = 0;
        for (StateEngine s : all) {
            total += s.memory().held() - MemoryAccount.STATE_BYTES;
        }
        long pausedBytes = 0;
        for (StateEngine s : all) {
            if (pausedBytes * 2 >= total && !paused.isEmpty()) {
                break;
            }
            s.pauseReads();
            paused.add(s);
            pausedBytes += s.memory().held() - MemoryAccount.STATE_BYTES;
        }
    }

    private void shedBiggest() {
        long target = budget.shedTarget();
        if (budget.used() <= budget.hardLimit()) {
            return;
        }
        int closed = 0;
        for (StateEngine s : biggestFirst()) {
            if (budget.used() <= target) {
                break;
            }
            shed(s);
            closed++;
        }
        int n = closed;
        if (n > 0) {
            shedLog.log(Level.WARNING, () -> loop + ": memory budget '" + budget.name() + "' over its hard mark; closed "
                    + n + " of the biggest holders, " + budget.used() + " bytes in use now", null);
        }
        if (budget.used() > budget.softLimit()) {
            pauseBiggest();
        }
    }

    private void shed(StateEngine s) {
        long held = s.memory().held();
        ShedReason reason = reasonOf(s);
        budget.shed(reason);
        MemoryBudgetExceededException cause = new MemoryBudgetExceededException(s.owner() + " was closed by memory "
                + "budget '" + budget.name() + "' over its hard mark: it held " + held + " bytes, most of them "
                + reason, reason);
        s.readStatus(IoStatus.ERROR, cause);
        s.writeFailed(IoStatus.ERROR, cause);
        s.closeNow(false);
    }

    /** @return what most of a state's bytes are */
    static ShedReason reasonOf(StateEngine s) {
        long output = s.outbound().queuedBytes();
        long input = s.read().input().capacity();
        long tls = s.memory().held() - MemoryAccount.STATE_BYTES - output - input;
        if (tls > output && tls > input) {
            return ShedReason.TLS_BUFFERS;
        }
        return input > output ? ShedReason.BUFFERED_INPUT : ShedReason.QUEUED_OUTPUT;
    }

    private void resumeAll() {
        if (budget.used() > budget.softLimit()) {
            return;
        }
        for (StateEngine s : paused) {
            if (s.isOpen()) {
                s.resumeReads();
            }
        }
        paused.clear();
    }
}
