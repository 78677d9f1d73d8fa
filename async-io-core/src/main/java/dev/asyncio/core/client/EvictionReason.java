package dev.asyncio.core.client;

/**
 * Why a pool closed one of its connections ({@link ClientListener#evicted}); each eviction also counts in
 * {@link ClientStatistics#evictions()}. Not in LispWorks; Apache Commons Pool and HikariCP tell the same reasons.
 */
public enum EvictionReason {
    /** Idle for {@link PoolOptions#idleTimeout()}. */
    IDLE,
    /** Older than {@link PoolOptions#maxLifetime()} (closed when idle or on release, never under its user). */
    LIFETIME,
    /** It failed the liveness check on acquire (closed, or its reader ended, or {@link PoolOptions#connectionCheck()}). */
    FAILED_CHECK
}
