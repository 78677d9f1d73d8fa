package dev.asyncio.core;

import dev.asyncio.core.internal.CallbackLog;
import dev.asyncio.core.internal.Loggers;

import java.lang.System.Logger.Level;

/**
 * What a collection does when a callback throws: LispWorks' {@code :handler} argument of
 * {@code create-and-run-wait-state-collection}. A failing callback never ends the loop, whatever the policy; every
 * failure is counted in {@link CollectionStatistics#callbackFailures()}.
 *
 * <p>Before the policy runs, the operation whose callback threw is ended (a read-with-checking that threw is
 * finished, so it is not called again with the same data). The policy then decides about the state:
 * {@link #LOG} keeps it open, {@link #CLOSE_STATE} closes it, a custom policy does what it likes (it runs on the
 * loop thread and may call {@link AsyncIoState#abortAndClose} or anything else).
 */
@FunctionalInterface
public interface CallbackErrorPolicy {

    /**
     * Log the exception with its stack trace (level ERROR) and keep the state open (LispWorks {@code :handler t}).
     * The default. At most one line a second is logged, the next one saying how many were left out: a peer that can
     * make a callback throw must not be able to flood the log.
     */
    CallbackErrorPolicy LOG = failure -> CallbackLog.ERRORS.log(Level.ERROR,
            () -> "Callback failed on " + describe(failure), failure.exception());

    /** Log the exception, then abort and close the state whose callback failed. */
    CallbackErrorPolicy CLOSE_STATE = failure -> {
        LOG.callbackFailed(failure);
        if (failure.state() != null) {
            failure.state().abortAndClose(false, null);
        }
    };

    /** Keep the state open and log nothing beyond a DEBUG line (LispWorks {@code :handler :abort}). */
    CallbackErrorPolicy SILENT = failure -> Loggers.CALLBACKS.log(Level.DEBUG,
            () -> "Callback failed on " + describe(failure), failure.exception());

    /**
     * Decides what follows a failed callback. Runs on the loop thread; an exception thrown here is logged and
     * otherwise ignored.
     *
     * @param failure what failed, and where
     */
    void callbackFailed(CallbackFailure failure);

    private static String describe(CallbackFailure failure) {
        if (failure.state() != null) {
            return failure.state().toString();
        }
        if (failure.handle() != null) {
            return failure.handle().toString();
        }
        return failure.collection().toString();
    }
}
