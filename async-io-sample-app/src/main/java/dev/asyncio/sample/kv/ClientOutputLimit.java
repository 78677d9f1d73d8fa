package dev.asyncio.sample.kv;

import java.time.Duration;

/**
 * Redis' {@code client-output-buffer-limit} for kv clients: a client whose unsent replies exceed {@code hardBytes},
 * or stay above {@code softBytes} for {@code softTime}, is disconnected. Flow control already stops executing a
 * client's commands while its replies wait, so what a client can pin is about one reply plus the core's high-water
 * mark; the limit bounds how long, and how much, a client that asks and never reads may hold.
 *
 * @param hardBytes unsent reply bytes above which a client is disconnected at once
 * @param softBytes unsent reply bytes a client may stay above for at most {@code softTime}
 * @param softTime  how long a client may stay above {@code softBytes}
 */
public record ClientOutputLimit(long hardBytes, long softBytes, Duration softTime) {

    /** 8 MiB hard (twice the default largest reply), 1 MiB soft for 5 s. */
    public static final ClientOutputLimit DEFAULTS = new ClientOutputLimit(8L * 1024 * 1024, 1024 * 1024,
            Duration.ofSeconds(5));

    /**
     * Checks the values.
     *
     * @param hardBytes unsent reply bytes above which a client is disconnected at once; positive
     * @param softBytes unsent reply bytes a client may stay above for at most {@code softTime}; 1 to hardBytes
     * @param softTime  how long a client may stay above {@code softBytes}; positive
     * @throws IllegalArgumentException naming the value that is out of range
     */
    public ClientOutputLimit {
        if (hardBytes <= 0) {
            throw new IllegalArgumentException("hard limit must be positive, got " + hardBytes);
        }
        if (softBytes <= 0 || softBytes > hardBytes) {
            throw new IllegalArgumentException("soft limit must be from 1 to the hard limit (" + hardBytes
                    + "), got " + softBytes);
        }
        if (softTime == null || softTime.isNegative() || softTime.isZero()) {
            throw new IllegalArgumentException("soft time must be positive, got " + softTime);
        }
    }
}
