package dev.asyncio.core.internal;

/** The rate limit of {@code CallbackErrorPolicy.LOG}: one line a second for all collections of the process. */
public final class CallbackLog {
    /** Where failed callbacks are logged, at most one line a second. */
    public static final LogLimiter ERRORS = new LogLimiter(Loggers.CALLBACKS, 1);

    private CallbackLog() {
    }
}
