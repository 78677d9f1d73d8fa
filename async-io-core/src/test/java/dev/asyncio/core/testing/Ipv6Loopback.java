package dev.asyncio.core.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import org.junit.jupiter.api.Assumptions;

/**
 * Skips a test on a machine without an IPv6 loopback ({@code ::1}), as some containers and CI runners are. The probe
 * binds the kind of socket the test will use, since a host may allow one and not the other.
 */
public final class Ipv6Loopback {

    private Ipv6Loopback() {
    }

    /** Skips the calling test unless a TCP server socket can bind to {@code ::1}. */
    public static void assumeForTcp() {
        boolean ok;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("::1"))) {
            ok = probe.getLocalPort() > 0;
        } catch (IOException e) {
            ok = false;
        }
        Assumptions.assumeTrue(ok, "skipped: this machine has no IPv6 loopback (::1)");
    }

    /** Skips the calling test unless a UDP socket can bind to {@code ::1}. */
    public static void assumeForUdp() {
        boolean ok;
        try (DatagramChannel probe = DatagramChannel.open(StandardProtocolFamily.INET6)) {
            probe.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
            ok = true;
        } catch (IOException | UnsupportedOperationException e) {
            ok = false;
        }
        Assumptions.assumeTrue(ok, "skipped: this machine has no IPv6 loopback (cannot bind a UDP socket to ::1)");
    }
}
