package dev.asyncio.core;

import dev.asyncio.core.internal.memory.BudgetCore;
import dev.asyncio.core.internal.memory.MemoryAccount;

import java.util.Objects;

/**
 * The memory every state of one or more collections may hold, per process rather than per connection: queued
 * output, buffered input, TLS buffers and each state's own objects are charged to it as they are allocated and
 * released as they are freed. Beyond LispWorks; modelled on Redis' client eviction and Envoy's overload manager.
 *
 * <p>What the marks do is decided once for everything that shares the budget, whatever collection a state is in:
 * the biggest holders of the whole budget are acted on, and each collection carries out its share on its own loop
 * thread.
 * <ul>
 *   <li>Over the <b>soft mark</b> the biggest holders (those that together hold half of what the sheddable states
 *       hold) stop being read (back-pressure: TCP pushes back on those peers) until usage falls under 90 % of the
 *       soft mark.</li>
 *   <li>Over the <b>hard mark</b> the biggest holders are closed, biggest first, counted as shed by
 *       {@link ShedReason}, until usage is back under the midpoint of the two marks; a shed state's statuses are
 *       {@link IoStatus#ERROR} with a {@link MemoryBudgetExceededException}, and it gets no more callbacks (it is
 *       closed as by {@link AsyncIoState#close()}).</li>
 *   <li>A {@link AsyncIoState#writeBuffer} that would take usage over the hard mark throws
 *       {@link OutputLimitExceededException} instead of queueing, as {@link StateOptions#maxQueuedOutput()} does.</li>
 * </ul>
 *
 * <p><b>Never acted on:</b> a state holding less than {@link #SMALL_HOLDER_BYTES} (16 KiB: an idle or request/reply
 * connection) is never paused, never shed, and never refused a write that keeps it under that size; an unconnected
 * UDP socket (it serves every peer) and an accepting handle's listening socket are never paused or shed. What small
 * holders hold together is bounded by the connection limits ({@link AcceptOptions#maxConnections()}), not by the
 * budget.
 *
 * <p>A collection made without one ({@link WaitStateCollection.Builder#memoryBudget}) shares
 * {@link #processDefault()}: half the maximum heap. Share one budget between collections by passing the same
 * object. Thread-safe; charging is one atomic add.
 */
public final class MemoryBudget {

    /** The fraction of the max heap {@link #processDefault()} allows. */
    public static final double DEFAULT_HEAP_FRACTION = 0.5;
    /** Bytes under which a state is never paused, shed, or refused a write by the budget: 16 KiB. */
    public static final long SMALL_HOLDER_BYTES = MemoryAccount.FLOOR;
    /** Where the soft mark sits when only a hard limit is given, as a fraction of it. */
    public static final double DEFAULT_SOFT_FRACTION = 0.8;

    private static final MemoryBudget PROCESS_DEFAULT = ofHeapFraction("default", DEFAULT_HEAP_FRACTION);

    private final BudgetCore core;

    private MemoryBudget(String name, long soft, long hard) {
        if (hard <= 0) {
            throw new IllegalArgumentException("the hard limit of memory budget '" + name + "' must be positive, got "
                    + hard);
        }
        if (soft <= 0 || soft > hard) {
            throw new IllegalArgumentException("the soft limit of memory budget '" + name + "' must be positive and "
                    + "at most the hard limit (" + hard + "), got " + soft);
        }
        this.core = new BudgetCore(Objects.requireNonNull(name, "name"), soft, hard);
    }

    /**
     * @param name how logs and meters name it
     * @param softLimit bytes at which the biggest holders stop being read
     * @param hardLimit bytes at which the biggest holders are closed
     * @return a budget
     * @throws IllegalArgumentException unless {@code 0 < softLimit <= hardLimit}
     */
    public static MemoryBudget of(String name, long softLimit, long hardLimit) {
        return new MemoryBudget(name, softLimit, hardLimit);
    }

    /**
     * @param name how logs and meters name it
     * @param hardLimit bytes at which the biggest holders are closed; the soft mark is 80 % of it
     * @return a budget
     */
    public static MemoryBudget ofBytes(String name, long hardLimit) {
        return new MemoryBudget(name, (long) (hardLimit * DEFAULT_SOFT_FRACTION), hardLimit);
    }

    /**
     * @param name how logs and meters name it
     * @param fraction of {@link Runtime#maxMemory()}, above 0 and at most 1; the soft mark is 80 % of it
     * @return a budget
     */
    public static MemoryBudget ofHeapFraction(String name, double fraction) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("the heap fraction of memory budget '" + name + "' must be above 0 "
                    + "and at most 1, got " + fraction);
        }
        return ofBytes(name, (long) (Runtime.getRuntime().maxMemory() * fraction));
    }

    /** @return the budget of every collection made without one: half the max heap, soft mark at 80 % of that */
    public static MemoryBudget processDefault() {
        return PROCESS_DEFAULT;
    }

    /** @return the budget's name */
    public String name() {
        return core.name();
    }

    /** @return bytes charged now */
    public long used() {
        return core.used();
    }

    /** @return the soft mark in bytes */
    public long softLimit() {
        return core.softLimit();
    }

    /** @return the hard mark in bytes */
    public long hardLimit() {
        return core.hardLimit();
    }

    /** @return a snapshot of usage and counters */
    public MemoryStatistics statistics() {
        return core.statistics();
    }

    /** @return the engine's side of the budget; not API */
    BudgetCore core() {
        return core;
    }

    @Override
    public String toString() {
        return "MemoryBudget[" + name() + " " + used() + "/" + softLimit() + "/" + hardLimit() + "]";
    }
}
