package dev.asyncio.core.internal;

/**
 * Totals of one collection or one accepting handle. Written by the loop thread only, so a volatile field and a
 * plain add are enough (no atomics); read from any thread for statistics and meters.
 */
public final class TrafficCounters {
    private volatile long bytesRead;
    private volatile long bytesWritten;
    private volatile long timeouts;
    private volatile long errors;
    private volatile long callbackFailures;

    // Single writer (the loop thread): the read-modify-write below cannot lose updates.
    @SuppressWarnings("NonAtomicOperationOnVolatileField")
    public void addBytesRead(long n) {
        bytesRead += n;
    }

    @SuppressWarnings("NonAtomicOperationOnVolatileField")
    public void addBytesWritten(long n) {
        bytesWritten += n;
    }

    @SuppressWarnings("NonAtomicOperationOnVolatileField")
    public void timeout() {
        timeouts++;
    }

    @SuppressWarnings("NonAtomicOperationOnVolatileField")
    public void error() {
        errors++;
    }

    @SuppressWarnings("NonAtomicOperationOnVolatileField")
    public void callbackFailure() {
        callbackFailures++;
    }

    public long bytesRead() {
        return bytesRead;
    }

    public long bytesWritten() {
        return bytesWritten;
    }

    public long timeouts() {
        return timeouts;
    }

    public long errors() {
        return errors;
    }

    public long callbackFailures() {
        return callbackFailures;
    }
}
