package dev.asyncio.core.client;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * When a client tries again after a failed connect or a dropped connection: exponential backoff with jitter, reset
 * by a successful connect. Immutable; {@link #DEFAULTS}: first retry after 100 ms, ×2 each time, at most 30 s
 * apart, ±20 % jitter, unlimited attempts.
 *
 * <p>After a connection that was up drops, the first attempt is made at once; the delay after the n-th failed
 * attempt in a row ({@code n} ≥ 1) is {@code min(maxInterval, initialInterval × multiplier^(n-1))}, then moved by a
 * random fraction of itself within ±{@link #jitter()}. With several addresses the next address of the round is
 * tried at once, and the backoff applies once every address of the round has failed.
 *
 * <p>Spring's {@code spring.rabbitmq.listener.simple.retry.*} names ({@code initial-interval}, {@code multiplier},
 * {@code max-interval}, {@code max-attempts}); Spring Integration IP retries every 60 s without backoff.
 */
public final class ReconnectPolicy {
    /** The defaults. */
    public static final ReconnectPolicy DEFAULTS = builder().build();
    /** Never retries: the client is {@link ClientState#FAILED} after its first failed attempt (or drop). */
    public static final ReconnectPolicy NEVER = builder().maxAttempts(1).build();

    private final Duration initialInterval;
    private final double multiplier;
    private final Duration maxInterval;
    private final double jitter;
    private final int maxAttempts;

    private ReconnectPolicy(Builder b) {
        if (b.maxInterval.compareTo(b.initialInterval) < 0) {
            throw new IllegalArgumentException("reconnect maxInterval (" + b.maxInterval
                    + ") must be at least initialInterval (" + b.initialInterval + ")");
        }
        this.initialInterval = b.initialInterval;
        this.multiplier = b.multiplier;
        this.maxInterval = b.maxInterval;
        this.jitter = b.jitter;
        this.maxAttempts = b.maxAttempts;
    }

    /** @return a builder with the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder with these values */
    public Builder toBuilder() {
        return new Builder().initialInterval(initialInterval).multiplier(multiplier).maxInterval(maxInterval)
                .jitter(jitter).maxAttempts(maxAttempts);
    }

    /** @return the delay after the first failure */
    public Duration initialInterval() {
        return initialInterval;
    }

    /** @return what each further failure multiplies the delay by, 1 or more */
    public double multiplier() {
        return multiplier;
    }

    /** @return the longest delay (before jitter) */
    public Duration maxInterval() {
        return maxInterval;
    }

    /** @return the jitter as a fraction 0 to 1 of the delay: 0.2 = ±20 % */
    public double jitter() {
        return jitter;
    }

    /** @return how many attempts in a row may fail before the client gives up ({@link ClientState#FAILED}); 0 = no limit */
    public int maxAttempts() {
        return maxAttempts;
    }

    /**
     * The delay before the next attempt after {@code failures} failed attempts (or rounds of addresses) in a row.
     * Pure: tests and health pages may call it.
     *
     * @param failures 1 or more
     * @param random where the jitter comes from ({@link ClientOptions#random()})
     * @return the delay, zero or more
     * @throws IllegalArgumentException if {@code failures} is less than 1
     */
    public Duration delay(int failures, RandomGenerator random) {
        if (failures < 1) {
            throw new IllegalArgumentException("failures must be 1 or more, got " + failures);
        }
        double base = initialInterval.toNanos() * Math.pow(multiplier, failures - 1);
        double capped = Math.min(base, (double) maxInterval.toNanos());
        double moved = jitter == 0 ? capped : capped * (1 + jitter * (2 * random.nextDouble() - 1));
        return Duration.ofNanos(Math.max(0, (long) moved));
    }

    @Override
    public String toString() {
        return "ReconnectPolicy[initial=" + initialInterval + " x" + multiplier + " max=" + maxInterval
                + " jitter=" + jitter + " maxAttempts=" + (maxAttempts == 0 ? "unlimited" : maxAttempts) + "]";
    }

    /** Builds a {@link ReconnectPolicy}; each setter checks its argument and names it in {@link IllegalArgumentException}. */
    public static final class Builder {
        private Duration initialInterval = Duration.ofMillis(100);
        private double multiplier = 2.0;
        private Duration maxInterval = Duration.ofSeconds(30);
        private double jitter = 0.2;
        private int maxAttempts;

        private Builder() {
        }

        /** @param initialInterval zero or more: the delay after the first failure @return this */
        public Builder initialInterval(Duration initialInterval) {
            this.initialInterval = nonNegative("initialInterval", initialInterval);
            return this;
        }

        /** @param multiplier 1 or more @return this */
        public Builder multiplier(double multiplier) {
            if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
                throw new IllegalArgumentException("reconnect multiplier must be 1 or more, got " + multiplier);
            }
            this.multiplier = multiplier;
            return this;
        }

        /** @param maxInterval zero or more, at least {@code initialInterval} @return this */
        public Builder maxInterval(Duration maxInterval) {
            this.maxInterval = nonNegative("maxInterval", maxInterval);
            return this;
        }

        /** @param jitter 0 to 1: the fraction by which each delay may move either way @return this */
        public Builder jitter(double jitter) {
            if (!(jitter >= 0.0 && jitter <= 1.0)) {
                throw new IllegalArgumentException("reconnect jitter must be 0 to 1, got " + jitter);
            }
            this.jitter = jitter;
            return this;
        }

        /** @param maxAttempts failed attempts in a row before giving up, 1 or more; 0 = no limit (the default) @return this */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 0) {
                throw new IllegalArgumentException("reconnect maxAttempts must be 0 (no limit) or more, got "
                        + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /**
         * @return the policy
         * @throws IllegalArgumentException if {@code maxInterval} is less than {@code initialInterval}
         */
        public ReconnectPolicy build() {
            return new ReconnectPolicy(this);
        }

        private static Duration nonNegative(String what, Duration d) {
            Objects.requireNonNull(d, what);
            if (d.isNegative()) {
                throw new IllegalArgumentException("reconnect " + what + " must be zero or more, got " + d);
            }
            return d;
        }
    }
}
