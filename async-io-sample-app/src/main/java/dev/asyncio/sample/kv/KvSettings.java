package dev.asyncio.sample.kv;

import java.time.Duration;

import dev.asyncio.sample.kv.resp.RespLimits;

/**
 * The tunables of the key-value server.
 *
 * @param limits        bounds on requests (line, bulk, argument count, request size)
 * @param maxReplyBytes the largest single reply; a client asking for more is disconnected (Redis' output buffer
 *                      limit)
 * @param maxMemory     estimated bytes of data above which writes get {@code OOM} errors (Redis' {@code maxmemory})
 * @param sweepInterval how often expired keys nobody reads are removed
 * @param sweepBudget   the most keys with a TTL examined per sweep, to keep the loop responsive
 * @param closeTimeout  how long a closing connection may take to write its last replies
 * @param maxPendingRequestBytes bytes that unfinished requests of all connections together may hold
 * @param password      Redis' {@code requirepass}: clients must {@code AUTH} with it; {@code null} = none
 * @param outputLimit   Redis' {@code client-output-buffer-limit}: how many unread replies a client may hold
 * @param requestDeadline how long one request may take to arrive, from its first byte to its last
 * @param maxClientOutputBytes unsent reply bytes all clients together may hold (Redis' {@code maxmemory-clients} for
 *                      replies); above it the biggest holders are disconnected
 */
public record KvSettings(RespLimits limits, long maxReplyBytes, long maxMemory, Duration sweepInterval,
        int sweepBudget, Duration closeTimeout, long maxPendingRequestBytes, String password,
        ClientOutputLimit outputLimit, Duration requestDeadline, long maxClientOutputBytes) {

    /** Default {@link #maxClientOutputBytes()}: 64 MiB of unsent replies for all clients together. */
    public static final long DEFAULT_MAX_CLIENT_OUTPUT_BYTES = 64L * 1024 * 1024;

    /** Default {@link #requestDeadline()}: 5 s from a request's first byte to its last. */
    public static final Duration DEFAULT_REQUEST_DEADLINE = Duration.ofSeconds(5);

    /** Default {@link #maxPendingRequestBytes()}: 64 MiB for all connections together. */
    public static final long DEFAULT_MAX_PENDING_REQUEST_BYTES = 64L * 1024 * 1024;

    /**
     * The settings with the default budget for unfinished requests.
     *
     * @param limits        bounds on requests
     * @param maxReplyBytes the largest single reply
     * @param maxMemory     estimated bytes of data above which writes fail
     * @param sweepInterval how often expired keys are removed
     * @param sweepBudget   the most keys examined per sweep
     * @param closeTimeout  how long a closing connection may write, or {@code null}
     */
    public KvSettings(RespLimits limits, long maxReplyBytes, long maxMemory, Duration sweepInterval,
            int sweepBudget, Duration closeTimeout) {
        this(limits, maxReplyBytes, maxMemory, sweepInterval, sweepBudget, closeTimeout,
                DEFAULT_MAX_PENDING_REQUEST_BYTES);
    }

    /**
     * The settings without a password.
     *
     * @param limits        bounds on requests
     * @param maxReplyBytes the largest single reply
     * @param maxMemory     estimated bytes of data above which writes fail
     * @param sweepInterval how often expired keys are removed
     * @param sweepBudget   the most keys examined per sweep
     * @param closeTimeout  how long a closing connection may write, or {@code null}
     * @param maxPendingRequestBytes bytes that unfinished requests of all connections together may hold
     */
    public KvSettings(RespLimits limits, long maxReplyBytes, long maxMemory, Duration sweepInterval,
            int sweepBudget, Duration closeTimeout, long maxPendingRequestBytes) {
        this(limits, maxReplyBytes, maxMemory, sweepInterval, sweepBudget, closeTimeout, maxPendingRequestBytes,
                null, ClientOutputLimit.DEFAULTS, DEFAULT_REQUEST_DEADLINE, DEFAULT_MAX_CLIENT_OUTPUT_BYTES);
    }

    /**
     * @param newPassword the password clients must give {@code AUTH}; {@code null} or empty = none
     * @return these settings with that password
     */
    public KvSettings withPassword(String newPassword) {
        return new KvSettings(limits, maxReplyBytes, maxMemory, sweepInterval, sweepBudget, closeTimeout,
                maxPendingRequestBytes, newPassword, outputLimit, requestDeadline, maxClientOutputBytes);
    }

    /**
     * @param newLimit how many unread replies a client may hold
     * @return these settings with that limit
     */
    public KvSettings withOutputLimit(ClientOutputLimit newLimit) {
        return new KvSettings(limits, maxReplyBytes, maxMemory, sweepInterval, sweepBudget, closeTimeout,
                maxPendingRequestBytes, password, newLimit, requestDeadline, maxClientOutputBytes);
    }

    /**
     * @param newDeadline how long one request may take to arrive
     * @return these settings with that deadline
     */
    public KvSettings withRequestDeadline(Duration newDeadline) {
        return new KvSettings(limits, maxReplyBytes, maxMemory, sweepInterval, sweepBudget, closeTimeout,
                maxPendingRequestBytes, password, outputLimit, newDeadline, maxClientOutputBytes);
    }

    /**
     * @param newMax unsent reply bytes all clients together may hold
     * @return these settings with that budget
     */
    public KvSettings withMaxClientOutputBytes(long newMax) {
        return new KvSettings(limits, maxReplyBytes, maxMemory, sweepInterval, sweepBudget, closeTimeout,
                maxPendingRequestBytes, password, outputLimit, requestDeadline, newMax);
    }

    /**
     * @param newMaxMemory      data and client buffers above which writes fail
     * @param newMaxPending     bytes unfinished requests of all clients may hold
     * @param newMaxClientOutput unsent reply bytes all clients may hold
     * @return these settings with those three budgets
     */
    public KvSettings withBudgets(long newMaxMemory, long newMaxPending, long newMaxClientOutput) {
        return new KvSettings(limits, maxReplyBytes, newMaxMemory, sweepInterval, sweepBudget, closeTimeout,
                newMaxPending, password, outputLimit, requestDeadline, newMaxClientOutput);
    }

    /** @return whether clients must authenticate */
    public boolean requiresPassword() {
        return password != null && !password.isEmpty();
    }

    /** 64 KiB lines, 1 MiB values, 4 MiB replies, 64 MiB of data, a sweep every 100 ms over up to 1000 keys. */
    public static final KvSettings DEFAULTS = new KvSettings(RespLimits.DEFAULTS, 4L * 1024 * 1024,
            64L * 1024 * 1024, Duration.ofMillis(100), 1000, Duration.ofSeconds(10));

    /**
     * Checks the values.
     *
     * @param limits        bounds on requests
     * @param maxReplyBytes the largest single reply
     * @param maxMemory     estimated bytes of data above which writes fail
     * @param sweepInterval how often expired keys are removed
     * @param sweepBudget   the most keys examined per sweep
     * @param closeTimeout  how long a closing connection may write, or {@code null}
     * @param maxPendingRequestBytes bytes that unfinished requests of all connections together may hold (buffered
     *                      input and parsed arguments); a connection that would exceed it gets an error and is closed
     * @param password      what clients must give {@code AUTH}; {@code null} or empty = no authentication
     * @param outputLimit   how many unread replies a client may hold
     * @param requestDeadline how long one request may take to arrive; positive
     * @param maxClientOutputBytes unsent reply bytes all clients together may hold; positive
     * @throws IllegalArgumentException naming the value that is out of range
     */
    public KvSettings {
        if (maxClientOutputBytes <= 0) {
            throw new IllegalArgumentException("maxClientOutputBytes must be positive, got " + maxClientOutputBytes);
        }
        if (outputLimit == null) {
            throw new IllegalArgumentException("outputLimit must not be null");
        }
        if (requestDeadline == null || requestDeadline.isNegative() || requestDeadline.isZero()) {
            throw new IllegalArgumentException("requestDeadline must be positive, got " + requestDeadline);
        }
        if (maxPendingRequestBytes <= 0) {
            throw new IllegalArgumentException("maxPendingRequestBytes must be positive, got "
                    + maxPendingRequestBytes);
        }
        if (limits == null) {
            throw new IllegalArgumentException("limits must not be null");
        }
        if (maxReplyBytes <= 0) {
            throw new IllegalArgumentException("maxReplyBytes must be positive, got " + maxReplyBytes);
        }
        if (maxMemory <= 0) {
            throw new IllegalArgumentException("maxMemory must be positive, got " + maxMemory);
        }
        if (sweepInterval == null || sweepInterval.isNegative() || sweepInterval.isZero()) {
            throw new IllegalArgumentException("sweepInterval must be positive, got " + sweepInterval);
        }
        if (sweepBudget <= 0) {
            throw new IllegalArgumentException("sweepBudget must be positive, got " + sweepBudget);
        }
        if (closeTimeout != null && (closeTimeout.isNegative() || closeTimeout.isZero())) {
            throw new IllegalArgumentException("closeTimeout must be positive or null, got " + closeTimeout);
        }
    }

    /** @return the settings, with the password masked: settings end up in logs and failure messages */
    @Override
    public String toString() {
        return "KvSettings[limits=" + limits + ", maxReplyBytes=" + maxReplyBytes + ", maxMemory=" + maxMemory
                + ", sweepInterval=" + sweepInterval + ", sweepBudget=" + sweepBudget + ", closeTimeout="
                + closeTimeout + ", maxPendingRequestBytes=" + maxPendingRequestBytes + ", password="
                + (requiresPassword() ? "******" : "none") + ", outputLimit=" + outputLimit + ", requestDeadline="
                + requestDeadline + ", maxClientOutputBytes=" + maxClientOutputBytes + "]";
    }
}
