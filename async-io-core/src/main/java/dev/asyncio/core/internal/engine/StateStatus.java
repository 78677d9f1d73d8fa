package dev.asyncio.core.internal.engine;

import dev.asyncio.core.IoStatus;

/**
 * A state's read and write statuses and their causes (LispWorks {@code async-io-state-read-status},
 * {@code -write-status}). Set on the loop thread, read from any thread.
 */
public final class StateStatus {

    private final StateCounters counters;
    private volatile IoStatus readStatus = IoStatus.OK;
    private volatile IoStatus writeStatus = IoStatus.OK;
    private volatile Throwable readFailure;
    private volatile Throwable writeFailure;

    StateStatus(StateCounters counters) {
        this.counters = counters;
    }

    /** @return the read status */
    public IoStatus readStatus() {
        return readStatus;
    }

    /** @return the write status */
    public IoStatus writeStatus() {
        return writeStatus;
    }

    /** @return the cause of a read error */
    public Throwable readFailure() {
        return readFailure;
    }

    /** @return the cause of a write error */
    public Throwable writeFailure() {
        return writeFailure;
    }

    /**
     * @param status the new read status
     * @param cause the failure, or {@code null}
     */
    public void readStatus(IoStatus status, Throwable cause) {
        readStatus = status;
        readFailure = cause;
    }

    /**
     * Sets the write status and counts a failure.
     *
     * @param status the new write status
     * @param cause the failure, or {@code null}
     */
    public void writeFailed(IoStatus status, Throwable cause) {
        writeStatus = status;
        writeFailure = cause;
        counters.failure(status);
    }

    /** A new write starts: a failed write's status is cleared. */
    void writeStarted() {
        if (writeStatus != IoStatus.OK) {
            writeStatus = IoStatus.OK;
            writeFailure = null;
        }
    }
}
