package dev.asyncio.core.internal.accept;

import dev.asyncio.core.internal.Loggers;
import dev.asyncio.core.internal.loop.DeadlineQueue;
import dev.asyncio.core.internal.loop.EventLoop;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.ServerSocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * What an {@link AcceptEngine} does when {@code accept} fails, typically for lack of file descriptors (EMFILE,
 * ENFILE), where the listening socket stays readable and a naive loop would spin at 100 % CPU while the waiting
 * clients hang:
 * <ol>
 *   <li>with the process's {@link DescriptorReserve}, the waiting connections are accepted and reset at once
 *       (counted in {@link #refusedNoDescriptors()}), so clients learn at once and the socket stops being readable;
 *   <li>without it (or if accepting fails even then) accepting backs off: its interest is dropped for 100 ms,
 *       doubling up to 5 s while failures go on (as Netty and Tomcat pause their acceptors).
 * </ol>
 * An episode (failures until an accept works again) logs one WARN line when it starts and one INFO line when it
 * ends; a new episode within a minute of the last WARN logs at DEBUG, so a limit that is hit again and again does not
 * flood the log (logging may itself need a descriptor: a failure to log is ignored).
 *
 * <p>Runs on the handle's loop thread; the figures are read from any thread.
 */
final class AcceptFailures {

    /** The first pause after a failing accept; it doubles while accept keeps failing. */
    private static final long FIRST_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long MAX_PAUSE_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long WARN_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final Object handle;
    private final EventLoop loop;
    private final Runnable interestChanged;
    private final DescriptorReserve reserve;
    private volatile boolean pausing;
    private volatile long failures;
    private volatile long refusedNoDescriptors;
    /** Failures in a row: the current episode; 0 when accepting works. */
    private volatile int failingInARow;
    /** Whether the last failure backed off (no reserve) rather than refusing with the reserve. */
    private volatile boolean backedOff;
    private long episodeStartNanos;
    private long episodeRefused;
    private boolean episodeWarned;
    private long lastWarnNanos;
    private boolean warnedEver;

    /** Ends a back-off pause; made up front (allocating while out of descriptors may fail). */
    private final DeadlineQueue.Entry resume = new DeadlineQueue.Entry() {
        @Override
        protected void expired(long now) {
            pausing = false;
            interestChanged.run();
        }
    };

    /**
     * @param handle the handle, for log lines
     * @param loop the handle's loop (its clock and deadlines)
     * @param interestChanged re-computes the listening key's interest (loop thread)
     * @param reserve the spare descriptor to refuse with
     */
    AcceptFailures(Object handle, EventLoop loop, Runnable interestChanged, DescriptorReserve reserve) {
        this.handle = handle;
        this.loop = loop;
        this.interestChanged = interestChanged;
        this.reserve = reserve;
        reserve.ensureHeld();
    }

    /**
     * {@code accept} threw: refuse what waits with the reserve, or back off.
     *
     * @param server the listening socket
     * @param e what accept threw
     * @param max the most connections to refuse now
     * @param refuser resets each refused connection
     */
    void failed(ServerSocketChannel server, IOException e, int max, DescriptorReserve.Refuser refuser) {
        failures++;
        int n = ++failingInARow;
        if (n == 1) {
            episodeStartNanos = System.nanoTime();
            episodeRefused = 0;
            episodeWarned = false;
        }
        int refused = reserve.refuseWaiting(server, max, refuser);
        if (refused >= 0) {
            backedOff = false;
            refusedNoDescriptors += refused;
            episodeRefused += refused;
            if (n == 1) {
                warn(() -> handle + ": accept failed (" + e.getMessage() + "): resetting new connections at once "
                        + "until file descriptors are free again; connections already open are served");
            }
            return;
        }
        backedOff = true;
        long pause = Math.min(MAX_PAUSE_NANOS, FIRST_PAUSE_NANOS << Math.min(n - 1, 20));
        pausing = true;
        interestChanged.run();
        loop.deadlines().schedule(resume, loop.now() + pause);
        if (n == 1) {
            warn(() -> handle + ": accept failed (" + e.getMessage() + "); backing off (from 100 ms, doubling up to "
                    + "5 s) until accepting works again");
        }
    }

    /** An accept returned a connection: ends a failing episode. */
    void succeeded() {
        int n = failingInARow;
        if (n == 0) {
            return;
        }
        failingInARow = 0;
        reserve.ensureHeld();
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - episodeStartNanos);
        long refused = episodeRefused;
        log(episodeWarned ? Level.INFO : Level.DEBUG, () -> handle + ": accepting again after " + n
                + " failed accepts in " + millis + " ms (" + refused + " new connections reset meanwhile)");
    }

    private void warn(java.util.function.Supplier<String> message) {
        long now = System.nanoTime();
        boolean due = !warnedEver || now - lastWarnNanos >= WARN_INTERVAL_NANOS;
        if (due) {
            warnedEver = true;
            lastWarnNanos = now;
            episodeWarned = true;
        }
        log(due ? Level.WARNING : Level.DEBUG, message);
    }

    private static void log(Level level, java.util.function.Supplier<String> message) {
        try {
            Loggers.ACCEPT.log(level, message);
        } catch (Throwable ignored) {
            // Out of descriptors, logging may fail too (a first log line opens files): what it reports stands.
        }
    }

    /** @return whether accepting is paused for a back-off now (loop thread) */
    boolean pausing() {
        return pausing;
    }

    /** @return accepts that failed since the handle opened */
    long failures() {
        return failures;
    }

    /** @return connections reset at once because descriptors ran out */
    long refusedNoDescriptors() {
        return refusedNoDescriptors;
    }

    /** @return whether accepting is backing off after failures now */
    boolean backingOff() {
        return failingInARow > 0 && backedOff;
    }
}
