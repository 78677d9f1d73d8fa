package dev.asyncio.core;

/**
 * The address family of a socket: LispWorks' {@code :ipv6} keyword ({@code :any}, {@code nil}, {@code t},
 * {@code :both}).
 *
 * <p>Java cannot set {@code IPV6_V6ONLY} on NIO channels (every IPv6 socket the JDK makes is dual stack), so a
 * listener with {@link #IPV6} must bind a specific IPv6 address, which IPv4 peers cannot reach; {@link #IPV6} on all
 * interfaces is refused with an {@link IllegalArgumentException} rather than accepting IPv4 peers and resetting
 * them. A UDP state with {@link #IPV6} ignores datagrams from IPv4 senders.
 */
public enum IpFamily {
    /** Let the system choose (LispWorks {@code :any}); a given address decides the family. */
    ANY,
    /** IPv4 only (LispWorks {@code nil}). */
    IPV4,
    /** IPv6 only (LispWorks {@code t}); a listener needs a specific IPv6 address for it. */
    IPV6,
    /** An IPv6 socket that also serves IPv4 peers, "dual stack" (LispWorks {@code :both}). */
    BOTH
}
