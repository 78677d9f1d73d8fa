package dev.asyncio.core.internal.memory;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * An enrolled account is counted as sheddable at once but joins the set the planner picks from only when it reaches
 * {@link MemoryAccount#FLOOR} (the planner never picks one below it): an idle state costs the budget no set entry
 * (issue 21). Closing withdraws it from both, once, whichever way it was enrolled.
 */
class MemoryAccountListingTest {

    private final BudgetCore budget = new BudgetCore("listing", 1 << 30, 1 << 30);

    @Test
    void anAccountIsListedOnlyOnceItReachesTheFloor() {
        MemoryAccount account = new MemoryAccount(budget);
        account.charge(MemoryAccount.STATE_BYTES);
        account.enrol(null);
        assertThat(budget.enrolled()).isOne();
        assertThat(budget.listed()).as("an idle state's account").isZero();

        account.charge(MemoryAccount.FLOOR);
        assertThat(budget.listed()).isOne();
        account.release(MemoryAccount.FLOOR);
        assertThat(budget.listed()).as("stays listed: no churn at the floor").isOne();

        account.close();
        account.close();
        assertThat(budget.enrolled()).isZero();
        assertThat(budget.listed()).isZero();
    }

    @Test
    void anAccountOverTheFloorWhenEnrolledIsListedAtOnce() {
        MemoryAccount account = new MemoryAccount(budget);
        account.charge(2 * MemoryAccount.FLOOR);
        account.enrol(null);
        assertThat(budget.listed()).isOne();
        account.close();
        assertThat(budget.enrolled()).isZero();
        assertThat(budget.listed()).isZero();
    }

    @Test
    void aClosedAccountIsNeitherEnrolledNorListed() {
        MemoryAccount account = new MemoryAccount(budget);
        account.close();
        account.enrol(null);
        account.charge(2 * MemoryAccount.FLOOR);
        assertThat(budget.enrolled()).isZero();
        assertThat(budget.listed()).isZero();
    }
}
