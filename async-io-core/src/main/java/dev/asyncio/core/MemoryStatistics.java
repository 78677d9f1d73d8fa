package dev.asyncio.core;

import java.util.Map;

/**
 * A snapshot of a {@link MemoryBudget}: what is charged now, its marks, and what happened at them. Cheap, from any
 * thread.
 *
 * @param name the budget's name
 * @param used bytes charged now
 * @param softLimit at this mark the biggest holders stop being read
 * @param hardLimit at this mark the biggest holders are closed
 * @param charged bytes charged since the budget was made (a rate of allocation)
 * @param softCrossings how often usage rose over the soft mark
 * @param hardCrossings how often usage rose over the hard mark
 * @param refusedWrites writes refused because the budget was exhausted
 * @param shed states closed by the budget, by reason
 */
public record MemoryStatistics(String name, long used, long softLimit, long hardLimit, long charged,
                               long softCrossings, long hardCrossings, long refusedWrites,
                               Map<ShedReason, Long> shed) {

    /** @return all states closed by the budget */
    public long shedTotal() {
        long n = 0;
        for (long v : shed.values()) {
            n += v;
        }
        return n;
    }

    /** @return {@code used / hardLimit}, 0 to 1 (and more while shedding catches up) */
    public double pressure() {
        return hardLimit <= 0 ? 0 : (double) used / hardLimit;
    }
}
