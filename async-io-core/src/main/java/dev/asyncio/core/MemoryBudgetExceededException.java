package dev.asyncio.core;

import java.io.IOException;

/**
 * The cause in {@link AsyncIoState#readFailure()} / {@link AsyncIoState#writeFailure()} of a state that the
 * {@link MemoryBudget} closed at its hard mark because it was among the biggest holders.
 */
public final class MemoryBudgetExceededException extends IOException {
    private static final long serialVersionUID = 1L;
    private final ShedReason reason;

    /**
     * @param message what happened, naming the state and the budget
     * @param reason what most of its bytes were
     */
    public MemoryBudgetExceededException(String message, ShedReason reason) {
        super(message);
        this.reason = reason;
    }

    /** @return what most of the shed state's bytes were */
    public ShedReason reason() {
        return reason;
    }
}
