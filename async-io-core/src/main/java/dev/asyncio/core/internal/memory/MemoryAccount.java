package dev.asyncio.core.internal.memory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * What one state holds, charged to its budget as it changes: its own objects, queued output, buffered input, TLS
 * buffers. The biggest accounts are the first paused and the first shed. Charged from the loop thread and from
 * writers on any thread; after {@link #close()} nothing more is charged.
 */
public final class MemoryAccount {

    /**
     * The heap a state costs with nothing queued or buffered: the public state, its engine and parts, the selection
     * key and the JDK's socket objects: 1,234 bytes measured over 2,000 idle connections
     * ({@code AccountingProbe} in the benchmark module).
     */
    public static final long STATE_BYTES = 1_250;
    /** The heap of one queued write record beyond its bytes. */
    public static final long WRITE_BYTES = 56;
    /** The heap of a JDK {@code SSLEngine} and its session beyond the buffers charged separately (measured). */
    public static final long TLS_ENGINE_BYTES = 12_000;
    /** An account charged to nothing, for parts used without a state (tests). */
    public static final MemoryAccount NONE = new MemoryAccount(null);

    private static final VarHandle HELD;

    static {
        try {
            HELD = MethodHandles.lookup().findVarHandle(MemoryAccount.class, "held", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final BudgetCore budget;
    @SuppressWarnings("unused")
    private volatile long held;
    private volatile boolean closed;

    /** @param budget the budget it is charged to, or {@code null} for none */
    public MemoryAccount(BudgetCore budget) {
        this.budget = budget;
    }

    /** @return the budget, or {@code null} */
    public BudgetCore budget() {
        return budget;
    }

    /**
     * @param bytes about to be charged
     * @return whether the budget has room for them under its hard mark
     */
    public boolean admits(long bytes) {
        return budget == null || budget.admits(bytes);
    }

    /** @param bytes now held */
    public void charge(long bytes) {
        if (budget == null || bytes == 0 || closed) {
            return;
        }
        HELD.getAndAdd(this, bytes);
        budget.charge(bytes);
        if (closed) {
            // Closed between our check and the add: give back what the close did not see.
            releaseAll();
        }
    }

    /** @param bytes no longer held */
    public void release(long bytes) {
        if (budget == null || bytes == 0 || closed) {
            return;
        }
        HELD.getAndAdd(this, -bytes);
        budget.release(bytes);
    }

    /** @return bytes held now */
    public long held() {
        return held;
    }

    /** The state closed: everything it held goes back to the budget, and nothing more is charged. */
    public void close() {
        if (budget == null) {
            return;
        }
        closed = true;
        releaseAll();
    }

    private void releaseAll() {
        long h = (long) HELD.getAndSet(this, 0L);
        if (h != 0) {
            budget.release(h);
        }
    }
}
