package dev.asyncio.sample.kvproxy;

import java.util.concurrent.atomic.AtomicInteger;

import dev.asyncio.core.AcceptingHandle;
import dev.asyncio.core.AsyncIoState;
import dev.asyncio.core.ConnectionFunction;

/**
 * The connection function of the {@code kv-proxy} handle: a Redis-protocol proxy, like twemproxy in front of one
 * server. Each client connection ({@link KvProxyConnection}) forwards its commands to the {@link KvUpstream} and gets
 * the replies back in order; commands that cannot be proxied over shared connections are refused with an error
 * ({@link ProxyCommandPolicy}).
 *
 * <p>Each client gets a lane of its own (a counter): the upstream keeps one lane's commands in order on one
 * connection, and spreads lanes over its connections. Runs on the loop thread of the handle's collection; the
 * function itself holds no per-connection state and serves any number of handles and collections.
 */
public final class KvProxyConnectionFunction implements ConnectionFunction {

    private final KvUpstream upstream;
    private final KvProxySettings settings;
    private final KvProxyStatistics statistics = new KvProxyStatistics();
    private final AtomicInteger lanes = new AtomicInteger();
    private final KvProxyBudget budget;

    /**
     * @param upstream where commands go
     * @param settings what one client may hold
     */
    public KvProxyConnectionFunction(KvUpstream upstream, KvProxySettings settings) {
        this.upstream = upstream;
        this.settings = settings;
        this.budget = new KvProxyBudget(settings.maxTotalPendingBytes());
    }

    /** @return bytes all clients hold now: commands in flight and replies not yet written */
    public long pendingBytes() {
        return budget.total();
    }

    /** @return the proxy's counters */
    public KvProxyStatistics statistics() {
        return statistics;
    }

    /**
     * Serves a new client. Runs on the loop thread.
     *
     * @param handle the accepting handle
     * @param state  the client's connection
     */
    @Override
    public void connected(AcceptingHandle handle, AsyncIoState state) {
        new KvProxyConnection(state, upstream, lanes.getAndIncrement(), settings, statistics, budget).start();
    }
}
