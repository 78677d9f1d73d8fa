package dev.asyncio.core.internal.engine;

import dev.asyncio.core.internal.LogLimiter;
import dev.asyncio.core.internal.Loggers;

import java.lang.System.Logger.Level;

/**
 * Closes a state that a failed callback left with nothing in flight (issue 17). Under the default
 * {@code CallbackErrorPolicy.LOG} a failing callback loses its operation, as LispWorks' {@code :handler} aborts it;
 * if nothing else is in flight (no read, no write queued, no TLS or connect work, no graceful close), the socket is
 * never selected again: the peer's close goes unnoticed and the state stays open, and counted active, for ever. The
 * check runs from the loop's task queue, once the engine code that called the callback has finished, so a callback
 * that started its next operation before it threw keeps its state; output still in flight is waited for (the check
 * runs again when it has drained), since it ends by itself and then nothing would be left. Loop thread.
 */
final class AbandonedStates {

    private static final LogLimiter LOG = new LogLimiter(Loggers.CALLBACKS, 10);

    private AbandonedStates() {
    }

    /** @param state a state whose callback just threw (the failure is recorded on it) */
    static void checkAfterFailure(StateEngine state) {
        if (state.isOpen()) {
            state.loop().submitIfOpen(() -> closeIfAbandoned(state));
        }
    }

    private static void closeIfAbandoned(StateEngine state) {
        Throwable failure = state.callbackFailure();
        if (failure == null || !state.isOpen()) {
            return;
        }
        if (state.keepsWorking()) {
            // The callback (or the policy) left it working: it goes on, and its later close is not this failure's.
            state.clearCallbackFailure();
            return;
        }
        if (state.outputInFlight()) {
            return; // looked at again once the output has drained
        }
        // The failure itself was logged by the policy already: no stack trace twice.
        LOG.log(Level.WARNING, () -> state + ": closed: its callback failed (" + failure + ") and left no operation "
                + "in flight, so nothing would ever read from it again", null);
        state.closeNow(false);
    }
}
