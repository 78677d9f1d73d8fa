package dev.asyncio.core.internal.memory;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Picking the biggest holders of a budget, without sockets: sizes, the floor, what is needed, who is eligible. */
class VictimsTest {

    private final BudgetCore budget = new BudgetCore("victims", 1L << 40, 1L << 40);

    private MemoryAccount holding(long bytes) {
        MemoryAccount a = new MemoryAccount(budget);
        a.charge(bytes);
        return a;
    }

    private static List<Long> held(List<Victims.Pick> picks) {
        return picks.stream().map(Victims.Pick::held).toList();
    }

    @Test
    void picksTheBiggestFirstUntilWhatIsNeededIsCovered() {
        List<MemoryAccount> all = List.of(holding(40_000), holding(500_000), holding(20_000), holding(300_000),
                holding(310_000));
        assertThat(held(Victims.biggest(all, MemoryAccount.FLOOR, 600_000, a -> true)))
                .containsExactly(500_000L, 310_000L);
        assertThat(held(Victims.biggest(all, MemoryAccount.FLOOR, 1, a -> true))).containsExactly(500_000L);
        assertThat(Victims.biggest(all, MemoryAccount.FLOOR, 0, a -> true)).isEmpty();
    }

    @Test
    void neverPicksAnAccountUnderTheFloorEvenWhenMoreIsNeeded() {
        List<MemoryAccount> all = List.of(holding(MemoryAccount.FLOOR - 1), holding(5_000), holding(100_000));
        assertThat(held(Victims.biggest(all, MemoryAccount.FLOOR, 10_000_000, a -> true)))
                .containsExactly(100_000L);
        assertThat(Victims.total(all, MemoryAccount.FLOOR, a -> true)).isEqualTo(100_000L);
    }

    @Test
    void skipsAccountsThatAreNotEligible() {
        MemoryAccount doomed = holding(900_000);
        doomed.doomed = true;
        List<MemoryAccount> all = List.of(doomed, holding(200_000), holding(100_000));
        assertThat(held(Victims.biggest(all, MemoryAccount.FLOOR, 250_000, a -> !a.doomed)))
                .containsExactly(200_000L, 100_000L);
    }

    @Test
    void picksAcrossBucketsWhenTheTopBucketDoesNotCoverTheNeed() {
        // 70,000 and 65,536 share a bucket; 40,000 is in the one below; 1,000,000 alone in its own.
        List<MemoryAccount> all = List.of(holding(40_000), holding(70_000), holding(1_000_000), holding(65_536));
        assertThat(held(Victims.biggest(all, MemoryAccount.FLOOR, 1_100_000, a -> true)))
                .containsExactly(1_000_000L, 70_000L, 65_536L);
        assertThat(held(Victims.biggest(all, MemoryAccount.FLOOR, 1_150_000, a -> true)))
                .containsExactly(1_000_000L, 70_000L, 65_536L, 40_000L);
    }

    @Test
    void aSmallAccountIsAdmittedAWriteThatKeepsItUnderTheFloorEvenOverTheHardMark() {
        BudgetCore full = new BudgetCore("full", 100_000, 100_000);
        MemoryAccount big = new MemoryAccount(full);
        big.charge(100_000);
        MemoryAccount small = new MemoryAccount(full);
        small.charge(2_000);
        assertThat(small.admits(4_000)).isTrue();
        assertThat(small.admits(MemoryAccount.FLOOR)).isFalse();
        assertThat(big.admits(1)).isFalse();
    }
}
