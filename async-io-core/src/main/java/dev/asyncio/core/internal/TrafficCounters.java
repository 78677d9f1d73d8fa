package dev.asyncio.core.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Totals of one collection or one accepting handle, read from any thread for statistics and meters. A handle that
 * spreads its connections over several collections is counted from several loop threads, so the adds are atomic
 * (one locked add each, no allocation, no lock object).
 */
public final class TrafficCounters {
    private static final VarHandle BYTES_READ;
    private static final VarHandle BYTES_WRITTEN;
    private static final VarHandle TIMEOUTS;
    private static final VarHandle ERRORS;
    private static final VarHandle CALLBACK_FAILURES;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            BYTES_READ = l.findVarHandle(TrafficCounters.class, "bytesRead", long.class);
            BYTES_WRITTEN = l.findVarHandle(TrafficCounters.class, "bytesWritten", long.class);
            TIMEOUTS = l.findVarHandle(TrafficCounters.class, "timeouts", long.class);
            ERRORS = l.findVarHandle(TrafficCounters.class, "errors", long.class);
            CALLBACK_FAILURES = l.findVarHandle(TrafficCounters.class, "callbackFailures", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile long bytesRead;
    private volatile long bytesWritten;
    private volatile long timeouts;
    private volatile long errors;
    private volatile long callbackFailures;

    /** @param n bytes read */
    public void addBytesRead(long n) {
        BYTES_READ.getAndAdd(this, n);
    }

    /** @param n bytes written */
    public void addBytesWritten(long n) {
        BYTES_WRITTEN.getAndAdd(this, n);
    }

    /** Counts an operation ended by a timeout. */
    public void timeout() {
        TIMEOUTS.getAndAdd(this, 1L);
    }

    /** Counts an operation ended by an I/O error. */
    public void error() {
        ERRORS.getAndAdd(this, 1L);
    }

    /** Counts a callback that threw. */
    public void callbackFailure() {
        CALLBACK_FAILURES.getAndAdd(this, 1L);
    }

    /** @return bytes read */
    public long bytesRead() {
        return bytesRead;
    }

    /** @return bytes written */
    public long bytesWritten() {
        return bytesWritten;
    }

    /** @return operations ended by a timeout */
    public long timeouts() {
        return timeouts;
    }

    /** @return operations ended by an I/O error */
    public long errors() {
        return errors;
    }

    /** @return callbacks that threw */
    public long callbackFailures() {
        return callbackFailures;
    }
}
