package dev.asyncio.core;

/**
 * A context that the user code of one state runs in, such as a tracing span or an observation: set on a state with
 * {@link AsyncIoState#setCallbackScope}, it is opened on the loop thread just before each callback of that state runs
 * (read, write, wait-for-input, close and writability callbacks, and the error policy's handling of what one throws)
 * and closed just after, on the same thread, in the reverse order of opening when scopes nest.
 *
 * <p>The seam that lets an integration (the Spring Boot starter's Micrometer observation) make a connection's trace
 * current in user code without the core depending on it. A state without a scope pays one field read per callback.
 * If {@link #open} or {@link Opened#close} throws, the failure is logged (rate-limited) and the callback still runs
 * (without the scope); it never reaches the loop.
 *
 * <p>Beyond LispWorks: no counterpart.
 */
@FunctionalInterface
public interface CallbackScope {

    /**
     * Opens the scope; called on the loop thread just before a callback of the state.
     *
     * @return what closes it, called on the same thread just after the callback; never {@code null}
     */
    Opened open();

    /** An open scope. */
    @FunctionalInterface
    interface Opened {

        /** Closes the scope, restoring what was current before it opened; loop thread. */
        void close();
    }
}
