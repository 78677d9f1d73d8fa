package dev.asyncio.core;

import java.time.Duration;

/**
 * Told of each failed attempt while an {@link AcceptingHandle} retries a busy port for its
 * {@link AcceptOptions#initTimeout() init timeout} (LispWorks {@code :init-timeout}), so that a caller can report
 * progress and give up early. Set with {@link AcceptOptions.Builder#bindRetryListener(BindRetryListener)}.
 *
 * <p>Threading: every method runs on the thread that binds — the caller of
 * {@link WaitStateCollection#acceptTcpConnections} (never a loop thread: there a busy port is tried once and the
 * listener is not called), or the thread {@code acceptTcpConnectionsLater} binds on. It may block (for example to
 * probe the port), which delays the next attempt by as long.
 *
 * <p>Only a port in use ({@link BindFailedException#portInUse()}) is retried; any other failure, and the last
 * attempt once the init timeout has passed, fail without calling the listener.
 */
@FunctionalInterface
public interface BindRetryListener {

    /** Keeps retrying until the init timeout, silently: the default. */
    BindRetryListener NONE = (attempt, elapsed, cause) -> true;

    /**
     * Called after a failed attempt on a busy port, before the pause that precedes the next attempt.
     *
     * @param attempt how many attempts have failed so far, from 1
     * @param elapsed how long since the first attempt started, on {@link #nanoTime()}
     * @param cause the failure of this attempt ({@link BindFailedException#portInUse()} is {@code true}); its
     *              socket is already closed
     * @return {@code true} to retry after a pause; {@code false} to give up now, so that the bind throws
     *         {@code cause} (with the time waited so far). A runtime exception thrown here ends the bind too and
     *         reaches the binding caller unchanged.
     */
    boolean retrying(int attempt, Duration elapsed, BindFailedException cause);

    /**
     * The clock the retry reads for its deadline and for {@code elapsed}.
     *
     * @return {@link System#nanoTime()}; override only to run a long init timeout on a simulated clock in a test
     */
    default long nanoTime() {
        return System.nanoTime();
    }

    /**
     * Waits between two attempts (50 ms, doubling up to 1 s, never past the deadline).
     *
     * @param millis how long to wait, 1 or more
     * @throws InterruptedException when the binding thread is interrupted: the bind then fails with the last cause
     *         and the thread's interrupt flag set
     */
    default void pause(long millis) throws InterruptedException {
        Thread.sleep(millis);
    }
}
