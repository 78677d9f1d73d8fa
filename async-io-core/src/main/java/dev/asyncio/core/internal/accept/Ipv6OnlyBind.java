package dev.asyncio.core.internal.accept;

import dev.asyncio.core.IpFamily;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Chooses the address an accepting handle listens on, and keeps LispWorks' {@code :ipv6 t} honest.
 *
 * <p><b>Why an IPv6-only listener needs a specific address.</b> Java (17 up to at least 25) has no
 * {@code IPV6_V6ONLY} socket option: neither {@code StandardSocketOptions} nor {@code jdk.net.ExtendedSocketOptions}
 * has one, and the JDK clears {@code IPV6_V6ONLY} on every IPv6 socket it makes, whatever the
 * {@code net.ipv6.bindv6only} sysctl says. So an IPv6 socket bound to the wildcard {@code ::} is always dual stack:
 * the kernel completes IPv4 handshakes on it before any code can look at the peer, and the only way to refuse
 * them would be to accept and reset them, which is what a listener must not do. It also cannot share its port with an
 * IPv4 listener ({@code EADDRINUSE}). An IPv6 socket bound to a specific IPv6 address (such as {@code ::1} or
 * one of the host's IPv6 addresses), however, is IPv6-only in fact: IPv4 peers cannot reach it (their connect is
 * refused by the kernel, or goes to an IPv4 listener on the same port, which it can share). Hence:
 * {@link IpFamily#IPV6} with a specific IPv6 address binds that address; {@link IpFamily#IPV6} on all interfaces is
 * refused with an {@link IllegalArgumentException} that says what to do instead.
 */
public final class Ipv6OnlyBind {

    private Ipv6OnlyBind() {
    }

    /**
     * @param host the address to listen on, a host name or literal; {@code null} or blank = all interfaces
     * @param family the listening socket's family
     * @param port 0 to 65535
     * @return the socket address to bind
     * @throws IllegalArgumentException if {@code host} cannot be resolved or has no address of {@code family}, or
     *         {@code family} is {@link IpFamily#IPV6} on all interfaces (Java cannot make that socket IPv6-only)
     */
    public static InetSocketAddress bindAddress(String host, IpFamily family, int port) {
        if (host == null || host.isBlank()) {
            return switch (family) {
                case IPV4 -> new InetSocketAddress(wildcard(4), port);
                case IPV6 -> throw wildcardRefused("all interfaces");
                case BOTH -> new InetSocketAddress(wildcard(16), port);
                case ANY -> new InetSocketAddress(port);
            };
        }
        InetAddress[] all;
        try {
            all = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("address '" + host + "' cannot be resolved: " + e.getMessage(), e);
        }
        for (InetAddress a : all) {
            if (fits(a, family)) {
                if (family == IpFamily.IPV6 && a.isAnyLocalAddress()) {
                    throw wildcardRefused("'" + host + "'");
                }
                return new InetSocketAddress(a, port);
            }
        }
        throw new IllegalArgumentException("address '" + host + "' has no " + family.name().toLowerCase(Locale.ROOT)
                + " address to bind");
    }

    private static boolean fits(InetAddress a, IpFamily family) {
        return switch (family) {
            case ANY -> true;
            case IPV4 -> a instanceof Inet4Address;
            // Java reports IPv4-mapped literals (::ffff:a.b.c.d) as Inet4Address: they are rightly no IPv6 address.
            case IPV6 -> a instanceof Inet6Address;
            case BOTH -> true;
        };
    }

    private static IllegalArgumentException wildcardRefused(String where) {
        return new IllegalArgumentException("IpFamily.IPV6 (LispWorks :ipv6 t) on " + where + " needs IPV6_V6ONLY, "
                + "which Java cannot set: that socket would be dual stack and take IPv4 peers. For an IPv6-only "
                + "listener give a specific IPv6 address (AcceptOptions.address, for example \"::1\"); for IPv4 and "
                + "IPv6 peers on one socket use IpFamily.BOTH");
    }

    private static InetAddress wildcard(int length) {
        try {
            return InetAddress.getByAddress(new byte[length]);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
