package dev.asyncio.spring.autoconfigure;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * The arithmetic of {@code async-io.descriptors}: does a set of max-connections fit a descriptor budget, and if not,
 * each handle's fair share of it. Pure functions; a limit of 0 means "no limit" and wants the whole budget.
 */
final class DescriptorBudget {

    /** The most descriptors the default reserve keeps. */
    static final int DEFAULT_RESERVE_CAP = 1024;

    private DescriptorBudget() {
    }

    /**
     * The default reserve: a quarter of the limit, at most 1024. The JVM, its jars, the loops' selectors and logging
     * take around a hundred or two; the rest is for the web server's connections (health and actuator included),
     * files and outbound clients. A quarter keeps small limits (1024: 256 reserved) usable for the handles.
     *
     * @param limit the process's descriptor limit
     * @return descriptors kept out of the handles' budget
     */
    static long defaultReserve(long limit) {
        return Math.min(DEFAULT_RESERVE_CAP, limit / 4);
    }

    /**
     * @param budget descriptors the handles may use together
     * @param limits each handle's max-connections, 0 = no limit
     * @return whether every handle has a limit and together they fit the budget
     */
    static boolean fits(long budget, int[] limits) {
        long sum = 0;
        for (int limit : limits) {
            if (limit <= 0) {
                return false;
            }
            sum += limit;
        }
        return sum <= budget;
    }

    /**
     * Max-min fair shares (water filling): a handle that asks less than an equal share keeps its limit, the others
     * split what is left equally. With a budget of at least one descriptor per handle every share is at least 1.
     *
     * @param budget descriptors the handles may use together
     * @param limits each handle's max-connections, 0 = no limit
     * @return each handle's share, in the order of {@code limits}; never above a handle's own limit
     */
    static int[] shares(long budget, int[] limits) {
        int n = limits.length;
        int[] shares = new int[n];
        Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingLong((Integer i) -> want(limits[i])));
        long remaining = budget;
        for (int k = 0; k < n; k++) {
            int i = order[k];
            long fair = remaining / (n - k);
            long share = Math.min(want(limits[i]), fair);
            shares[i] = (int) Math.min(Integer.MAX_VALUE, share);
            remaining -= share;
        }
        return shares;
    }

    private static long want(int limit) {
        return (limit > 0) ? limit : Long.MAX_VALUE;
    }
}
