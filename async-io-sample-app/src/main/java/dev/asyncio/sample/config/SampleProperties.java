package dev.asyncio.sample.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import dev.asyncio.sample.kv.ClientOutputLimit;
import dev.asyncio.sample.kv.KvSettings;
import dev.asyncio.sample.kv.resp.RespLimits;
import dev.asyncio.sample.udp.UdpEchoLimits;

/**
 * The sample's own settings under {@code sample.*}: the protocol limits of the echo and key-value servers. The
 * handles themselves (ports, addresses, timeouts) are the starter's {@code async-io.handles.*}.
 *
 * @param echo    echo server settings
 * @param kv      key-value server settings
 * @param udpEcho UDP echo settings (UDP is not an accepting handle, so it is configured here)
 */
@ConfigurationProperties("sample")
public record SampleProperties(@DefaultValue Echo echo, @DefaultValue Kv kv, @DefaultValue UdpEcho udpEcho) {

    /**
     * The UDP echo.
     *
     * @param enabled    whether to run it
     * @param port       the UDP port; 0 = ephemeral
     * @param address    the local address to bind; empty = all interfaces
     * @param collection the async-io collection (event loop) that serves it
     * @param allowPrivilegedSourcePorts whether datagrams from well-known ports (1-1023) are answered; off, because
     *                   reflecting services listen there and two reflectors answer each other forever
     * @param ratePerSource answers per second to one source address, on average
     * @param burstPerSource the most answers a quiet source address gets at once
     * @param maxTrackedSources the most source addresses with a rate-limit bucket of their own; beyond it new
     *                   sources share one bucket
     */
    public record UdpEcho(@DefaultValue("true") boolean enabled, @DefaultValue("7001") int port, String address,
            @DefaultValue("default") String collection, @DefaultValue("false") boolean allowPrivilegedSourcePorts,
            @DefaultValue("100") int ratePerSource, @DefaultValue("200") int burstPerSource,
            @DefaultValue("10000") int maxTrackedSources) {

        /**
         * Checks the port.
         *
         * @param enabled    whether to run it
         * @param port       the UDP port
         * @param address    the local address, or empty
         * @param collection the collection's name
         * @param allowPrivilegedSourcePorts whether senders on ports 1-1023 are answered
         * @param ratePerSource answers per second per source address
         * @param burstPerSource burst per source address
         * @param maxTrackedSources source addresses with a bucket of their own
         * @throws IllegalArgumentException naming the {@code sample.udp-echo.*} property that is out of range
         */
        public UdpEcho {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("sample.udp-echo.port must be from 0 to 65535, got " + port);
            }
            toLimits(allowPrivilegedSourcePorts, ratePerSource, burstPerSource, maxTrackedSources);
        }

        /** @return which senders the echo answers, and how often */
        public UdpEchoLimits limits() {
            return toLimits(allowPrivilegedSourcePorts, ratePerSource, burstPerSource, maxTrackedSources);
        }

        private static UdpEchoLimits toLimits(boolean allowPrivileged, int rate, int burst, int maxSources) {
            return new UdpEchoLimits(allowPrivileged, rate, burst, maxSources);
        }
    }

    /**
     * Echo server settings.
     *
     * @param closeTimeout how long a connection that reached EOF may spend writing back its last bytes
     */
    public record Echo(@DefaultValue("10s") Duration closeTimeout) {

        /**
         * Checks the timeout.
         *
         * @param closeTimeout how long a connection that reached EOF may spend writing back its last bytes
         * @throws IllegalArgumentException naming {@code sample.echo.close-timeout} when it is not positive
         */
        public Echo {
            if (closeTimeout == null || closeTimeout.isNegative() || closeTimeout.isZero()) {
                throw new IllegalArgumentException("sample.echo.close-timeout must be positive, got " + closeTimeout);
            }
        }
    }

    /**
     * Key-value server settings; the defaults keep one connection's memory in the low megabytes.
     *
     * @param maxLineLength    longest inline command or protocol header line
     * @param maxBulkLength    longest single argument (key or value)
     * @param maxArguments     most arguments in one command
     * @param maxRequestLength most bytes of arguments in one command
     * @param maxReplyLength   largest reply to one command before the client is disconnected
     * @param maxMemory        data size above which writes fail with Redis' OOM error
     * @param sweepInterval    how often expired keys are removed without being read
     * @param sweepBudget      most keys with a TTL examined per sweep
     * @param closeTimeout     how long a closing connection may spend writing its last replies
     * @param maxPendingRequestBytes bytes that unfinished requests of all clients together may hold; the client
     *                         that would exceed it gets an error and is closed
     * @param password         Redis' {@code requirepass}: clients must {@code AUTH} with it. Without one the kv
     *                         handle listens on loopback only unless {@code async-io.handles.kv.address} is set
     *                         ({@link KvProtectedMode})
     * @param clientOutputHardLimit unread reply bytes above which a client is disconnected at once (Redis'
     *                         {@code client-output-buffer-limit} hard limit)
     * @param clientOutputSoftLimit unread reply bytes a client may stay above for at most
     *                         {@code clientOutputSoftTime}
     * @param clientOutputSoftTime how long a client may stay above the soft limit
     * @param requestDeadline  how long one request may take to arrive, from its first byte to its last; a client
     *                         that trickles a request is closed then
     * @param maxClientOutputBytes unread reply bytes all clients together may hold (Redis' {@code maxmemory-clients}
     *                         for replies); above it the clients holding the most are disconnected first
     * @param maxHeapFraction  the share of the maximum heap that {@code max-memory}, {@code max-pending-request-bytes}
     *                         and {@code max-client-output-bytes} together may reach; above it they are scaled down at
     *                         start-up ({@link KvHeapPlan})
     */
    public record Kv(@DefaultValue("64KB") DataSize maxLineLength, @DefaultValue("1MB") DataSize maxBulkLength,
            @DefaultValue("65536") int maxArguments, @DefaultValue("16MB") DataSize maxRequestLength,
            @DefaultValue("4MB") DataSize maxReplyLength, @DefaultValue("64MB") DataSize maxMemory,
            @DefaultValue("100ms") Duration sweepInterval, @DefaultValue("1000") int sweepBudget,
            @DefaultValue("10s") Duration closeTimeout, @DefaultValue("64MB") DataSize maxPendingRequestBytes,
            String password, @DefaultValue("8MB") DataSize clientOutputHardLimit,
            @DefaultValue("1MB") DataSize clientOutputSoftLimit, @DefaultValue("5s") Duration clientOutputSoftTime,
            @DefaultValue("5s") Duration requestDeadline, @DefaultValue("64MB") DataSize maxClientOutputBytes,
            @DefaultValue("0.25") double maxHeapFraction) {

        /**
         * @return the settings for {@link dev.asyncio.sample.kv.KvConnectionFunction}
         * @throws IllegalArgumentException naming the {@code sample.kv.*} property that is out of range
         */
        public KvSettings toSettings() {
            positive("max-arguments", maxArguments);
            positive("sweep-budget", sweepBudget);
            positive("max-request-length", maxRequestLength.toBytes());
            positive("max-reply-length", maxReplyLength.toBytes());
            positive("max-memory", maxMemory.toBytes());
            positive("sweep-interval", sweepInterval.toMillis());
            positive("close-timeout", closeTimeout.toMillis());
            positive("max-pending-request-bytes", maxPendingRequestBytes.toBytes());
            positive("client-output-hard-limit", clientOutputHardLimit.toBytes());
            positive("client-output-soft-limit", clientOutputSoftLimit.toBytes());
            positive("client-output-soft-time", clientOutputSoftTime.toMillis());
            positive("request-deadline", requestDeadline.toMillis());
            positive("max-client-output-bytes", maxClientOutputBytes.toBytes());
            if (!(maxHeapFraction > 0 && maxHeapFraction <= 1)) {
                throw new IllegalArgumentException("sample.kv.max-heap-fraction must be above 0 and at most 1, got "
                        + maxHeapFraction);
            }
            if (clientOutputSoftLimit.toBytes() > clientOutputHardLimit.toBytes()) {
                throw new IllegalArgumentException("sample.kv.client-output-soft-limit (" + clientOutputSoftLimit
                        + ") must not exceed sample.kv.client-output-hard-limit (" + clientOutputHardLimit + ")");
            }
            try {
                RespLimits limits = new RespLimits(intBytes("max-line-length", maxLineLength),
                        intBytes("max-bulk-length", maxBulkLength), maxArguments, maxRequestLength.toBytes());
                return new KvSettings(limits, maxReplyLength.toBytes(), maxMemory.toBytes(), sweepInterval,
                        sweepBudget, closeTimeout, maxPendingRequestBytes.toBytes(), password,
                        new ClientOutputLimit(clientOutputHardLimit.toBytes(), clientOutputSoftLimit.toBytes(),
                                clientOutputSoftTime), requestDeadline, maxClientOutputBytes.toBytes());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Invalid sample.kv.* property: " + e.getMessage(), e);
            }
        }

        /** @return the settings, with the password masked */
        @Override
        public String toString() {
            return "Kv[maxLineLength=" + maxLineLength + ", maxBulkLength=" + maxBulkLength + ", maxArguments="
                    + maxArguments + ", maxRequestLength=" + maxRequestLength + ", maxReplyLength=" + maxReplyLength
                    + ", maxMemory=" + maxMemory + ", sweepInterval=" + sweepInterval + ", sweepBudget=" + sweepBudget
                    + ", closeTimeout=" + closeTimeout + ", maxPendingRequestBytes=" + maxPendingRequestBytes
                    + ", password=" + (password == null || password.isEmpty() ? "none" : "******")
                    + ", clientOutputHardLimit=" + clientOutputHardLimit + ", clientOutputSoftLimit="
                    + clientOutputSoftLimit + ", clientOutputSoftTime=" + clientOutputSoftTime + ", requestDeadline="
                    + requestDeadline + ", maxClientOutputBytes=" + maxClientOutputBytes + ", maxHeapFraction="
                    + maxHeapFraction + "]";
        }

        private static void positive(String property, long value) {
            if (value <= 0) {
                throw new IllegalArgumentException("sample.kv." + property + " must be positive, got " + value);
            }
        }

        private static int intBytes(String property, DataSize size) {
            long bytes = size.toBytes();
            if (bytes <= 0 || bytes > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("sample.kv." + property + " must be from 1B to 2GB, got " + size);
            }
            return (int) bytes;
        }
    }
}
