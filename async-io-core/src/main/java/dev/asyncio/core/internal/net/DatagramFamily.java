package dev.asyncio.core.internal.net;

import dev.asyncio.core.IpFamily;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;

/**
 * LispWorks' {@code :ipv6} of {@code create-async-io-state}: which family host names resolve in when an unconnected
 * UDP state sends to a host name. It has to match the socket's real family; Java does not say which family a
 * {@link DatagramChannel} was opened with, so it is read from the address the channel is bound to.
 *
 * <p>An unbound channel is bound first, to the wildcard of its own family on an ephemeral port: what its first send
 * or receive would do anyway. An IPv6 socket bound to an IPv4-mapped address is reported by Java as IPv4, and rightly
 * so: it can only reach IPv4 peers.
 */
public final class DatagramFamily {

    private DatagramFamily() {
    }

    /**
     * @param channel an open datagram channel about to get a state
     * @param ipv6 the caller's {@code :ipv6}: true = IPv6, false = IPv4, {@code null} = the channel's own family
     * @return the family the state resolves host names in: {@link IpFamily#IPV4}, {@link IpFamily#IPV6}, or
     *         {@link IpFamily#BOTH} for a dual-stack socket (bound to {@code ::}) left to its default, which reaches
     *         either family (and hears both)
     * @throws IllegalArgumentException if {@code ipv6} contradicts the channel's family (an IPv4 socket cannot send
     *         to IPv6 addresses, nor an IPv6 socket bound to a specific IPv6 address to IPv4 ones)
     * @throws UncheckedIOException if an unbound channel cannot be bound
     */
    public static IpFamily of(DatagramChannel channel, Boolean ipv6) {
        InetAddress local = localAddress(channel);
        boolean v6Socket = local instanceof Inet6Address;
        boolean dualStack = v6Socket && local.isAnyLocalAddress();
        if (ipv6 == null) {
            return !v6Socket ? IpFamily.IPV4 : dualStack ? IpFamily.BOTH : IpFamily.IPV6;
        }
        if (ipv6 && !v6Socket) {
            throw new IllegalArgumentException("ipv6=true for " + channel + ", an IPv4 socket (bound to "
                    + local.getHostAddress() + "): LispWorks' :ipv6 must match the socket's family, and this one "
                    + "cannot send to IPv6 addresses");
        }
        if (!ipv6 && v6Socket && !dualStack) {
            throw new IllegalArgumentException("ipv6=false for " + channel + ", an IPv6 socket bound to "
                    + local.getHostAddress() + ": LispWorks' :ipv6 must match the socket's family, and this one "
                    + "cannot send to IPv4 addresses");
        }
        return ipv6 ? IpFamily.IPV6 : IpFamily.IPV4;
    }

    private static InetAddress localAddress(DatagramChannel channel) {
        try {
            InetSocketAddress local = (InetSocketAddress) channel.getLocalAddress();
            if (local == null) {
                channel.bind(null);
                local = (InetSocketAddress) channel.getLocalAddress();
            }
            InetAddress a = local.getAddress();
            return a instanceof Inet4Address || a instanceof Inet6Address ? a : InetAddress.getByAddress(new byte[4]);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot tell the family of " + channel + ": " + e.getMessage(), e);
        }
    }
}
