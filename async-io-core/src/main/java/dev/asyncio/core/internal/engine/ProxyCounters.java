package dev.asyncio.core.internal.engine;

import dev.asyncio.core.ProxyProtocol;
import dev.asyncio.core.ProxyProtocolStatistics;

import java.util.concurrent.atomic.LongAdder;

/**
 * The PROXY protocol outcomes of one accepting handle: one per connection, from whichever loop serves it (with
 * {@code spreadOver}, several), read from any thread.
 */
public final class ProxyCounters {
    private final ProxyProtocol mode;
    private final LongAdder accepted = new LongAdder();
    private final LongAdder direct = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder timeouts = new LongAdder();

    /** @param mode the handle's mode, for the statistics */
    public ProxyCounters(ProxyProtocol mode) {
        this.mode = mode;
    }

    /** @return the handle's mode */
    public ProxyProtocol mode() {
        return mode;
    }

    void accepted() {
        accepted.increment();
    }

    void direct() {
        direct.increment();
    }

    void rejected() {
        rejected.increment();
    }

    void timedOut() {
        timeouts.increment();
    }

    /** @return a snapshot of the counts */
    public ProxyProtocolStatistics snapshot() {
        return new ProxyProtocolStatistics(mode, accepted.sum(), direct.sum(), rejected.sum(), timeouts.sum());
    }
}
