package dev.asyncio.core.internal.net;

import dev.asyncio.core.IpFamily;
import dev.asyncio.core.internal.loop.DaemonPool;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.ExecutorService;

/**
 * LispWorks "hostspec" handling: literals are parsed at once, host names are looked up with the system resolver,
 * which blocks, so lookups needed on the loop thread run on a small daemon pool instead.
 */
public final class HostNames {

    /** Where blocking host name lookups run, so that neither the loop nor its callers wait on DNS. */
    public static final ExecutorService RESOLVER = DaemonPool.create("async-io-resolver", 4);


    private HostNames() {
    }

    /**
     * @param host a host name or literal; {@code null} or empty = the loopback address
     * @return the address if {@code host} needs no lookup, else {@code null}
     */
    public static InetAddress literal(String host) {
        if (host == null || host.isEmpty()) {
            return InetAddress.getLoopbackAddress();
        }
        boolean numeric = host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || Character.isDigit(c));
        if (!numeric) {
            return null;
        }
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /**
     * Looks {@code host} up (blocking) and picks an address of the wanted family.
     *
     * @param host a host name or literal
     * @param family {@link IpFamily#IPV4} or {@link IpFamily#IPV6} to insist on one; ANY and BOTH take the first
     * @return the address
     * @throws UnknownHostException if there is none of that family
     */
    public static InetAddress resolve(String host, IpFamily family) throws UnknownHostException {
        InetAddress literal = literal(host);
        InetAddress[] all = literal != null ? new InetAddress[] {literal} : InetAddress.getAllByName(host);
        for (InetAddress a : all) {
            if (family == IpFamily.ANY || family == IpFamily.BOTH
                    || (family == IpFamily.IPV4 && a instanceof Inet4Address)
                    || (family == IpFamily.IPV6 && a instanceof Inet6Address)) {
                return a;
            }
        }
        throw new UnknownHostException(host + " has no " + family + " address");
    }
}
