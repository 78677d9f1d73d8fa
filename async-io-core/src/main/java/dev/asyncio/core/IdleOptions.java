package dev.asyncio.core;

import dev.asyncio.core.internal.loop.Timeouts;

import org.jspecify.annotations.Nullable;

import java.time.Duration;

/**
 * The periods of idle detection on a state ({@link AsyncIoState#detectIdle(IdleOptions, IdleCallback)}): like
 * Netty's {@code IdleStateHandler(readerIdleTime, writerIdleTime, allIdleTime)} and Vert.x's
 * {@code readIdleTimeout}, {@code writeIdleTimeout} and {@code idleTimeout}. Each period is positive, or
 * {@code null} for off; at least one must be set. Immutable.
 *
 * <p><b>What counts as activity.</b>
 * <ul>
 *   <li><i>Reader</i>: a byte read from the socket by a read operation of the state (any kind: {@code readBuffer},
 *       {@code readWithChecking}, a frame reader, {@code receiveMessage}). A state with no read operation
 *       active reads nothing, so it becomes reader-idle, as a Netty channel with {@code autoRead} off does.</li>
 *   <li><i>Writer</i>: a byte handed to the socket. Progress counts, not the start of a write: a large write that
 *       drains slowly keeps the writer busy, while output that sits queued because the peer reads nothing makes the
 *       writer idle (Netty counts completed writes by default, and progress of a pending write with
 *       {@code observeOutput}; this is the latter, which is what finds a stuck peer).</li>
 *   <li><i>All</i>: either of the above.</li>
 * </ul>
 * Over TLS the application's bytes count (what the reads return and the writes accept): handshake and other TLS
 * records alone are not activity. Over UDP a datagram received or sent counts, as it does for a Unix domain socket
 * its bytes.
 *
 * <p>LispWorks has no counterpart: its per-operation {@code :timeout} (here {@link StateOptions#readTimeout()}) ends
 * an operation, where idle detection only tells the application, which decides (close, send a heartbeat, ...).
 */
public final class IdleOptions {

    private final Duration readerIdle;
    private final Duration writerIdle;
    private final Duration allIdle;

    private IdleOptions(Builder b) {
        this.readerIdle = b.readerIdle;
        this.writerIdle = b.writerIdle;
        this.allIdle = b.allIdle;
        if (readerIdle == null && writerIdle == null && allIdle == null) {
            throw new IllegalArgumentException("IdleOptions: set at least one of readerIdle, writerIdle and allIdle "
                    + "(null means off; to stop idle detection call AsyncIoState.stopIdleDetection())");
        }
    }

    /** @return a builder with every period off */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param allIdle positive
     * @return options that detect only all-idle: neither a byte read nor a byte written for {@code allIdle}
     * @throws IllegalArgumentException if {@code allIdle} is null, zero or negative
     */
    public static IdleOptions allIdle(Duration allIdle) {
        if (allIdle == null) {
            throw new IllegalArgumentException("allIdle must be positive, got null");
        }
        return builder().allIdle(allIdle).build();
    }

    /** @return how long no byte may be read before the reader is idle; {@code null} = not detected */
    public @Nullable Duration readerIdle() {
        return readerIdle;
    }

    /** @return how long no byte may be written before the writer is idle; {@code null} = not detected */
    public @Nullable Duration writerIdle() {
        return writerIdle;
    }

    /** @return how long neither may happen before the state is all-idle; {@code null} = not detected */
    public @Nullable Duration allIdle() {
        return allIdle;
    }

    /**
     * @param kind a direction
     * @return that direction's period, {@code null} = not detected
     */
    public @Nullable Duration period(IdleKind kind) {
        return switch (kind) {
            case READER -> readerIdle;
            case WRITER -> writerIdle;
            case ALL -> allIdle;
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdleOptions other && java.util.Objects.equals(readerIdle, other.readerIdle)
                && java.util.Objects.equals(writerIdle, other.writerIdle)
                && java.util.Objects.equals(allIdle, other.allIdle);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(readerIdle, writerIdle, allIdle);
    }

    @Override
    public String toString() {
        return "IdleOptions[reader=" + readerIdle + ", writer=" + writerIdle + ", all=" + allIdle + "]";
    }

    /** Builds {@link IdleOptions}; every period starts off ({@code null}). */
    public static final class Builder {
        private Duration readerIdle;
        private Duration writerIdle;
        private Duration allIdle;

        private Builder() {
        }

        /**
         * @param readerIdle how long no byte may be read; positive, or {@code null} for off
         * @return this
         * @throws IllegalArgumentException if zero or negative
         */
        public Builder readerIdle(@Nullable Duration readerIdle) {
            this.readerIdle = Timeouts.check("readerIdle", readerIdle);
            return this;
        }

        /**
         * @param writerIdle how long no byte may be written; positive, or {@code null} for off
         * @return this
         * @throws IllegalArgumentException if zero or negative
         */
        public Builder writerIdle(@Nullable Duration writerIdle) {
            this.writerIdle = Timeouts.check("writerIdle", writerIdle);
            return this;
        }

        /**
         * @param allIdle how long neither a byte may be read nor one written; positive, or {@code null} for off
         * @return this
         * @throws IllegalArgumentException if zero or negative
         */
        public Builder allIdle(@Nullable Duration allIdle) {
            this.allIdle = Timeouts.check("allIdle", allIdle);
            return this;
        }

        /**
         * @return the options
         * @throws IllegalArgumentException if every period is off
         */
        public IdleOptions build() {
            return new IdleOptions(this);
        }
    }
}
