package dev.asyncio.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, defect 4: {@code createState} of a UDP channel takes LispWorks' {@code :ipv6} ({@link StateOptions#ipv6()}:
 * which family host names resolve in), by default the channel's own family. The host-name cases run in a child JVM
 * whose resolver reads a hosts file naming {@code dualhost} with both 127.0.0.1 and ::1 ({@code jdk.net.hosts.file}),
 * since the JVM's resolver settings are fixed when it starts.
 */
class UdpFamilyFidelityTest extends LoopTestSupport {

    @TempDir
    Path dir;

    private static void assumeIpv6() {
        assumeThat(AcceptingHandleTest.ipv6LoopbackAvailable()).as("this machine has no ::1: IPv6 test skipped")
                .isTrue();
    }

    private String runChild(String mode, String... jvmArgs) throws Exception {
        Path hosts = dir.resolve("hosts");
        Files.writeString(hosts, "127.0.0.1 dualhost\n::1 dualhost\n");
        List<String> jvm = new java.util.ArrayList<>(List.of("-Djdk.net.hosts.file=" + hosts));
        jvm.addAll(List.of(jvmArgs));
        try (ChildJvm child = ChildJvm.start(ChildJvm.javaCommand(UdpFamilyChild.class, jvm, mode))) {
            String line = child.nextLine();
            child.awaitExit();
            return line;
        }
    }

    @Test
    void aWrappedIpv6ChannelSendsToTheIpv6AddressOfAHostName() throws Exception {
        assumeIpv6();
        // Old code: the IPv4 address came first (the JVM prefers IPv4) and the ::1-bound socket could not send to it.
        assertThat(runChild("v6-specific")).isEqualTo("OK 0:0:0:0:0:0:0:1");
    }

    @Test
    void aWrappedIpv4ChannelSendsToTheIpv4AddressEvenWhenTheJvmPrefersIpv6() throws Exception {
        assumeIpv6();
        // Old code: ::1 came first and the send failed with UnsupportedAddressTypeException.
        assertThat(runChild("v4-wildcard", "-Djava.net.preferIPv6Addresses=true")).isEqualTo("OK 127.0.0.1");
    }

    @Test
    void ipv6TrueOnADualStackChannelResolvesInIpv6() throws Exception {
        assumeIpv6();
        assertThat(runChild("v6-wildcard-explicit")).isEqualTo("OK 0:0:0:0:0:0:0:1");
    }

    @Test
    void anIpv6OptionThatContradictsTheChannelsFamilyIsRefused() throws Exception {
        assumeIpv6();
        DatagramChannel v4 = track(DatagramChannel.open(StandardProtocolFamily.INET));
        v4.bind(new InetSocketAddress(LOOPBACK, 0));
        assertThatThrownBy(() -> collection.createState(v4, StateOptions.builder().ipv6(true).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ipv6=true")
                .hasMessageContaining("IPv4 socket");
        DatagramChannel v6 = track(DatagramChannel.open(StandardProtocolFamily.INET6));
        v6.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
        assertThatThrownBy(() -> collection.createState(v6, StateOptions.builder().ipv6(false).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ipv6=false");
        assertThat(v4.isOpen() && v6.isOpen()).as("a refusal leaves the channels alone").isTrue();
    }

    @Test
    void anUnboundChannelIsBoundToItsFamilysWildcardToLearnTheFamily() throws Exception {
        assumeIpv6();
        DatagramChannel unbound = track(DatagramChannel.open(StandardProtocolFamily.INET6));
        AsyncIoState state = collection.createState(unbound, StateOptions.DEFAULTS);
        InetSocketAddress local = state.localAddress();
        assertThat(local.getAddress().isAnyLocalAddress()).isTrue();
        assertThat(local.getPort()).isPositive();
    }
}
