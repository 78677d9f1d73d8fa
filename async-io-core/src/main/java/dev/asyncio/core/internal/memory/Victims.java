package dev.asyncio.core.internal.memory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * Picks the biggest holders of a budget, as Redis' client eviction does: accounts fall into buckets by size (each
 * twice the one below); one pass sums the buckets, and only the accounts of the buckets that together cover what is
 * needed are sorted. Linear in the enrolled accounts, whatever the number picked. Any thread: it reads each account's
 * bytes once per pass, and an account may grow or shrink meanwhile (the pick then covers a little more or less).
 */
final class Victims {

    /**
     * An account picked, with the bytes it held when picked (what a later decision counts as on its way out).
     *
     * @param account the account
     * @param held its bytes when picked
     */
    record Pick(MemoryAccount account, long held) {
    }

    private static final Comparator<Pick> BIGGEST_FIRST = Comparator.comparingLong(Pick::held).reversed();

    private Victims() {
    }

    private static int bucket(long held) {
        return 63 - Long.numberOfLeadingZeros(held);
    }

    /**
     * @param accounts the enrolled accounts
     * @param floor accounts holding less are never picked
     * @param need the bytes the picks should hold together; nothing is picked unless positive
     * @param eligible which accounts may be picked
     * @return the biggest eligible accounts, biggest first, that together hold at least {@code need} (all of them if
     *         they hold less)
     */
    static List<Pick> biggest(Iterable<MemoryAccount> accounts, long floor, long need,
                              Predicate<MemoryAccount> eligible) {
        if (need <= 0) {
            return List.of();
        }
        long[] buckets = new long[64];
        for (MemoryAccount a : accounts) {
            long h = a.held();
            if (h >= floor && h > 0 && eligible.test(a)) {
                buckets[bucket(h)] += h;
            }
        }
        int from = 64;
        long covered = 0;
        while (from > 0 && covered < need) {
            covered += buckets[--from];
        }
        List<Pick> candidates = new ArrayList<>();
        for (MemoryAccount a : accounts) {
            long h = a.held();
            if (h >= floor && h > 0 && bucket(h) >= from && eligible.test(a)) {
                candidates.add(new Pick(a, h));
            }
        }
        candidates.sort(BIGGEST_FIRST);
        List<Pick> picked = new ArrayList<>();
        long got = 0;
        for (Pick p : candidates) {
            if (got >= need) {
                break;
            }
            picked.add(p);
            got += p.held();
        }
        return picked;
    }

    /**
     * @param accounts the enrolled accounts
     * @param floor accounts holding less are not counted
     * @param which which accounts are counted
     * @return the bytes the counted accounts hold
     */
    static long total(Iterable<MemoryAccount> accounts, long floor, Predicate<MemoryAccount> which) {
        long total = 0;
        for (MemoryAccount a : accounts) {
            long h = a.held();
            if (h >= floor && which.test(a)) {
                total += h;
            }
        }
        return total;
    }
}
