package dev.asyncio.sample.kv;

/**
 * Applies a {@link ClientOutputLimit} to one connection: remembers since when its unsent replies are above the soft
 * limit. It is consulted after every batch of replies and by the {@link ClientWatchdog} (a client that never reads
 * causes no event of its own), so "above since" is reset within one watchdog period of the output draining.
 *
 * <p>Loop thread only.
 */
final class OutputLimitTracker {

    private static final long NOT_ABOVE = Long.MIN_VALUE;

    private final ClientOutputLimit limit;
    private long aboveSoftSince = NOT_ABOVE;

    OutputLimitTracker(ClientOutputLimit limit) {
        this.limit = limit;
    }

    /**
     * @param pendingBytes unsent reply bytes now
     * @param nowNanos     {@link System#nanoTime()}
     * @return why the client must be disconnected, or {@code null} while it is within the limit
     */
    String check(long pendingBytes, long nowNanos) {
        if (pendingBytes > limit.hardBytes()) {
            return pendingBytes + " bytes of unread replies exceed the hard limit of " + limit.hardBytes()
                    + " (sample.kv.client-output-hard-limit)";
        }
        if (pendingBytes <= limit.softBytes()) {
            aboveSoftSince = NOT_ABOVE;
            return null;
        }
        if (aboveSoftSince == NOT_ABOVE) {
            aboveSoftSince = nowNanos;
            return null;
        }
        if (nowNanos - aboveSoftSince >= limit.softTime().toNanos()) {
            return "unread replies stayed above the soft limit of " + limit.softBytes() + " bytes for "
                    + limit.softTime().toMillis() + " ms (sample.kv.client-output-soft-limit/-soft-time), "
                    + pendingBytes + " bytes now";
        }
        return null;
    }
}
