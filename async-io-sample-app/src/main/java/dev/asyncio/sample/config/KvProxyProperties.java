package dev.asyncio.sample.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import dev.asyncio.sample.kv.resp.RespLimits;
import dev.asyncio.sample.kvproxy.KvProxySettings;

/**
 * The {@code kv-proxy} handle's own settings under {@code sample.kv-proxy.*}. Where it listens is the starter's
 * {@code async-io.handles.kv-proxy.*}; where it forwards to, how it reconnects and how many connections it uses are
 * the client's {@code async-io.clients.kv-upstream.*}. Command bounds (line, bulk, argument and request lengths) are
 * the kv handle's {@code sample.kv.*} ones.
 *
 * @param maxPipelineDepth commands of one client forwarded and not answered yet; at it the proxy stops reading that
 *                         client until replies come back
 * @param maxPendingBytes  bytes of one client's commands in flight and replies waiting for an earlier one; at it the
 *                         proxy stops reading that client
 * @param maxReplyLength   the longest reply accepted from the upstream; a longer one breaks that upstream connection
 *                         and its commands get an error
 * @param maxPendingPerConnection commands waiting on one upstream connection before new ones fail at once
 * @param closeTimeout     how long a closing client connection may spend writing its last replies
 * @param clientOutputHardLimit replies one client has not taken above which it is disconnected (Redis'
 *                         {@code client-output-buffer-limit}): reached only by a client that pipelines large replies
 *                         and does not read them
 * @param maxTotalPendingBytes what all clients together may hold (commands in flight, replies not yet written)
 *                         before every client stops reading new commands until it drains
 * @param upstreamPassword the upstream's {@code requirepass}: each new {@code kv-upstream} connection sends
 *                         {@code AUTH} with it first; {@code application.yml} sets it to {@code sample.kv.password}
 *                         so the default upstream (the kv handle) works with a password too
 */
@ConfigurationProperties("sample.kv-proxy")
public record KvProxyProperties(@DefaultValue("1024") int maxPipelineDepth,
        @DefaultValue("4MB") DataSize maxPendingBytes, @DefaultValue("4MB") DataSize maxReplyLength,
        @DefaultValue("10000") int maxPendingPerConnection, @DefaultValue("10s") Duration closeTimeout,
        @DefaultValue("32MB") DataSize clientOutputHardLimit, @DefaultValue("64MB") DataSize maxTotalPendingBytes,
        String upstreamPassword) {

    /**
     * Checks the values.
     *
     * @param maxPipelineDepth        commands in flight per client
     * @param maxPendingBytes         bytes in flight per client
     * @param maxReplyLength          the longest upstream reply
     * @param maxPendingPerConnection commands waiting per upstream connection
     * @param closeTimeout            time to write the last replies
     * @param clientOutputHardLimit   untaken reply bytes per client before it is disconnected
     * @param maxTotalPendingBytes    bytes all clients may hold before they stop reading
     * @param upstreamPassword        the upstream's password, or {@code null}/empty
     * @throws IllegalArgumentException naming the {@code sample.kv-proxy.*} property that is out of range
     */
    public KvProxyProperties {
        positive("max-pipeline-depth", maxPipelineDepth);
        positive("max-pending-bytes", maxPendingBytes.toBytes());
        positive("max-reply-length", maxReplyLength.toBytes());
        positive("max-pending-per-connection", maxPendingPerConnection);
        positive("close-timeout", closeTimeout.toMillis());
        positive("client-output-hard-limit", clientOutputHardLimit.toBytes());
        positive("max-total-pending-bytes", maxTotalPendingBytes.toBytes());
        if (clientOutputHardLimit.toBytes() < maxReplyLength.toBytes()) {
            throw new IllegalArgumentException("sample.kv-proxy.client-output-hard-limit (" + clientOutputHardLimit
                    + ") must be at least sample.kv-proxy.max-reply-length (" + maxReplyLength + ")");
        }
    }

    /**
     * @param limits the command bounds (the kv handle's)
     * @return the settings of {@link dev.asyncio.sample.kvproxy.KvProxyConnectionFunction}
     */
    public KvProxySettings toSettings(RespLimits limits) {
        return new KvProxySettings(limits, maxPipelineDepth, maxPendingBytes.toBytes(), closeTimeout,
                clientOutputHardLimit.toBytes(), maxTotalPendingBytes.toBytes());
    }

    /** @return whether {@code kv-upstream} connections authenticate */
    public boolean hasUpstreamPassword() {
        return upstreamPassword != null && !upstreamPassword.isEmpty();
    }

    /** @return the settings, with the password masked: settings end up in logs and failure messages */
    @Override
    public String toString() {
        return "KvProxyProperties[maxPipelineDepth=" + maxPipelineDepth + ", maxPendingBytes=" + maxPendingBytes
                + ", maxReplyLength=" + maxReplyLength + ", maxPendingPerConnection=" + maxPendingPerConnection
                + ", closeTimeout=" + closeTimeout + ", clientOutputHardLimit=" + clientOutputHardLimit
                + ", maxTotalPendingBytes=" + maxTotalPendingBytes + ", upstreamPassword="
                + (hasUpstreamPassword() ? "******" : "none") + "]";
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException("sample.kv-proxy." + name + " must be positive, got " + value);
        }
    }
}
