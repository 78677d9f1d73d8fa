package dev.asyncio.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Issue 13, defect 3: LispWorks' {@code create-async-io-state} with an integer file descriptor is, in Java, the
 * socket inherited from the parent process ({@link System#inheritedChannel()}). Each test starts a child JVM
 * ({@link InheritedChannelChild}) whose standard input is a socket: bash's {@code /dev/tcp} and {@code /dev/udp}
 * redirections make a connected TCP or UDP one, perl (part of every Debian) a listening one. A test skips with a
 * message when its tool is absent.
 */
class InheritedChannelFidelityTest {

    private static List<String> viaBash(String redirect, List<String> java) {
        List<String> cmd = new ArrayList<>(List.of("bash", "-c", "exec \"$0\" \"$@\" 0<>" + redirect));
        cmd.addAll(java);
        return cmd;
    }

    @Test
    void anInheritedTcpSocketBecomesATcpState() throws Exception {
        assumeThat(ChildJvm.onPath("bash")).as("bash is not installed: inherited TCP socket test skipped").isTrue();
        try (ServerSocket server = new ServerSocket(0, 1, LoopTestSupport.LOOPBACK)) {
            server.setSoTimeout((int) (ChildJvm.WAIT_SECONDS * 1000));
            try (ChildJvm child = ChildJvm.start(viaBash("/dev/tcp/127.0.0.1/" + server.getLocalPort(),
                    ChildJvm.javaCommand(InheritedChannelChild.class, List.of(), "tcp")));
                 Socket peer = server.accept()) {
                peer.setSoTimeout((int) (ChildJvm.WAIT_SECONDS * 1000));
                OutputStream out = peer.getOutputStream();
                out.write("hello\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                BufferedReader in = new BufferedReader(new InputStreamReader(peer.getInputStream(),
                        StandardCharsets.ISO_8859_1));
                assertThat(in.readLine()).isEqualTo("ECHO:hello");
                assertThat(child.nextLine()).isEqualTo("OK tcp hello");
                assertThat(child.awaitExit()).as(child.stderr()).isZero();
            }
        }
    }

    @Test
    void anInheritedUdpSocketBecomesAUdpState() throws Exception {
        assumeThat(ChildJvm.onPath("bash")).as("bash is not installed: inherited UDP socket test skipped").isTrue();
        try (DatagramSocket parent = new DatagramSocket(0, LoopTestSupport.LOOPBACK)) {
            parent.setSoTimeout((int) (ChildJvm.WAIT_SECONDS * 1000));
            int port = parent.getLocalPort();
            // JDK 25 (not 17) treats the inherited datagram channel as an IPv6 one whenever IPv6 is available, whatever
            // the socket's real family: every send (and connect) on this AF_INET socket then fails with "Address
            // family not supported by protocol". preferIPv4Stack is what a user of an inherited IPv4 UDP socket
            // needs on such a JDK (JDK 17 ignores the difference); the contract checked is the same on both.
            List<String> jvmArgs = List.of("-Djava.net.preferIPv4Stack=true");
            try (ChildJvm child = ChildJvm.start(viaBash("/dev/udp/127.0.0.1/" + port,
                    ChildJvm.javaCommand(InheritedChannelChild.class, jvmArgs, "udp", String.valueOf(port))))) {
                DatagramPacket p = new DatagramPacket(new byte[100], 100);
                parent.receive(p);
                assertThat(new String(p.getData(), 0, p.getLength(), StandardCharsets.ISO_8859_1))
                        .isEqualTo("ready");
                byte[] ping = "ping".getBytes(StandardCharsets.ISO_8859_1);
                parent.send(new DatagramPacket(ping, ping.length, p.getSocketAddress()));
                DatagramPacket reply = new DatagramPacket(new byte[100], 100);
                parent.receive(reply);
                assertThat(new String(reply.getData(), 0, reply.getLength(), StandardCharsets.ISO_8859_1))
                        .isEqualTo("ECHO:ping");
                assertThat(child.nextLine()).isEqualTo("OK udp ping "
                        + ((InetSocketAddress) p.getSocketAddress()).getPort());
                assertThat(child.awaitExit()).as(child.stderr()).isZero();
            }
        }
    }

    /**
     * Where the JDK cannot send from an inherited IPv4 UDP socket (see above), making its state says so, naming the
     * remedy; where it can, nothing is said. Either way the child finds out for itself whether a send works.
     */
    @Test
    void anInheritedUdpSocketTheJdkCannotSendFromIsReportedWithTheRemedy() throws Exception {
        assumeThat(ChildJvm.onPath("bash")).as("bash is not installed: inherited UDP socket test skipped").isTrue();
        try (DatagramSocket parent = new DatagramSocket(0, LoopTestSupport.LOOPBACK)) {
            int port = parent.getLocalPort();
            try (ChildJvm child = ChildJvm.start(viaBash("/dev/udp/127.0.0.1/" + port, ChildJvm.javaCommand(
                    InheritedChannelChild.class, List.of(), "udp-send-probe", String.valueOf(port))))) {
                String sends = child.nextLine();
                assertThat(child.awaitExit()).as(child.stderr()).isZero();
                assertThat(sends).isIn("SEND-WORKS", "SEND-FAILS");
                assertThat(child.stderr().contains("-Djava.net.preferIPv4Stack=true")).as(sends + "; stderr: "
                        + child.stderr()).isEqualTo(sends.equals("SEND-FAILS"));
            }
        }
    }

    @Test
    void anInheritedListeningSocketBecomesAnAcceptingHandle() throws Exception {
        assumeThat(ChildJvm.onPath("perl")).as("perl is not installed: inherited listening socket test skipped")
                .isTrue();
        List<String> cmd = new ArrayList<>(List.of("perl", "-MIO::Socket::INET", "-e",
                "$s = IO::Socket::INET->new(Listen => 8, LocalAddr => '127.0.0.1', LocalPort => 0, Proto => 'tcp')"
                        + " or die \"listen: $!\"; open(STDIN, '<&', $s) or die \"dup: $!\"; exec @ARGV"
                        + " or die \"exec: $!\";"));
        cmd.addAll(ChildJvm.javaCommand(InheritedChannelChild.class, List.of(), "listen"));
        try (ChildJvm child = ChildJvm.start(cmd)) {
            String portLine = child.nextLine();
            assertThat(portLine).startsWith("PORT ");
            int port = Integer.parseInt(portLine.substring(5));
            try (Peer peer = Peer.connect(new InetSocketAddress(LoopTestSupport.LOOPBACK, port))) {
                peer.send("over an inherited listener\n");
                assertThat(peer.readString("ECHO:over an inherited listener\n".length()))
                        .isEqualTo("ECHO:over an inherited listener\n");
            }
            assertThat(child.nextLine()).startsWith("OK listen over an inherited listener");
            assertThat(child.awaitExit()).as(child.stderr()).isZero();
        }
    }

    @Test
    void withoutAnInheritedSocketTheCallsSayWhy() {
        // Surefire's forked JVM reads its standard input from a pipe, not a socket: nothing was inherited.
        WaitStateCollection c = WaitStateCollection.create("no-inherited");
        try {
            assertThatThrownBy(() -> c.createStateForInheritedChannel(StateOptions.DEFAULTS))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("createStateForInheritedChannel").hasMessageContaining("inherited no channel");
            assertThatThrownBy(() -> c.acceptInheritedConnections((h, s) -> { }, AcceptOptions.DEFAULTS))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("acceptInheritedConnections");
        } finally {
            c.close();
        }
    }
}
