package dev.asyncio.spring;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.asyncio.core.AsyncIoState;
import org.jspecify.annotations.Nullable;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.core.log.LogMessage;

/**
 * One graceful drain of a set of live connections: each connection goes on working until it is quiet — no byte read
 * or written for the quiet period and nothing queued for writing — and is then closed gracefully
 * ({@link AsyncIoState#closeGracefully}: what it accepted for writing is written, the peer gets EOF). Near the end of
 * the timeout the busy ones are closed gracefully too; what is still open at its end is left to the caller.
 *
 * <p>Event-driven: a timer looks at each connection when its quiet period could have ended (never more often), and
 * the close callback of each graceful close counts the connection off; the draining thread only waits for the last
 * count or the deadline. Waiting for quiet rather than closing at once keeps a transfer in flight intact: bytes a peer
 * sent just before shutdown are still read and answered.
 *
 * <p>{@link #run()} blocks the calling thread (never call it on a loop thread); it is called once.
 */
final class ConnectionDrain {

    // Commons Logging, as Spring itself: it stays connected to the log configuration through the whole shutdown.
    private static final Log LOGGER = LogFactory.getLog(ConnectionDrain.class);

    private final List<AsyncIoState> states;

    private final Duration timeout;

    private final long quietNanos;

    private final Map<AsyncIoState, Activity> pending = new ConcurrentHashMap<>();

    private final CountDownLatch allClosed;

    private final AtomicInteger closedQuiet = new AtomicInteger();

    private final AtomicInteger closedForced = new AtomicInteger();

    private final AtomicInteger closedOnTheirOwn = new AtomicInteger();

    /** Made by {@link #run()} when there is something to drain, shut down when it returns. */
    private @Nullable ScheduledThreadPoolExecutor timer;

    private volatile long forceAt;

    private volatile long deadline;

    /**
     * @param states the live connections to drain
     * @param timeout the whole drain's limit (the shutdown phase timeout)
     * @param quietPeriod how long a connection must be idle to be closed before the limit
     */
    ConnectionDrain(List<AsyncIoState> states, Duration timeout, Duration quietPeriod) {
        this.states = List.copyOf(states);
        this.timeout = timeout;
        this.quietNanos = Math.max(0, quietPeriod.toNanos());
        this.allClosed = new CountDownLatch(this.states.size());
    }

    /** Drains; returns when every connection has closed or the time is up. Logs one INFO line with the outcome. */
    void run() {
        if (this.states.isEmpty()) {
            LOGGER.info("async-io drain finished: no connections were open");
            return;
        }
        long start = System.nanoTime();
        long total = this.timeout.toNanos();
        // End a little before Spring's phase timeout, so that our callback, not the phase's expiry, ends the phase;
        // what is still open then is aborted by the next phase.
        this.deadline = start + total - Math.min(TimeUnit.SECONDS.toNanos(1), total / 10);
        // The graceful closes need the last part of the phase themselves: flush, FIN, the peer's EOF.
        this.forceAt = this.deadline - Math.min(total / 4, TimeUnit.SECONDS.toNanos(2));
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, (task) -> {
            Thread thread = new Thread(task, "async-io-drain-timer");
            thread.setDaemon(true);
            return thread;
        });
        this.timer = timer;
        LOGGER.info(LogMessage.of(() -> "Draining " + this.states.size() + " async-io connection(s), at most "
                + this.timeout));
        try {
            for (AsyncIoState state : this.states) {
                this.pending.put(state, new Activity(moved(state)));
                schedule(state, Math.min(this.quietNanos, Math.max(0, this.forceAt - start)));
            }
            timer.schedule(this::forceRest, Math.max(0, this.forceAt - start), TimeUnit.NANOSECONDS);
            try {
                this.allClosed.await(Math.max(0, this.deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        finally {
            timer.shutdownNow();
        }
        long left = this.allClosed.getCount();
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        LOGGER.info(LogMessage.of(() -> "async-io drain finished in " + millis + " ms: " + this.closedQuiet.get()
                + " connection(s) closed when quiet, " + this.closedOnTheirOwn.get() + " closed on their own, "
                + this.closedForced.get() + " closed at the deadline, " + left + " still open (aborted next)"));
    }

    private void schedule(AsyncIoState state, long delayNanos) {
        ScheduledThreadPoolExecutor timer = this.timer;
        if (timer != null && !timer.isShutdown()) {
            try {
                timer.schedule(() -> check(state), delayNanos, TimeUnit.NANOSECONDS);
            }
            catch (java.util.concurrent.RejectedExecutionException drainOver) {
                // The drain ended meanwhile: what is still open is the next phase's.
            }
        }
    }

    /** Timer thread: closes the connection if it stayed quiet, else looks again one quiet period later. */
    private void check(AsyncIoState state) {
        Activity activity = this.pending.get(state);
        if (activity == null || activity.closing) {
            return;
        }
        if (!state.isOpen()) {
            counted(state, this.closedOnTheirOwn);
            return;
        }
        long now = System.nanoTime();
        long moved = moved(state);
        if (moved == activity.moved && state.queuedOutput() == 0) {
            closeGracefully(state, activity, this.closedQuiet);
            return;
        }
        activity.moved = moved;
        if (now - this.forceAt < 0) {
            schedule(state, Math.min(this.quietNanos, this.forceAt - now));
        }
    }

    /** Timer thread, near the deadline: the busy connections are closed gracefully too. */
    private void forceRest() {
        for (Map.Entry<AsyncIoState, Activity> entry : this.pending.entrySet()) {
            if (!entry.getValue().closing) {
                if (entry.getKey().isOpen()) {
                    closeGracefully(entry.getKey(), entry.getValue(), this.closedForced);
                }
                else {
                    counted(entry.getKey(), this.closedOnTheirOwn);
                }
            }
        }
    }

    private void closeGracefully(AsyncIoState state, Activity activity, AtomicInteger outcome) {
        activity.closing = true;
        Duration left = Duration.ofNanos(Math.max(this.deadline - System.nanoTime(), 1));
        try {
            // Requested on the state's own loop, between its callbacks: from this thread the request could land
            // while a callback of the connection runs and is about to start its next read, which a closing state
            // refuses with an IllegalStateException, in every application's connection function.
            state.collection().apply(() -> {
                try {
                    state.closeGracefully(left, (closed) -> counted(closed, outcome));
                }
                catch (RuntimeException closedMeanwhile) {
                    // The peer hung up between the check and the close: nothing left to wait for.
                    counted(state, this.closedOnTheirOwn);
                }
            });
        }
        catch (RuntimeException loopEnded) {
            // Its loop ended between the check and the close: nothing left to wait for.
            counted(state, this.closedOnTheirOwn);
        }
    }

    /** Any thread: the connection is gone; the last one wakes the draining thread. */
    private void counted(AsyncIoState state, AtomicInteger outcome) {
        if (this.pending.remove(state) != null) {
            outcome.incrementAndGet();
            this.allClosed.countDown();
        }
    }

    private static long moved(AsyncIoState state) {
        return state.bytesRead() + state.bytesWritten();
    }

    /** What the timer saw of one connection last; written by the timer thread only. */
    private static final class Activity {

        volatile long moved;

        volatile boolean closing;

        Activity(long moved) {
            this.moved = moved;
        }
    }
}
