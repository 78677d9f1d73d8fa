package dev.asyncio.sample.security;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Counts wrong credentials per source address in fixed windows and says when a source must wait: after
 * {@code maxFailures} failures in one window, the source is blocked until the window ends. A success clears the
 * source's count.
 *
 * <p>The table is bounded: when it holds {@code maxSources} sources, windows that ended are dropped; if none has,
 * new sources share one count, so a crowd of addresses is throttled together instead of growing the table.
 *
 * <p>Thread-safe (HTTP request threads); every method is short and synchronized.
 */
public final class LoginThrottle {

    private static final String OVERFLOW = "(sources beyond sample.security.max-tracked-sources)";

    private final int maxFailures;
    private final long windowNanos;
    private final int maxSources;
    private final LongSupplier nanoClock;
    private final Map<String, Window> windows = new HashMap<>();

    private static final class Window {
        long start;
        int failures;
        /** Checks begun and not finished: each may become a failure, so each takes a failure's place meanwhile. */
        int checking;

        Window(long start) {
            this.start = start;
        }
    }

    /**
     * @param maxFailures failures a source may have in one window; positive
     * @param window      the window; positive
     * @param maxSources  sources counted one by one; positive
     * @param nanoClock   {@link System#nanoTime()} in production
     */
    public LoginThrottle(int maxFailures, Duration window, int maxSources, LongSupplier nanoClock) {
        this.maxFailures = maxFailures;
        this.windowNanos = window.toNanos();
        this.maxSources = maxSources;
        this.nanoClock = nanoClock;
    }

    /**
     * @param source the client's address
     * @return whether the source used up its failures in the current window and must not be checked now
     */
    public synchronized boolean isBlocked(String source) {
        Window w = current(key(source), nanoClock.getAsLong(), false);
        return w != null && w.failures + w.checking >= maxFailures;
    }

    /**
     * Begins a credential check for the source unless it is blocked. Checks in flight count as failures until they
     * end, so that many concurrent guesses from one source cannot all pass the test before the first one failed.
     * Every {@code true} must be followed by {@link #failed} or {@link #succeeded}.
     *
     * @param source the client's address
     * @return whether the check may run
     */
    public synchronized boolean tryBegin(String source) {
        Window w = current(key(source), nanoClock.getAsLong(), true);
        if (w.failures + w.checking >= maxFailures) {
            return false;
        }
        w.checking++;
        return true;
    }

    /**
     * Ends a check begun by {@link #tryBegin} that failed.
     *
     * @param source the client's address
     * @return the source's failures in the current window, this one included
     */
    public synchronized int failed(String source) {
        Window w = current(key(source), nanoClock.getAsLong(), true);
        w.checking = Math.max(0, w.checking - 1);
        w.failures++;
        return w.failures;
    }

    /**
     * Ends a check begun by {@link #tryBegin} that did not fail: the source's failures are forgotten.
     *
     * @param source the client's address
     */
    public synchronized void succeeded(String source) {
        Window w = windows.get(key(source));
        if (w != null) {
            w.checking = Math.max(0, w.checking - 1);
            w.failures = 0;
            if (w.checking == 0 && !OVERFLOW.equals(key(source))) {
                windows.remove(source);
            }
        }
    }

    /** @return the most failures a source may have in one window */
    public int maxFailures() {
        return maxFailures;
    }

    /** @return sources counted now, for tests */
    synchronized int trackedSources() {
        return windows.size();
    }

    private String key(String source) {
        if (windows.containsKey(source) || windows.size() < maxSources) {
            return source;
        }
        long now = nanoClock.getAsLong();
        windows.values().removeIf(w -> now - w.start >= windowNanos && w.checking == 0);
        return windows.size() < maxSources ? source : OVERFLOW;
    }

    private Window current(String key, long now, boolean create) {
        Window w = windows.get(key);
        if (w != null && now - w.start >= windowNanos) {
            w.start = now;
            w.failures = 0; // checks in flight stay counted until they end
        }
        if (w == null && create) {
            w = new Window(now);
            windows.put(key, w);
        }
        return w;
    }
}
