package dev.asyncio.core.client;

import org.jspecify.annotations.Nullable;

import dev.asyncio.core.AsyncIoState;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The limits of a {@link ClientMode#POOL pooled} client. Immutable; {@link #DEFAULTS}: 8 connections, 1000 pending
 * acquires, a 5 s acquire timeout, idle connections closed after 60 s, no lifetime limit, eviction every second,
 * one request at a time per connection.
 *
 * <p>Eviction runs on the client's loop as a timer ({@link dev.asyncio.core.WaitStateCollection#scheduleAtFixedRate}),
 * only while the pool holds connections, so idle and lifetime limits work for TCP clients too (Reactor Netty's do
 * not: reactor-netty #1937). A connection past its lifetime is closed as soon as it is idle, never under a request.
 *
 * <p>Spring Data Redis's {@code pool.max-active}, {@code max-wait}, {@code time-between-eviction-runs}; Spring
 * Integration's {@code CachingClientConnectionFactory(poolSize)} and {@code connectionWaitTimeout}.
 */
public final class PoolOptions {
    /** The defaults. */
    public static final PoolOptions DEFAULTS = builder().build();

    private final int maxConnections;
    private final int maxPendingAcquires;
    private final @Nullable Duration acquireTimeout;
    private final @Nullable Duration idleTimeout;
    private final @Nullable Duration maxLifetime;
    private final Duration evictionInterval;
    private final int maxPipelined;
    private final @Nullable Predicate<AsyncIoState> connectionCheck;

    private PoolOptions(Builder b) {
        this.maxConnections = b.maxConnections;
        this.maxPendingAcquires = b.maxPendingAcquires;
        this.acquireTimeout = b.acquireTimeout;
        this.idleTimeout = b.idleTimeout;
        this.maxLifetime = b.maxLifetime;
        this.evictionInterval = b.evictionInterval;
        this.maxPipelined = b.maxPipelined;
        this.connectionCheck = b.connectionCheck;
    }

    /** @return a builder with the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder with these values */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.maxConnections = maxConnections;
        b.maxPendingAcquires = maxPendingAcquires;
        b.acquireTimeout = acquireTimeout;
        b.idleTimeout = idleTimeout;
        b.maxLifetime = maxLifetime;
        b.evictionInterval = evictionInterval;
        b.maxPipelined = maxPipelined;
        b.connectionCheck = connectionCheck;
        return b;
    }

    /** @return the most connections open at once (busy, idle or connecting) */
    public int maxConnections() {
        return maxConnections;
    }

    /**
     * @return the most acquires (and requests) that may wait for a connection; one more fails at once with
     *         {@link ClientException.Kind#POOL_EXHAUSTED} (0 = never wait)
     */
    public int maxPendingAcquires() {
        return maxPendingAcquires;
    }

    /** @return how long an acquire may wait before {@link ClientException.Kind#ACQUIRE_TIMEOUT}; {@code null} = no limit */
    public @Nullable Duration acquireTimeout() {
        return acquireTimeout;
    }

    /** @return how long a connection may stay idle in the pool before it is closed; {@code null} = forever */
    public @Nullable Duration idleTimeout() {
        return idleTimeout;
    }

    /** @return how long a connection may live (closed when next idle after that); {@code null} = forever */
    public @Nullable Duration maxLifetime() {
        return maxLifetime;
    }

    /** @return how often the eviction timer looks for idle and old connections */
    public Duration evictionInterval() {
        return evictionInterval;
    }

    /**
     * @return how many requests {@link AsyncIoClient#request} may pipeline on one pooled connection before another
     *         connection is used or opened: 1 (the default) = one request at a time per connection, as Spring
     *         Integration's outbound gateway; more = requests share the least busy connection, replies matched FIFO
     */
    public int maxPipelined() {
        return maxPipelined;
    }

    /**
     * @return the liveness check run on the loop thread before an idle connection is handed out (on top of the
     *         built-in one: the state is open and not closing, and for a framed client its reader has not ended); a
     *         connection that fails it is closed and the next one tried; {@code null} = the built-in check only
     *         (Spring Integration's {@code connectionTest}, Netty's {@code ChannelHealthChecker})
     */
    public @Nullable Predicate<AsyncIoState> connectionCheck() {
        return connectionCheck;
    }

    @Override
    public String toString() {
        return "PoolOptions[max=" + maxConnections + " pendingAcquires=" + maxPendingAcquires + " acquireTimeout="
                + acquireTimeout + " idle=" + idleTimeout + " lifetime=" + maxLifetime + " eviction="
                + evictionInterval + " pipelined=" + maxPipelined + "]";
    }

    /** Builds {@link PoolOptions}; each setter checks its argument and names it in {@link IllegalArgumentException}. */
    public static final class Builder {
        private int maxConnections = 8;
        private int maxPendingAcquires = 1000;
        private @Nullable Duration acquireTimeout = Duration.ofSeconds(5);
        private @Nullable Duration idleTimeout = Duration.ofSeconds(60);
        private @Nullable Duration maxLifetime;
        private Duration evictionInterval = Duration.ofSeconds(1);
        private int maxPipelined = 1;
        private @Nullable Predicate<AsyncIoState> connectionCheck;

        private Builder() {
        }

        /** @param maxConnections 1 or more @return this */
        public Builder maxConnections(int maxConnections) {
            if (maxConnections < 1) {
                throw new IllegalArgumentException("pool maxConnections must be 1 or more, got " + maxConnections);
            }
            this.maxConnections = maxConnections;
            return this;
        }

        /** @param maxPendingAcquires 0 or more @return this */
        public Builder maxPendingAcquires(int maxPendingAcquires) {
            if (maxPendingAcquires < 0) {
                throw new IllegalArgumentException("pool maxPendingAcquires must be 0 or more, got "
                        + maxPendingAcquires);
            }
            this.maxPendingAcquires = maxPendingAcquires;
            return this;
        }

        /** @param acquireTimeout positive, or {@code null} for no limit @return this */
        public Builder acquireTimeout(@Nullable Duration acquireTimeout) {
            this.acquireTimeout = positiveOrNull("acquireTimeout", acquireTimeout);
            return this;
        }

        /** @param idleTimeout positive, or {@code null} to keep idle connections @return this */
        public Builder idleTimeout(@Nullable Duration idleTimeout) {
            this.idleTimeout = positiveOrNull("idleTimeout", idleTimeout);
            return this;
        }

        /** @param maxLifetime positive, or {@code null} for no limit @return this */
        public Builder maxLifetime(@Nullable Duration maxLifetime) {
            this.maxLifetime = positiveOrNull("maxLifetime", maxLifetime);
            return this;
        }

        /** @param evictionInterval positive @return this */
        public Builder evictionInterval(Duration evictionInterval) {
            Objects.requireNonNull(evictionInterval, "evictionInterval");
            this.evictionInterval = positiveOrNull("evictionInterval", evictionInterval);
            return this;
        }

        /** @param maxPipelined 1 or more @return this */
        public Builder maxPipelined(int maxPipelined) {
            if (maxPipelined < 1) {
                throw new IllegalArgumentException("pool maxPipelined must be 1 or more, got " + maxPipelined);
            }
            this.maxPipelined = maxPipelined;
            return this;
        }

        /** @param connectionCheck run on the loop thread on acquire; {@code null} = built-in check only @return this */
        public Builder connectionCheck(@Nullable Predicate<AsyncIoState> connectionCheck) {
            this.connectionCheck = connectionCheck;
            return this;
        }

        /** @return the options */
        public PoolOptions build() {
            return new PoolOptions(this);
        }

        private static @Nullable Duration positiveOrNull(String what, @Nullable Duration d) {
            if (d != null && (d.isNegative() || d.isZero())) {
                throw new IllegalArgumentException("pool " + what + " must be positive (or null for none), got " + d);
            }
            return d;
        }
    }
}
