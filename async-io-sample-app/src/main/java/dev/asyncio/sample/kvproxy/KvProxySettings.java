package dev.asyncio.sample.kvproxy;

import java.time.Duration;

import dev.asyncio.sample.kv.resp.RespLimits;

/**
 * The tunables of {@code kv-proxy}: what one client connection may hold.
 *
 * @param limits           bounds on each command (lines, bulk strings, arguments, bytes), as the kv handle's
 * @param maxPipelineDepth commands of one client forwarded and not yet answered; at it the proxy stops reading that
 *                         client until replies come back (backpressure, not an error)
 * @param maxPendingBytes  bytes of one client's commands in flight plus replies waiting for an earlier one; at it the
 *                         proxy stops reading that client, as at {@code maxPipelineDepth}
 * @param closeTimeout     how long a closing connection may spend writing its last replies
 * @param clientOutputHardLimit replies one client has not taken (waiting for an earlier one, or unsent) above which
 *                         it is disconnected at once (Redis' {@code client-output-buffer-limit}); the pipeline
 *                         bounds stop new commands, but replies to those in flight still arrive
 * @param maxTotalPendingBytes what all clients together may hold (commands in flight, replies not yet written)
 *                         before every client stops reading new commands
 * @param password         what clients must give {@code AUTH} before any other command (twemproxy's
 *                         {@code redis_auth}); {@code null} = none. Set to the upstream's password, so that the proxy
 *                         does not hand a password-protected server to anyone who can reach it
 */
public record KvProxySettings(RespLimits limits, int maxPipelineDepth, long maxPendingBytes, Duration closeTimeout,
        long clientOutputHardLimit, long maxTotalPendingBytes, String password) {

    /**
     * 64 KiB lines, 1 MiB bulk strings, 1024 commands and 4 MiB in flight per client, 10 s to write the last replies,
     * 32 MiB of untaken replies per client, 64 MiB held by all clients.
     */
    public static final KvProxySettings DEFAULTS = new KvProxySettings(RespLimits.DEFAULTS, 1024, 4L * 1024 * 1024,
            Duration.ofSeconds(10), 32L * 1024 * 1024, 64L * 1024 * 1024, null);

    /**
     * The settings with the default hard limit and shared budget.
     *
     * @param limits           bounds on each command
     * @param maxPipelineDepth commands in flight per client
     * @param maxPendingBytes  bytes in flight per client
     * @param closeTimeout     time to write the last replies
     */
    public KvProxySettings(RespLimits limits, int maxPipelineDepth, long maxPendingBytes, Duration closeTimeout) {
        this(limits, maxPipelineDepth, maxPendingBytes, closeTimeout, DEFAULTS.clientOutputHardLimit,
                DEFAULTS.maxTotalPendingBytes, null);
    }

    /**
     * The settings without a password.
     *
     * @param limits           bounds on each command
     * @param maxPipelineDepth commands in flight per client
     * @param maxPendingBytes  bytes in flight per client
     * @param closeTimeout     time to write the last replies
     * @param clientOutputHardLimit untaken reply bytes per client before it is disconnected
     * @param maxTotalPendingBytes bytes all clients may hold before they stop reading
     */
    public KvProxySettings(RespLimits limits, int maxPipelineDepth, long maxPendingBytes, Duration closeTimeout,
            long clientOutputHardLimit, long maxTotalPendingBytes) {
        this(limits, maxPipelineDepth, maxPendingBytes, closeTimeout, clientOutputHardLimit, maxTotalPendingBytes,
                null);
    }

    /**
     * @param newPassword what clients must give {@code AUTH}; {@code null} or empty = none
     * @return these settings with that password
     */
    public KvProxySettings withPassword(String newPassword) {
        return new KvProxySettings(limits, maxPipelineDepth, maxPendingBytes, closeTimeout, clientOutputHardLimit,
                maxTotalPendingBytes, newPassword == null || newPassword.isEmpty() ? null : newPassword);
    }

    /** @return the settings, with the password masked */
    @Override
    public String toString() {
        return "KvProxySettings[limits=" + limits + ", maxPipelineDepth=" + maxPipelineDepth + ", maxPendingBytes="
                + maxPendingBytes + ", closeTimeout=" + closeTimeout + ", clientOutputHardLimit="
                + clientOutputHardLimit + ", maxTotalPendingBytes=" + maxTotalPendingBytes + ", password="
                + (password == null ? "none" : "******") + "]";
    }

    /**
     * Checks the values.
     *
     * @param limits           bounds on each command
     * @param maxPipelineDepth commands in flight per client; positive
     * @param maxPendingBytes  bytes in flight per client; positive
     * @param closeTimeout     positive, or {@code null} for the state's write timeout only
     * @param clientOutputHardLimit untaken reply bytes per client before it is disconnected; positive
     * @param maxTotalPendingBytes bytes all clients may hold before they stop reading; positive
     * @param password         what clients must give {@code AUTH}, or {@code null}
     * @throws IllegalArgumentException naming the value that is out of range
     */
    public KvProxySettings {
        if (clientOutputHardLimit <= 0 || maxTotalPendingBytes <= 0) {
            throw new IllegalArgumentException("clientOutputHardLimit and maxTotalPendingBytes must be positive, got "
                    + clientOutputHardLimit + " and " + maxTotalPendingBytes);
        }
        if (limits == null) {
            throw new IllegalArgumentException("limits must not be null");
        }
        if (maxPipelineDepth <= 0) {
            throw new IllegalArgumentException("maxPipelineDepth must be positive, got " + maxPipelineDepth);
        }
        if (maxPendingBytes <= 0) {
            throw new IllegalArgumentException("maxPendingBytes must be positive, got " + maxPendingBytes);
        }
        if (closeTimeout != null && (closeTimeout.isNegative() || closeTimeout.isZero())) {
            throw new IllegalArgumentException("closeTimeout must be positive or null, got " + closeTimeout);
        }
    }
}
