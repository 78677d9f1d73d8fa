package dev.asyncio.core.internal.memory;


import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * What one state holds, charged to its budget as it changes: its own objects, queued output, buffered input, TLS
 * buffers. An account {@linkplain #enrol enrolled} with its state is one the budget may pause or shed: the biggest
 * of those, over the whole budget, are the first paused and the first shed, and one holding less than
 * {@link #FLOOR} never is. Charged from the loop thread and from writers on any thread; after {@link #close()}
 * nothing more is charged.
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
    /**
     * What a state may hold without ever being paused, shed or refused a write by the budget: 16 KiB. An idle state
     * holds {@link #STATE_BYTES} plus an input array of at most 4 KiB; one serving small requests and replies a few
     * KiB more. A TLS state holds over 60 KiB (its engine and three buffers), a peer that makes a state buffer or
     * queue is over it within a few reads: those stay sheddable. What the states under the floor hold together is
     * bounded by the connection limits ({@code maxConnections}), not by the budget.
     */
    public static final long FLOOR = 16 * 1024;
    /** An account charged to nothing, for parts used without a state (tests). */
    public static final MemoryAccount NONE = new MemoryAccount(null);

    private static final VarHandle HELD;
    private static final VarHandle LISTING;

    static {
        try {
            HELD = MethodHandles.lookup().findVarHandle(MemoryAccount.class, "held", long.class);
            LISTING = MethodHandles.lookup().findVarHandle(MemoryAccount.class, "listing", byte.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // Where the account is with its budget's planner. Enrolled = counted as sheddable; listed = also in the
    // planner's set of holders it picks from. Only an account that reached FLOOR is listed (the planner picks no
    // other), so an idle state costs the planner no set entry (a 32-byte node each: issue 21).
    private static final byte NOT_ENROLLED = 0;
    private static final byte ENROLLED = 1;
    private static final byte LISTED = 2;
    private static final byte WITHDRAWN = 3;

    private final BudgetCore budget;
    @SuppressWarnings("unused")
    private volatile long held;
    private volatile boolean closed;
    /** The state the budget may pause or shed for this account's bytes; {@code null} until enrolled, or never. */
    private volatile Holder holder;
    /** Picked for shedding, its close not run yet: a later decision neither picks it nor counts its bytes again. */
    volatile boolean doomed;
    /** Its reads are paused by the soft mark (set and cleared on the state's loop thread). */
    volatile boolean paused;
    /** {@link #NOT_ENROLLED}, {@link #ENROLLED}, {@link #LISTED} or {@link #WITHDRAWN}; moved by CAS only. */
    @SuppressWarnings("unused")
    private volatile byte listing;

    /** @param budget the budget it is charged to, or {@code null} for none */
    public MemoryAccount(BudgetCore budget) {
        this.budget = budget;
    }

    /** @return the budget, or {@code null} */
    public BudgetCore budget() {
        return budget;
    }

    /**
     * Lets the budget pause or shed {@code state} for what this account holds. Loop thread or the state's
     * constructor; a state whose socket serves every peer (an unconnected UDP socket) is never enrolled.
     *
     * @param state the state this account is of
     */
    public void enrol(Holder state) {
        if (budget == null || closed) {
            return;
        }
        holder = state;
        if (!LISTING.compareAndSet(this, NOT_ENROLLED, ENROLLED)) {
            return;
        }
        budget.enrol(this);
        if (held >= FLOOR) {
            list();
        }
        if (closed) {
            withdraw();
        }
    }

    /** The account reached {@link #FLOOR}: the planner may pick it from now on (until it is withdrawn). */
    private void list() {
        if (LISTING.compareAndSet(this, ENROLLED, LISTED)) {
            budget.list(this);
            if ((byte) LISTING.getVolatile(this) == WITHDRAWN) {
                // Withdrawn between our CAS and the add, which its removal may have preceded.
                budget.unlist(this);
            }
        }
    }

    /** No longer pausable or sheddable (closed); once, whichever thread gets here first. */
    private void withdraw() {
        while (true) {
            byte was = (byte) LISTING.getVolatile(this);
            if (was == WITHDRAWN) {
                return;
            }
            if (LISTING.compareAndSet(this, was, WITHDRAWN)) {
                if (was == LISTED) {
                    budget.unlist(this);
                }
                if (was != NOT_ENROLLED) {
                    budget.withdraw(this);
                }
                return;
            }
        }
    }

    /** @return the state the budget may pause or shed, or {@code null} */
    public Holder holder() {
        return holder;
    }

    /**
     * @param bytes about to be charged
     * @return whether the budget has room for them under its hard mark; an account that stays under {@link #FLOOR}
     *         with them always has (a small holder keeps being served while big ones hold the budget)
     */
    public boolean admits(long bytes) {
        return budget == null || held + bytes < FLOOR || budget.admits(bytes);
    }

    /** @param bytes now held */
    public void charge(long bytes) {
        if (budget == null || bytes == 0 || closed) {
            return;
        }
        long now = (long) HELD.getAndAdd(this, bytes) + bytes;
        if (now >= FLOOR && listing == ENROLLED) {
            list(); // before the budget's charge: a mark it crosses decides over the listed accounts
        }
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
        withdraw();
    }

    private void releaseAll() {
        long h = (long) HELD.getAndSet(this, 0L);
        if (h != 0) {
            budget.release(h);
        }
    }
}
