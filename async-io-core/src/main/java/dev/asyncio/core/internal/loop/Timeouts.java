package dev.asyncio.core.internal.loop;

import java.time.Duration;

/** Argument checks and conversions for the {@code Duration} timeouts of the API, where {@code null} means none. */
public final class Timeouts {
    public static final long NONE = -1;

    private Timeouts() {
    }

    public static Duration check(String what, Duration timeout) {
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException(what + " must be positive or null (no timeout), got " + timeout);
        }
        return timeout;
    }

    public static long toNanos(Duration timeout) {
        if (timeout == null) {
            return NONE;
        }
        try {
            return timeout.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE / 4;
        }
    }

    public static Duration fromNanos(long nanos) {
        return nanos == NONE ? null : Duration.ofNanos(nanos);
    }
}
