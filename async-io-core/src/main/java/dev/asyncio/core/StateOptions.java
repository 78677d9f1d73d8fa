package dev.asyncio.core;

import org.jspecify.annotations.Nullable;

import dev.asyncio.core.internal.loop.Timeouts;

import java.time.Duration;
import java.util.Objects;

/**
 * How a new {@link AsyncIoState} behaves: the keyword arguments of LispWorks' {@code create-async-io-state}
 * ({@code name}, {@code user-info}, {@code read-timeout}, {@code write-timeout}, {@code queue-output}) plus the
 * limits that keep a hostile or slow peer from filling the heap.
 *
 * <p>Immutable; {@link #DEFAULTS} holds LispWorks' defaults. A {@code null} timeout means "no timeout", as {@code nil}
 * does. Misuse (a negative size, low water above high water) throws {@link IllegalArgumentException} from the builder.
 */
public final class StateOptions {

    /** Default {@link #maxRead()}: 64 KiB per read attempt. */
    public static final int DEFAULT_MAX_READ = 64 * 1024;
    /** Default {@link #maxBufferedInput()}: 8 MiB of undiscarded read-with-checking input. */
    public static final int DEFAULT_MAX_BUFFERED_INPUT = 8 * 1024 * 1024;
    /** Default {@link #writeHighWaterMark()}: 64 KiB, as Netty. */
    public static final int DEFAULT_HIGH_WATER_MARK = 64 * 1024;
    /** Default {@link #writeLowWaterMark()}: 32 KiB, as Netty. */
    public static final int DEFAULT_LOW_WATER_MARK = 32 * 1024;
    /** Default {@link #maxQueuedOutput()}: 4 MiB of accepted but unwritten output. */
    public static final long DEFAULT_MAX_QUEUED_OUTPUT = 4L * 1024 * 1024;

    /** LispWorks' defaults: no name, no user info, no timeouts, {@code queueOutput} off. */
    public static final StateOptions DEFAULTS = builder().build();

    private final String name;
    private final Object userInfo;
    private final Duration readTimeout;
    private final Duration readDeadline;
    private final Duration writeTimeout;
    private final boolean queueOutput;
    private final int maxRead;
    private final int maxBufferedInput;
    private final int writeHighWaterMark;
    private final int writeLowWaterMark;
    private final long maxQueuedOutput;
    private final StateCallback writabilityCallback;
    private final Boolean ipv6;
    private final StateCallback closedCallback;

    private StateOptions(Builder b) {
        this.name = b.name;
        this.userInfo = b.userInfo;
        this.readTimeout = b.readTimeout;
        this.readDeadline = b.readDeadline;
        this.writeTimeout = b.writeTimeout;
        this.queueOutput = b.queueOutput;
        this.maxRead = b.maxRead;
        this.maxBufferedInput = b.maxBufferedInput;
        this.writeHighWaterMark = b.writeHighWaterMark;
        this.writeLowWaterMark = b.writeLowWaterMark;
        this.maxQueuedOutput = b.maxQueuedOutput;
        this.writabilityCallback = b.writabilityCallback;
        this.ipv6 = b.ipv6;
        this.closedCallback = b.closedCallback;
    }

    /** @return a builder with LispWorks' defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder that starts from these options */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.name = name;
        b.userInfo = userInfo;
        b.readTimeout = readTimeout;
        b.readDeadline = readDeadline;
        b.writeTimeout = writeTimeout;
        b.queueOutput = queueOutput;
        b.maxRead = maxRead;
        b.maxBufferedInput = maxBufferedInput;
        b.writeHighWaterMark = writeHighWaterMark;
        b.writeLowWaterMark = writeLowWaterMark;
        b.maxQueuedOutput = maxQueuedOutput;
        b.writabilityCallback = writabilityCallback;
        b.ipv6 = ipv6;
        b.closedCallback = closedCallback;
        return b;
    }

    /** @return the state's name, for printing and listing; {@code null} = a generated one */
    public @Nullable String name() {
        return name;
    }

    /** @return the application's object kept on the state; never used by the library */
    public Object userInfo() {
        return userInfo;
    }

    /** @return how long a read operation may go without progress; {@code null} = no timeout */
    public @Nullable Duration readTimeout() {
        return readTimeout;
    }

    /**
     * @return the total deadline of a read, {@code null} = none (the default). Unlike the idle
     *         {@link #readTimeout()}, bytes that trickle in do not restart it: a read-buffer, wait-for-input or
     *         datagram receive must complete within it from its start; a read-with-checking must complete each
     *         message within it, counted from the message's first byte until a callback leaves no input
     *         undiscarded. At the deadline the operation ends with {@link IoStatus#TIMEOUT}, as at the idle
     *         timeout. Beyond LispWorks: the slowloris defence.
     */
    public @Nullable Duration readDeadline() {
        return readDeadline;
    }

    /** @return how long a write operation may go without progress; {@code null} = no timeout */
    public @Nullable Duration writeTimeout() {
        return writeTimeout;
    }

    /** @return whether a write started while another is active is queued (true) or refused (false, LispWorks' default for TCP) */
    public boolean queueOutput() {
        return queueOutput;
    }

    /** @return the most bytes read from the socket between two read-with-checking callbacks */
    public int maxRead() {
        return maxRead;
    }

    /** @return the most undiscarded read-with-checking input a state keeps before the read fails with {@link InputLimitExceededException} */
    public int maxBufferedInput() {
        return maxBufferedInput;
    }

    /** @return queued output, in bytes, at or above which the state reports itself not writable */
    public int writeHighWaterMark() {
        return writeHighWaterMark;
    }

    /** @return queued output, in bytes, at or below which a not-writable state becomes writable again */
    public int writeLowWaterMark() {
        return writeLowWaterMark;
    }

    /** @return queued output, in bytes, at or above which {@link AsyncIoState#writeBuffer} refuses more with {@link OutputLimitExceededException} */
    public long maxQueuedOutput() {
        return maxQueuedOutput;
    }

    /** @return called on the loop thread whenever {@link AsyncIoState#isWritable()} changes; {@code null} = none */
    public @Nullable StateCallback writabilityCallback() {
        return writabilityCallback;
    }

    /**
     * @return LispWorks' {@code :ipv6} of {@code create-async-io-state}: the family host names resolve in when an
     *         unconnected UDP state made by {@link WaitStateCollection#createState(java.nio.channels.DatagramChannel,
     *         StateOptions)} sends to a host name; {@code null} (the default) = the channel's own family
     */
    public @Nullable Boolean ipv6() {
        return ipv6;
    }

    /**
     * @return called once when the state closes, whichever way it closes (graceful close, abort, EOF handling, its
     *         collection closing); {@code null} = none
     */
    public @Nullable StateCallback closedCallback() {
        return closedCallback;
    }

    /** Builds {@link StateOptions}; every setter checks its argument and throws {@link IllegalArgumentException}. */
    public static final class Builder {
        private String name;
        private Object userInfo;
        private Duration readTimeout;
        private Duration readDeadline;
        private Duration writeTimeout;
        private boolean queueOutput;
        private int maxRead = DEFAULT_MAX_READ;
        private int maxBufferedInput = DEFAULT_MAX_BUFFERED_INPUT;
        private int writeHighWaterMark = DEFAULT_HIGH_WATER_MARK;
        private int writeLowWaterMark = DEFAULT_LOW_WATER_MARK;
        private long maxQueuedOutput = DEFAULT_MAX_QUEUED_OUTPUT;
        private StateCallback writabilityCallback;
        private Boolean ipv6;
        private StateCallback closedCallback;

        private Builder() {
        }

        /** @param name the state's name (LispWorks {@code :name}); {@code null} = generated @return this */
        public Builder name(@Nullable String name) {
            this.name = name;
            return this;
        }

        /** @param userInfo the application's object (LispWorks {@code :user-info}) @return this */
        public Builder userInfo(Object userInfo) {
            this.userInfo = userInfo;
            return this;
        }

        /**
         * @param readDeadline the total deadline of a read, positive, or {@code null} for none (see
         *                     {@link StateOptions#readDeadline()}); beyond LispWorks
         * @return this
         */
        public Builder readDeadline(@Nullable Duration readDeadline) {
            this.readDeadline = Timeouts.check("readDeadline", readDeadline);
            return this;
        }

        /** @param readTimeout positive, or {@code null} for none (LispWorks {@code :read-timeout}) @return this */
        public Builder readTimeout(@Nullable Duration readTimeout) {
            this.readTimeout = Timeouts.check("readTimeout", readTimeout);
            return this;
        }

        /** @param writeTimeout positive, or {@code null} for none (LispWorks {@code :write-timeout}) @return this */
        public Builder writeTimeout(@Nullable Duration writeTimeout) {
            this.writeTimeout = Timeouts.check("writeTimeout", writeTimeout);
            return this;
        }

        /** @param queueOutput whether concurrent writes queue (LispWorks {@code :queue-output}) @return this */
        public Builder queueOutput(boolean queueOutput) {
            this.queueOutput = queueOutput;
            return this;
        }

        /** @param maxRead positive byte count (LispWorks {@code async-io-state-max-read}) @return this */
        public Builder maxRead(int maxRead) {
            this.maxRead = positive("maxRead", maxRead);
            return this;
        }

        /** @param maxBufferedInput positive byte count @return this */
        public Builder maxBufferedInput(int maxBufferedInput) {
            this.maxBufferedInput = positive("maxBufferedInput", maxBufferedInput);
            return this;
        }

        /**
         * @param low queued bytes at or below which the state is writable again (0 or more)
         * @param high queued bytes at or above which the state is not writable (more than {@code low})
         * @return this
         */
        public Builder writeWaterMarks(int low, int high) {
            if (low < 0 || high <= low) {
                throw new IllegalArgumentException("write water marks need 0 <= low < high, got low=" + low
                        + " high=" + high);
            }
            this.writeLowWaterMark = low;
            this.writeHighWaterMark = high;
            return this;
        }

        /** @param maxQueuedOutput positive byte count @return this */
        public Builder maxQueuedOutput(long maxQueuedOutput) {
            if (maxQueuedOutput <= 0) {
                throw new IllegalArgumentException("maxQueuedOutput must be positive, got " + maxQueuedOutput);
            }
            this.maxQueuedOutput = maxQueuedOutput;
            return this;
        }

        /** @param writabilityCallback called on the loop thread when writability changes; {@code null} = none @return this */
        public Builder writabilityCallback(@Nullable StateCallback writabilityCallback) {
            this.writabilityCallback = writabilityCallback;
            return this;
        }

        /**
         * LispWorks' {@code :ipv6} of {@code create-async-io-state}, for wrapped UDP channels only (sockets this
         * library makes know their family): which family host names resolve in for
         * {@link AsyncIoState#sendMessageToAddress(String, int, byte[], int, int, StateCallback)}. It must match the
         * socket: {@code true} on an IPv4 socket, or {@code false} on one bound to a specific IPv6 address, makes
         * {@code createState} throw {@link IllegalArgumentException}. {@code true} on a dual-stack socket (bound to
         * {@code ::}) makes the state IPv6-only, as {@link IpFamily#IPV6}: IPv4 senders are ignored.
         *
         * @param ipv6 true = IPv6, false = IPv4, {@code null} = the channel's own family (the default; an unbound
         *             channel is bound to its family's wildcard to learn it, as its first send would)
         * @return this
         */
        public Builder ipv6(@Nullable Boolean ipv6) {
            this.ipv6 = ipv6;
            return this;
        }

        /**
         * Sets a callback that hears of the state's close exactly once, on the loop thread (or on the thread that closes
         * the collection after its loop ended), after the socket is closed and the state left its collection and
         * handle. It runs under the collection's {@link CallbackErrorPolicy}; it must not block. Meant for
         * bookkeeping that must see every close: metrics, observations, drains.
         *
         * @param closedCallback {@code (state)}; {@code null} = none
         * @return this
         */
        public Builder closedCallback(@Nullable StateCallback closedCallback) {
            this.closedCallback = closedCallback;
            return this;
        }

        /** @return the options */
        public StateOptions build() {
            return new StateOptions(this);
        }

        private static int positive(String what, int value) {
            if (value <= 0) {
                throw new IllegalArgumentException(what + " must be positive, got " + value);
            }
            return value;
        }
    }
}
