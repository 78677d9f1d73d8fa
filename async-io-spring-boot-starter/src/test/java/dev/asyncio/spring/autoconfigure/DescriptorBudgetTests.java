package dev.asyncio.spring.autoconfigure;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The arithmetic of {@code async-io.descriptors}: the default reserve, the fit, the fair shares. */
class DescriptorBudgetTests {

    @Test
    void defaultReserveIsAQuarterOfTheLimitAtMost1024() {
        assertThat(DescriptorBudget.defaultReserve(1024)).isEqualTo(256);
        assertThat(DescriptorBudget.defaultReserve(4096)).isEqualTo(1024);
        assertThat(DescriptorBudget.defaultReserve(20000)).isEqualTo(1024);
        assertThat(DescriptorBudget.defaultReserve(1_048_576)).isEqualTo(1024);
    }

    @Test
    void limitsFitWhenEachIsSetAndTheirSumIsWithinTheBudget() {
        assertThat(DescriptorBudget.fits(30000, new int[] { 10000, 10000, 10000 })).isTrue();
        assertThat(DescriptorBudget.fits(18976, new int[] { 10000, 10000, 10000 })).isFalse();
        assertThat(DescriptorBudget.fits(1_000_000, new int[] { 10, 0 })).as("no limit never fits").isFalse();
    }

    @Test
    void threeEqualHandlesUnderUlimit4096GetAThirdOfWhatTheReserveLeavesEach() {
        long budget = 4096 - DescriptorBudget.defaultReserve(4096);
        assertThat(DescriptorBudget.shares(budget, new int[] { 10000, 10000, 10000 })).containsExactly(1024, 1024,
                1024);
    }

    @Test
    void theDefectsConfigurationUnderALimitOf20000FitsWithRoomToSpare() {
        long budget = 20000 - DescriptorBudget.defaultReserve(20000);
        int[] shares = DescriptorBudget.shares(budget, new int[] { 10000, 10000, 10000 });
        for (int share : shares) {
            assertThat(share).isBetween(6325, 6326);
        }
        assertThat(shares[0] + shares[1] + shares[2]).isLessThanOrEqualTo((int) budget);
    }

    @Test
    void aHandleAskingLessThanAnEqualShareKeepsItsLimitAndTheOthersSplitTheRest() {
        assertThat(DescriptorBudget.shares(3000, new int[] { 10000, 100, 10000 })).containsExactly(1450, 100, 1450);
    }

    @Test
    void aHandleWithoutALimitGetsWhatTheLimitedOnesLeave() {
        assertThat(DescriptorBudget.shares(3000, new int[] { 0, 1000 })).containsExactly(2000, 1000);
        assertThat(DescriptorBudget.shares(3000, new int[] { 0, 0, 0 })).containsExactly(1000, 1000, 1000);
    }

    @Test
    void everyShareIsAtLeastOneWhenTheBudgetHasOnePerHandle() {
        assertThat(DescriptorBudget.shares(3, new int[] { 10000, 0, 7 })).containsExactly(1, 1, 1);
    }
}
