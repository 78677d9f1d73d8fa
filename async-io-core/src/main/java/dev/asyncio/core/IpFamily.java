package dev.asyncio.core;

/**
 * The address family of a socket: LispWorks' {@code :ipv6} keyword ({@code :any}, {@code nil}, {@code t},
 * {@code :both}).
 *
 * <p>Java cannot set {@code IPV6_V6ONLY} on NIO channels, so {@link #IPV6} is emulated for listeners: the socket is
 * an IPv6 socket and a connection from an IPv4 peer (an IPv4-mapped address) is closed as soon as it is accepted.
 */
public enum IpFamily {
    /** Let the system choose (LispWorks {@code :any}); a given address decides the family. */
    ANY,
    /** IPv4 only (LispWorks {@code nil}). */
    IPV4,
    /** IPv6 only (LispWorks {@code t}). */
    IPV6,
    /** An IPv6 socket that also serves IPv4 peers, "dual stack" (LispWorks {@code :both}). */
    BOTH
}
