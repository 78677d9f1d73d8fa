package dev.asyncio.core.internal.net;

import java.net.InetSocketAddress;

/** How logs and errors write socket addresses: {@code host:port}, IPv6 hosts in brackets. */
public final class Addresses {

    private Addresses() {
    }

    /**
     * @param a an address, or {@code null}
     * @return {@code "127.0.0.1:7000"}, {@code "[::1]:7000"}, or {@code "?"}
     */
    public static String describe(InetSocketAddress a) {
        if (a == null) {
            return "?";
        }
        String host = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
