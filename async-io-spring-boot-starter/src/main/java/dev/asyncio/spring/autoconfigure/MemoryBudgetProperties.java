package dev.asyncio.spring.autoconfigure;

import dev.asyncio.core.MemoryBudget;
import dev.asyncio.spring.AsyncIoConfigurationException;
import org.jspecify.annotations.Nullable;

import org.springframework.util.unit.DataSize;

/**
 * Turns {@code async-io.memory.*} into the {@link MemoryBudget} that every collection of the starter shares, checking
 * the values first: each broken rule throws an {@link AsyncIoConfigurationException} naming the property.
 *
 * <ul>
 * <li>Nothing set: {@link MemoryBudget#processDefault()}, the process's own budget (half the maximum heap, soft limit
 * at 80 % of it), so that two application contexts in one JVM do not each claim half the heap.</li>
 * <li>{@code hard-limit} or {@code heap-fraction} (not both) sets the hard limit; {@code soft-limit} defaults to
 * 80 % of it.</li>
 * <li>{@code soft-limit} alone keeps the default hard limit (half the heap).</li>
 * </ul>
 * Stateless; any thread.
 */
final class MemoryBudgetProperties {

    /** The name of the budget the starter makes; meters and the endpoint show it. */
    static final String BUDGET_NAME = "async-io";

    private static final String PREFIX = AsyncIoProperties.PREFIX + ".memory";

    private MemoryBudgetProperties() {
    }

    /**
     * @param memory the bound {@code async-io.memory} properties
     * @param maxHeap {@link Runtime#maxMemory()}, a parameter for tests
     * @return the budget
     * @throws AsyncIoConfigurationException for the first value that breaks a rule
     */
    static MemoryBudget budget(AsyncIoProperties.Memory memory, long maxHeap) {
        DataSize hard = memory.getHardLimit();
        DataSize soft = memory.getSoftLimit();
        Double fraction = memory.getHeapFraction();
        if (hard == null && soft == null && fraction == null) {
            return MemoryBudget.processDefault();
        }
        if (hard != null && fraction != null) {
            throw new AsyncIoConfigurationException(PREFIX + ".heap-fraction", fraction,
                    "cannot be combined with " + PREFIX + ".hard-limit (" + hard + ")",
                    "Set either " + PREFIX + ".hard-limit (bytes) or " + PREFIX + ".heap-fraction, not both.");
        }
        long hardBytes;
        if (hard != null) {
            hardBytes = positive(PREFIX + ".hard-limit", hard);
        }
        else {
            double f = (fraction != null) ? fraction : MemoryBudget.DEFAULT_HEAP_FRACTION;
            if (!(f > 0 && f <= 1)) {
                throw new AsyncIoConfigurationException(PREFIX + ".heap-fraction", fraction,
                        "must be above 0 and at most 1", "Set " + PREFIX + ".heap-fraction to a fraction of the "
                                + "maximum heap such as 0.5.");
            }
            hardBytes = Math.max(1, (long) (maxHeap * f));
        }
        long softBytes = (soft != null) ? positive(PREFIX + ".soft-limit", soft)
                : Math.max(1, (long) (hardBytes * MemoryBudget.DEFAULT_SOFT_FRACTION));
        if (softBytes > hardBytes) {
            throw new AsyncIoConfigurationException(PREFIX + ".soft-limit", soft,
                    "is above the hard limit (" + hardBytes + " bytes" + hardSource(hard, fraction) + ")",
                    "Set " + PREFIX + ".soft-limit at or below the hard limit, or raise the hard limit.");
        }
        return MemoryBudget.of(BUDGET_NAME, softBytes, hardBytes);
    }

    private static String hardSource(@Nullable DataSize hard, @Nullable Double fraction) {
        if (hard != null) {
            return ", " + PREFIX + ".hard-limit";
        }
        if (fraction != null) {
            return ", " + PREFIX + ".heap-fraction " + fraction + " of the maximum heap";
        }
        return ", by default half the maximum heap";
    }

    private static long positive(String property, DataSize size) {
        if (size.toBytes() <= 0) {
            throw new AsyncIoConfigurationException(property, size, "must be positive",
                    "Set " + property + " to a size such as 256MB.");
        }
        return size.toBytes();
    }
}
