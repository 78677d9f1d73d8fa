package dev.asyncio.sample.kvproxy;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What all clients of one {@code kv-proxy} hold together: commands in flight and replies not yet handed to the
 * output. Above {@code limit} every client stops reading new commands (those in flight still complete), so a crowd
 * of pipelining clients cannot make the proxy hold more than about the limit plus the replies already on their way.
 * Thread-safe: connections on several loops update it.
 */
final class KvProxyBudget {

    private final long limit;
    private final AtomicLong total = new AtomicLong();

    /** @param limit bytes all clients together may hold before they stop reading; positive */
    KvProxyBudget(long limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive, got " + limit);
        }
        this.limit = limit;
    }

    void add(long delta) {
        total.addAndGet(delta);
    }

    boolean over() {
        return total.get() >= limit;
    }

    /** @return bytes held by all clients now */
    long total() {
        return total.get();
    }
}
