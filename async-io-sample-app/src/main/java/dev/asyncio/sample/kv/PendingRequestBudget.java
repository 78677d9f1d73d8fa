package dev.asyncio.sample.kv;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * The memory that unfinished requests of all connections of one kv server hold together, as the heap retains it:
 * the array in which the core buffers a connection's undiscarded input, at its capacity ({@link InputBufferModel}),
 * and the arguments parsed so far with their array headers and the list holding them
 * ({@code RespRequestParser.heldArgumentHeapBytes}). {@code PendingRequestHeapTest} measures the used heap around
 * hundreds of idle unfinished requests and keeps the charge within 20 % of it. Each connection is bounded on its own (line, bulk and request limits); this
 * bounds their sum, so that a few hundred clients that each start a large request and never finish it cannot run
 * the JVM out of heap (which would take every handle of the loop down with kv). Redis' {@code client-query-buffer-limit}
 * plays the same part.
 *
 * <p>Loop thread only: every kv connection of a server lives in one collection.
 */
final class PendingRequestBudget {

    private final long limit;
    private final Set<KvConnection> holders = Collections.newSetFromMap(new IdentityHashMap<>());
    private long total;

    PendingRequestBudget(long limit) {
        this.limit = limit;
    }

    /**
     * Records what {@code connection} holds now.
     *
     * @return false if that would exceed the budget: the connection must be refused (its share is released)
     */
    boolean hold(KvConnection connection, long held) {
        long delta = held - connection.heldBytes;
        connection.heldBytes = held;
        total += delta;
        if (held > 0) {
            holders.add(connection);
        } else {
            holders.remove(connection);
        }
        if (delta <= 0 || total <= limit) {
            return true;
        }
        // Over budget: first forget connections that were closed from outside (shutdown, the endpoint) without
        // releasing their share, then decide.
        holders.removeIf(c -> {
            if (c.isOpen()) {
                return false;
            }
            total -= c.heldBytes;
            c.heldBytes = 0;
            return true;
        });
        if (total <= limit) {
            return true;
        }
        release(connection);
        return false;
    }

    void release(KvConnection connection) {
        total -= connection.heldBytes;
        connection.heldBytes = 0;
        holders.remove(connection);
    }

    /** @return bytes held now, for tests */
    long total() {
        return total;
    }
}
