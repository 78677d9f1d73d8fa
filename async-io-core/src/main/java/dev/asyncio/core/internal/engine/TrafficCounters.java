package dev.asyncio.core.internal.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Totals of one collection or one accepting handle, read from any thread for statistics and meters. Counted by one
 * loop thread, a plain store is enough (no locked instruction on the hot path); a handle that spreads its
 * connections over several collections is counted from several loop threads and uses atomic adds.
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

    private final boolean multiWriter;

    /** Counters written by one thread at a time. */
    public TrafficCounters() {
        this(false);
    }

    /** @param multiWriter whether several threads count at once */
    public TrafficCounters(boolean multiWriter) {
        this.multiWriter = multiWriter;
    }

    private void add(VarHandle field, long n) {
        if (multiWriter) {
            field.getAndAdd(this, n);
        } else {
            // Single writer: no update can be lost, and an opaque store needs no fence.
            field.setOpaque(this, (long) field.getOpaque(this) + n);
        }
    }

    /** @param n bytes read */
    public void addBytesRead(long n) {
        add(BYTES_READ, n);
    }

    /** @param n bytes written */
    public void addBytesWritten(long n) {
        add(BYTES_WRITTEN, n);
    }

    /** Counts an operation ended by a timeout. */
    public void timeout() {
        add(TIMEOUTS, 1L);
    }

    /** Counts an operation ended by an I/O error. */
    public void error() {
        add(ERRORS, 1L);
    }

    /** Counts a callback that threw. */
    public void callbackFailure() {
        add(CALLBACK_FAILURES, 1L);
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
