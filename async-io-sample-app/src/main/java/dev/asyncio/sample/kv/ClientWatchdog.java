package dev.asyncio.sample.kv;

import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

import dev.asyncio.core.WaitStateCollection;

/**
 * Looks at every kv connection periodically, on the loop thread, for what no event reports: a request that has been
 * arriving for longer than its deadline (a client that trickles bytes, or stopped half-way), and replies that stay
 * above the soft output limit (a client that never reads causes no event at all). It also brings each client's share
 * of the {@link ClientOutputBudget} up to date, as writes drain. {@link #PERIOD} is the precision of all three.
 *
 * <p>{@link #add} and the checks run on the loop thread; {@link #start} and {@link #close} on any thread.
 */
final class ClientWatchdog implements AutoCloseable {

    /** How often connections are checked: the precision of the request deadline and of the soft output limit. */
    static final Duration PERIOD = Duration.ofMillis(100);

    private final Set<KvConnection> connections = Collections.newSetFromMap(new IdentityHashMap<>());
    private final LoopTimer timer = new LoopTimer("kv-client-watchdog", PERIOD, this::checkAll);

    /** @param collection the collection whose loop thread serves the connections */
    void start(WaitStateCollection collection) {
        timer.start(collection);
    }

    /** @param connection a new connection to watch until it closes */
    void add(KvConnection connection) {
        connections.add(connection);
    }

    private void checkAll() {
        long now = System.nanoTime();
        // A closed connection is watched once more (it releases its share of the output budget), then leaves.
        for (KvConnection c : connections.toArray(new KvConnection[0])) {
            c.watch(now);
        }
        connections.removeIf(c -> !c.isOpen());
    }

    @Override
    public void close() {
        timer.close();
    }
}
