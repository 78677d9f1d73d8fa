package dev.asyncio.sample.kvproxy;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of {@code kv-proxy}, shared by its connections (which may run on several loops), read by the meters
 * {@code sample.kv-proxy.commands{outcome}} and the dashboard. Thread-safe.
 */
public final class KvProxyStatistics {

    private final LongAdder forwarded = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder upstreamErrors = new LongAdder();
    private final LongAdder protocolErrors = new LongAdder();
    private final LongAdder outputLimitDisconnections = new LongAdder();

    void outputLimitDisconnection() {
        outputLimitDisconnections.increment();
    }

    /** @return clients closed because replies they did not take passed the hard limit */
    public long outputLimitDisconnections() {
        return outputLimitDisconnections.sum();
    }

    void forwarded() {
        forwarded.increment();
    }

    void refused() {
        refused.increment();
    }

    void upstreamError() {
        upstreamErrors.increment();
    }

    void protocolError() {
        protocolErrors.increment();
    }

    /** @return commands sent to the upstream */
    public long forwardedCommands() {
        return forwarded.sum();
    }

    /** @return commands answered with an error because the proxy does not proxy them */
    public long refusedCommands() {
        return refused.sum();
    }

    /** @return commands answered with an error because the upstream was unavailable, broke or timed out */
    public long upstreamErrors() {
        return upstreamErrors.sum();
    }

    /** @return client connections closed after a malformed or over-limit command */
    public long protocolErrors() {
        return protocolErrors.sum();
    }
}
