package dev.asyncio.core.internal.memory;

import dev.asyncio.core.MemoryStatistics;
import dev.asyncio.core.ShedReason;
import dev.asyncio.core.internal.LogLimiter;
import dev.asyncio.core.internal.Loggers;

import java.lang.System.Logger.Level;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The engine's side of a memory budget: the bytes charged, the marks, where usage stands (normal, over the soft
 * mark, over the hard mark), the states it may pause or shed and the {@link ShedPlanner} that picks them when usage
 * crosses a mark. Charging is one atomic add; the marks are checked only when usage is above the soft mark. Any
 * thread.
 */
public final class BudgetCore {

    private static final int NORMAL = 0;
    private static final int SOFT = 1;
    private static final int HARD = 2;
    private static final LogLimiter PRESSURE_LOG = new LogLimiter(Loggers.LOOP, 10);

    private final String name;
    private final long soft;
    private final long hard;
    private final long resume;
    private final AtomicLong used = new AtomicLong();
    private final LongAdder charged = new LongAdder();
    private final AtomicInteger level = new AtomicInteger(NORMAL);
    private final AtomicLong softCrossings = new AtomicLong();
    private final AtomicLong hardCrossings = new AtomicLong();
    private final AtomicLong refusedWrites = new AtomicLong();
    private final Map<ShedReason, AtomicLong> shed = new EnumMap<>(ShedReason.class);
    private final ShedPlanner planner;
    /** Counts reliefs: a pause decided before one is void after it. */
    private final AtomicLong epoch = new AtomicLong();

    /**
     * @param name the budget's name
     * @param soft the soft mark
     * @param hard the hard mark
     */
    public BudgetCore(String name, long soft, long hard) {
        this.name = name;
        this.soft = soft;
        this.hard = hard;
        this.resume = soft - soft / 10;
        for (ShedReason r : ShedReason.values()) {
            shed.put(r, new AtomicLong());
        }
        this.planner = new ShedPlanner(this);
    }

    /** @return the name */
    public String name() {
        return name;
    }

    /** @return bytes charged now */
    public long used() {
        return used.get();
    }

    /** @return the soft mark */
    public long softLimit() {
        return soft;
    }

    /** @return the hard mark */
    public long hardLimit() {
        return hard;
    }

    /** @return what shedding aims for: the midpoint of the marks */
    public long shedTarget() {
        return soft + (hard - soft) / 2;
    }

    /** @param shedder a collection's: it carries out the budget's decisions on its loop until removed */
    public void addListener(Shedder shedder) {
        planner.addShedder(shedder);
    }

    /** @param shedder no longer given decisions (its collection closed) */
    public void removeListener(Shedder shedder) {
        planner.removeShedder(shedder);
    }

    void enrol(MemoryAccount account) {
        planner.enrol(account);
    }

    void withdraw(MemoryAccount account) {
        planner.withdraw(account);
    }

    void list(MemoryAccount account) {
        planner.list(account);
    }

    void unlist(MemoryAccount account) {
        planner.unlist(account);
    }

    /** @return how many enrolled accounts the planner may pick from (those that reached the floor) */
    int listed() {
        return planner.listed();
    }

    /** @return how many states the budget may pause or shed now */
    public int enrolled() {
        return planner.enrolled();
    }

    ShedPlanner planner() {
        return planner;
    }

    long epoch() {
        return epoch.get();
    }

    /**
     * @param bytes about to be charged
     * @return whether they fit under the hard mark; counts a refusal when not
     */
    public boolean admits(long bytes) {
        if (used.get() + bytes <= hard) {
            return true;
        }
        refusedWrites.incrementAndGet();
        return false;
    }

    void charge(long n) {
        long u = used.addAndGet(n);
        charged.add(n);
        if (u > soft) {
            rose(u);
        }
    }

    void release(long n) {
        long u = used.addAndGet(-n);
        if (level.get() != NORMAL && u < hard) {
            fell(u);
        }
    }

    private void rose(long u) {
        while (true) {
            int l = level.get();
            int want = u > hard ? HARD : SOFT;
            if (want <= l) {
                planner.grew(u, want == HARD);
                return;
            }
            if (level.compareAndSet(l, want)) {
                if (want == HARD) {
                    hardCrossings.incrementAndGet();
                    PRESSURE_LOG.log(Level.WARNING, () -> "Memory budget '" + name + "' is over its hard mark ("
                            + u + " of " + hard + " bytes): closing the biggest holders", null);
                    planner.overHardMark();
                } else {
                    softCrossings.incrementAndGet();
                    PRESSURE_LOG.log(Level.INFO, () -> "Memory budget '" + name + "' is over its soft mark ("
                            + u + " of " + soft + " bytes): pausing reads from the biggest holders", null);
                    planner.overSoftMark();
                }
                return;
            }
        }
    }

    private void fell(long u) {
        while (true) {
            int l = level.get();
            int want = u < resume ? NORMAL : u <= hard ? Math.min(l, SOFT) : l;
            if (want >= l) {
                return;
            }
            if (level.compareAndSet(l, want)) {
                if (want == NORMAL) {
                    epoch.incrementAndGet();
                    planner.relieved();
                }
                return;
            }
        }
    }

    /** @param reason why a state was closed at the hard mark */
    public void shed(ShedReason reason) {
        shed.get(reason).incrementAndGet();
    }

    /** @return a snapshot */
    public MemoryStatistics statistics() {
        Map<ShedReason, Long> byReason = new EnumMap<>(ShedReason.class);
        shed.forEach((r, n) -> byReason.put(r, n.get()));
        return new MemoryStatistics(name, used.get(), soft, hard, charged.sum(), softCrossings.get(),
                hardCrossings.get(), refusedWrites.get(), Map.copyOf(byReason));
    }
}
