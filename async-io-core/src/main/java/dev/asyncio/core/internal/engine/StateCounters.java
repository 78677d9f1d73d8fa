package dev.asyncio.core.internal.engine;

import dev.asyncio.core.IoStatus;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The byte counts of one state, added to its collection's and its handle's counters as they move. Written by the
 * loop thread only, with opaque stores: other threads see them eventually, with no fence cost.
 */
public final class StateCounters {
    private static final VarHandle BYTES_READ;
    private static final VarHandle BYTES_WRITTEN;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            BYTES_READ = l.findVarHandle(StateCounters.class, "bytesRead", long.class);
            BYTES_WRITTEN = l.findVarHandle(StateCounters.class, "bytesWritten", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final TrafficCounters collection;
    private final TrafficCounters handle;
    @SuppressWarnings("unused")
    private long bytesRead;
    @SuppressWarnings("unused")
    private long bytesWritten;
    /**
     * Idle detection, or {@code null} (the usual case: a state without it is no bigger, and pays one field read per
     * read and per write). Loop thread.
     */
    IdleWatch idle;

    /**
     * @param collection the collection's counters
     * @param handle the handle's counters, or {@code null}
     */
    public StateCounters(TrafficCounters collection, TrafficCounters handle) {
        this.collection = collection;
        this.handle = handle;
    }

    /** @param n bytes read; loop thread */
    public void read(int n) {
        BYTES_READ.setOpaque(this, (long) BYTES_READ.getOpaque(this) + n);
        IdleWatch w = idle;
        if (w != null) {
            w.read();
        }
        collection.addBytesRead(n);
        if (handle != null) {
            handle.addBytesRead(n);
        }
    }

    /** @param n bytes written; loop thread */
    public void written(int n) {
        BYTES_WRITTEN.setOpaque(this, (long) BYTES_WRITTEN.getOpaque(this) + n);
        IdleWatch w = idle;
        if (w != null) {
            w.written();
        }
        collection.addBytesWritten(n);
        if (handle != null) {
            handle.addBytesWritten(n);
        }
    }

    /** @param status counted if it is a timeout or an error */
    public void failure(IoStatus status) {
        if (status == IoStatus.TIMEOUT) {
            collection.timeout();
            if (handle != null) {
                handle.timeout();
            }
        } else if (status == IoStatus.ERROR) {
            collection.error();
            if (handle != null) {
                handle.error();
            }
        }
    }

    /** @return bytes read so far; any thread, maybe a moment behind */
    public long bytesRead() {
        return (long) BYTES_READ.getOpaque(this);
    }

    /** @return bytes written so far; any thread, maybe a moment behind */
    public long bytesWritten() {
        return (long) BYTES_WRITTEN.getOpaque(this);
    }
}
