package dev.asyncio.sample.udp;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A token bucket per source address, in a table of bounded size: each address may be answered {@code rate} times a
 * second on average, in bursts of up to {@code burst}. This bounds what one (possibly spoofed) source can make the
 * UDP echo send, whatever port it claims.
 *
 * <p>When the table is full, buckets that have refilled completely (their sources went quiet, so forgetting them
 * changes nothing) are dropped; if none has, the new source shares one overflow bucket with every other source that
 * finds the table full. So a flood from many spoofed addresses costs at most {@code rate} × ({@code maxSources} + 1)
 * answers a second, and it cannot evict the buckets of sources that are being limited.
 *
 * <p>Not thread-safe: the UDP echo uses it on its loop thread only.
 */
public final class SourceRateLimiter {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    /** How often a full table may be searched for idle buckets: the search is O(table). */
    private static final long PURGE_INTERVAL_NANOS = NANOS_PER_SECOND;

    private final double rate;
    private final double burst;
    private final int maxSources;
    private final LongSupplier nanoClock;
    private final Map<InetAddress, Bucket> buckets = new HashMap<>();
    private final Bucket overflow;
    private long lastPurge;

    /**
     * @param rate       answers per second per source; positive
     * @param burst      the most answers a quiet source gets at once; at least 1
     * @param maxSources the most sources tracked with a bucket of their own; positive
     * @param nanoClock  {@link System#nanoTime()} in production
     * @throws IllegalArgumentException naming the value that is out of range
     */
    public SourceRateLimiter(double rate, int burst, int maxSources, LongSupplier nanoClock) {
        if (!(rate > 0)) {
            throw new IllegalArgumentException("rate must be positive, got " + rate);
        }
        if (burst < 1) {
            throw new IllegalArgumentException("burst must be at least 1, got " + burst);
        }
        if (maxSources < 1) {
            throw new IllegalArgumentException("maxSources must be positive, got " + maxSources);
        }
        this.rate = rate;
        this.burst = burst;
        this.maxSources = maxSources;
        this.nanoClock = nanoClock;
        long now = nanoClock.getAsLong();
        this.overflow = new Bucket(burst, now);
        this.lastPurge = now - PURGE_INTERVAL_NANOS;
    }

    /**
     * Takes one token from the source's bucket.
     *
     * @param source the datagram's sender address
     * @return whether the source may be answered now
     */
    public boolean tryAcquire(InetAddress source) {
        long now = nanoClock.getAsLong();
        Bucket bucket = buckets.get(source);
        if (bucket == null) {
            if (buckets.size() >= maxSources) {
                purgeIdle(now);
            }
            if (buckets.size() >= maxSources) {
                bucket = overflow;
            } else {
                bucket = new Bucket(burst, now);
                buckets.put(source, bucket);
            }
        }
        return bucket.take(now);
    }

    /** @return the sources that have a bucket of their own now (at most {@code maxSources}) */
    public int trackedSources() {
        return buckets.size();
    }

    private void purgeIdle(long now) {
        if (now - lastPurge < PURGE_INTERVAL_NANOS) {
            return;
        }
        lastPurge = now;
        for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext();) {
            Bucket b = it.next();
            b.refill(now);
            if (b.tokens >= burst) {
                it.remove();
            }
        }
    }

    private final class Bucket {
        double tokens;
        long updated;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.updated = now;
        }

        void refill(long now) {
            long elapsed = now - updated;
            if (elapsed > 0) {
                tokens = Math.min(burst, tokens + elapsed * rate / NANOS_PER_SECOND);
                updated = now;
            }
        }

        boolean take(long now) {
            refill(now);
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        }
    }
}
