package dev.asyncio.sample.udp;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.function.Predicate;

/**
 * Which senders the UDP echo answers, from the sender's claimed address alone (the "Loop DoS" defence,
 * CVE-2024-2169): never itself (its own port at one of the host's addresses), never its own port at another host
 * (another echo like it: the two would answer each other forever), never port 0, never a multicast or
 * wildcard address, and never a well-known port below 1024 unless {@code sample.udp-echo.allow-privileged-source-ports}
 * is on. How much a sender that passes may cost is {@link SourceRateLimiter}'s business.
 *
 * <p>Immutable and thread-safe.
 */
public final class DatagramSourcePolicy {

    /** Ports below this are the well-known (privileged) ones where reflecting services listen. */
    static final int FIRST_UNPRIVILEGED_PORT = 1024;

    private final int ownPort;
    private final boolean allowPrivilegedPorts;
    private final Predicate<InetAddress> isLocalAddress;

    /**
     * @param ownPort              the echo's bound port
     * @param allowPrivilegedPorts whether senders on ports 1-1023 are answered
     * @param isLocalAddress       whether an address is one of this host's (loopback and wildcard addresses count as
     *                             local whatever this says)
     * @throws IllegalArgumentException if {@code ownPort} is not 1-65535
     */
    public DatagramSourcePolicy(int ownPort, boolean allowPrivilegedPorts, Predicate<InetAddress> isLocalAddress) {
        if (ownPort < 1 || ownPort > 65535) {
            throw new IllegalArgumentException("the echo's own port must be from 1 to 65535, got " + ownPort);
        }
        this.ownPort = ownPort;
        this.allowPrivilegedPorts = allowPrivilegedPorts;
        this.isLocalAddress = isLocalAddress;
    }

    /**
     * @param sender the datagram's claimed sender
     * @return {@link SourceVerdict#ANSWER}, or the reason not to
     */
    public SourceVerdict judge(InetSocketAddress sender) {
        InetAddress address = sender.getAddress();
        int port = sender.getPort();
        if (port == 0) {
            return SourceVerdict.PORT_ZERO;
        }
        if (address == null || address.isMulticastAddress() || address.isAnyLocalAddress()) {
            return SourceVerdict.INVALID_ADDRESS;
        }
        if (port == ownPort) {
            return address.isLoopbackAddress() || isLocalAddress.test(address) ? SourceVerdict.OWN_ADDRESS
                    : SourceVerdict.SAME_PORT_ELSEWHERE;
        }
        if (port < FIRST_UNPRIVILEGED_PORT && !allowPrivilegedPorts) {
            return SourceVerdict.PRIVILEGED_PORT;
        }
        return SourceVerdict.ANSWER;
    }
}
