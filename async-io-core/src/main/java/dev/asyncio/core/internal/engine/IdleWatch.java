package dev.asyncio.core.internal.engine;

import dev.asyncio.core.IdleCallback;
import dev.asyncio.core.IdleKind;
import dev.asyncio.core.IdleOptions;
import dev.asyncio.core.internal.loop.EventLoop;
import dev.asyncio.core.internal.loop.Timeouts;

/**
 * Idle detection of one state (issue 19), as Netty's {@code IdleStateHandler} does it: a read or a write only
 * stamps the loop's iteration time into a field (no timer per operation, no clock read: {@link EventLoop#now()} is
 * the time the loop read after its wait); one entry in the loop's deadline queue, due at the earliest moment a
 * direction could become idle, looks at the stamps when it expires, tells the callback of every direction whose
 * period has passed since its last activity, and re-arms for what is left. After it has told a direction, the next
 * notice for that direction comes one full period later (unless activity comes first, which also resets the count).
 *
 * <p>Made only for a state that asks for it, and reached through one field of the state's {@link StateCounters}
 * that is {@code null} otherwise, so that a state without idle detection is no bigger. Loop thread only.
 */
public final class IdleWatch extends StateTimer {

    private static final IdleKind[] KINDS = IdleKind.values();

    private final StateEngine state;
    private final EventLoop loop;
    private final IdleCallback callback;
    private final IdleOptions options;
    /** Per {@link IdleKind#ordinal()}: the period in nanoseconds, or {@link Timeouts#NONE}. */
    private final long[] period = new long[3];
    /** Per kind: the time the current idle spell is counted from (the last activity, or the last notice). */
    private final long[] since = new long[3];
    /** Per kind: notices since that direction's last activity. */
    private final int[] count = new int[3];
    private long lastRead;
    private long lastWrite;

    private IdleWatch(StateEngine state, IdleOptions options, IdleCallback callback) {
        super(state);
        this.state = state;
        this.loop = state.loop();
        this.options = options;
        this.callback = callback;
        long now = loop.now();
        lastRead = now;
        lastWrite = now;
        for (IdleKind k : KINDS) {
            period[k.ordinal()] = Timeouts.toNanos(options.period(k));
            since[k.ordinal()] = now;
        }
    }

    /**
     * Starts (or restarts, with new options) idle detection of a state; any thread (the work is queued to the
     * loop). Periods count from when the loop takes the request. Nothing happens if the state has closed by then.
     *
     * @param state the state
     * @param options the periods
     * @param callback told of idle directions
     */
    public static void start(StateEngine state, IdleOptions options, IdleCallback callback) {
        if (state.loop().inLoopThread()) {
            startNow(state, options, callback);
        } else {
            // A collection closed meanwhile has closed the state too: nothing to detect.
            state.loop().submitIfOpen(() -> startNow(state, options, callback));
        }
    }

    private static void startNow(StateEngine state, IdleOptions options, IdleCallback callback) {
        stopNow(state);
        if (!state.isOpen()) {
            return;
        }
        IdleWatch watch = new IdleWatch(state, options, callback);
        state.counters().idle = watch;
        watch.arm();
    }

    /**
     * Stops idle detection of a state, if it has one; any thread (the work is queued to the loop). On the loop
     * thread no notice comes after this call returns.
     *
     * @param state the state
     */
    public static void stop(StateEngine state) {
        if (state.loop().inLoopThread()) {
            stopNow(state);
        } else {
            state.loop().submitIfOpen(() -> stopNow(state));
        }
    }

    /** Takes the watch out of the deadline queue and off the state (which no longer stamps); loop thread. */
    static void stopNow(StateEngine state) {
        IdleWatch watch = state.counters().idle;
        if (watch != null) {
            state.counters().idle = null;
            state.loop().deadlines().cancel(watch);
        }
    }

    /** A byte was read; loop thread. */
    void read() {
        lastRead = loop.now();
    }

    /** A byte was written; loop thread. */
    void written() {
        lastWrite = loop.now();
    }

    /** @return the periods this watch detects */
    public IdleOptions options() {
        return options;
    }

    @Override
    protected void fire(long now) {
        for (IdleKind k : KINDS) {
            int i = k.ordinal();
            if (period[i] == Timeouts.NONE) {
                continue;
            }
            long activity = activity(k);
            if (activity - since[i] >= 0) {
                // Activity since the spell began (or since the last notice): a new spell begins there.
                since[i] = activity;
                count[i] = 0;
            }
            if (now - since[i] >= period[i]) {
                since[i] = now;
                int n = ++count[i];
                state.context().invoker().call(callback, state.owner(), state.group(), k, n);
                if (!state.isOpen() || state.counters().idle != this) {
                    return; // the callback closed the state, or stopped or replaced the detection
                }
            }
        }
        arm();
    }

    private long activity(IdleKind k) {
        return switch (k) {
            case READER -> lastRead;
            case WRITER -> lastWrite;
            case ALL -> lastRead - lastWrite > 0 ? lastRead : lastWrite;
        };
    }

    /** Schedules the entry at the earliest moment a direction could become idle, if nothing moves before. */
    private void arm() {
        long next = 0;
        boolean any = false;
        for (int i = 0; i < 3; i++) {
            if (period[i] == Timeouts.NONE) {
                continue;
            }
            long due = since[i] + period[i];
            if (!any || due - next < 0) {
                next = due;
                any = true;
            }
        }
        if (any) {
            loop.deadlines().schedule(this, next);
        }
    }
}
