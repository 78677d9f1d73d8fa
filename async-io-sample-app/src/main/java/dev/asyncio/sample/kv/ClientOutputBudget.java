package dev.asyncio.sample.kv;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * The unsent replies of all clients of one kv server together, capped like Redis 7's {@code maxmemory-clients}: when
 * the total passes {@code sample.kv.max-client-output-bytes}, the clients holding the most are disconnected, biggest
 * first, until it is back under. The per-client {@link ClientOutputLimit} bounds one client and how long it may hold;
 * this bounds a crowd: a hundred clients that each ask for a 4 MiB reply and never read would otherwise pin 400 MiB
 * for the soft time (measured on the packaged app: 429 MB live of a 512 MB heap).
 *
 * <p>A connection's share is what it has queued and not yet written; it is updated after each batch of replies and
 * by the {@link ClientWatchdog} (writes drain without telling us). Loop thread only.
 */
final class ClientOutputBudget {

    private final long limit;
    private final Set<KvConnection> holders = Collections.newSetFromMap(new IdentityHashMap<>());
    private long total;

    /** @param limit bytes of unsent replies all clients together may hold; positive */
    ClientOutputBudget(long limit) {
        this.limit = limit;
    }

    /**
     * Records what {@code connection} holds now.
     *
     * @param connection the client
     * @param pending    its unsent reply bytes
     */
    void hold(KvConnection connection, long pending) {
        total += pending - connection.outputShare;
        connection.outputShare = pending;
        if (pending > 0) {
            holders.add(connection);
        } else {
            holders.remove(connection);
        }
    }

    /** @param connection a client that closed or was disconnected: its share is released */
    void release(KvConnection connection) {
        hold(connection, 0);
    }

    /**
     * @return the clients to disconnect, biggest holder first, so that the rest fits in the budget; empty when it fits
     */
    List<KvConnection> overBudget() {
        if (total <= limit) {
            return List.of();
        }
        List<KvConnection> biggestFirst = new ArrayList<>(holders);
        biggestFirst.sort(Comparator.comparingLong((KvConnection c) -> c.outputShare).reversed());
        List<KvConnection> shed = new ArrayList<>();
        long left = total;
        for (KvConnection c : biggestFirst) {
            if (left <= limit) {
                break;
            }
            shed.add(c);
            left -= c.outputShare;
        }
        return shed;
    }

    /** @return bytes held now */
    long total() {
        return total;
    }
}
