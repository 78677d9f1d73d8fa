package dev.asyncio.sample.udp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** Which claimed senders the UDP echo answers: the Loop DoS (CVE-2024-2169) defence, decided without sockets. */
class DatagramSourcePolicyTest {

    private static final int OWN_PORT = 7001;

    private static InetSocketAddress at(String host, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(host), port);
    }

    private final DatagramSourcePolicy policy;

    DatagramSourcePolicyTest() throws Exception {
        Set<InetAddress> hostAddresses = Set.of(InetAddress.getByName("10.1.2.3"), InetAddress.getByName("fd00::7"));
        policy = new DatagramSourcePolicy(OWN_PORT, false, hostAddresses::contains);
    }

    @Test
    void aDatagramFromTheEchosOwnAddressIsNotAnswered() throws Exception {
        // The one-datagram loop: spoofed from 127.0.0.1:7001 to 127.0.0.1:7001, the echo used to answer itself.
        assertThat(policy.judge(at("127.0.0.1", OWN_PORT))).isEqualTo(SourceVerdict.OWN_ADDRESS);
        assertThat(policy.judge(at("127.0.0.53", OWN_PORT))).as("all of 127/8 is this host")
                .isEqualTo(SourceVerdict.OWN_ADDRESS);
        assertThat(policy.judge(at("::1", OWN_PORT))).isEqualTo(SourceVerdict.OWN_ADDRESS);
        assertThat(policy.judge(at("10.1.2.3", OWN_PORT))).as("an interface address of the host")
                .isEqualTo(SourceVerdict.OWN_ADDRESS);
        assertThat(policy.judge(at("fd00::7", OWN_PORT))).isEqualTo(SourceVerdict.OWN_ADDRESS);
    }

    @Test
    void theEchosPortAtAnotherHostIsNotAnsweredEither() throws Exception {
        // Another echo like this one: the two would answer each other forever.
        assertThat(policy.judge(at("192.0.2.1", OWN_PORT))).isEqualTo(SourceVerdict.SAME_PORT_ELSEWHERE);
    }

    @Test
    void portZeroAndImpossibleAddressesAreNotAnswered() throws Exception {
        assertThat(policy.judge(at("192.0.2.1", 0))).isEqualTo(SourceVerdict.PORT_ZERO);
        assertThat(policy.judge(at("127.0.0.1", 0))).isEqualTo(SourceVerdict.PORT_ZERO);
        assertThat(policy.judge(at("224.0.0.1", 40000))).isEqualTo(SourceVerdict.INVALID_ADDRESS);
        assertThat(policy.judge(at("ff02::1", 40000))).isEqualTo(SourceVerdict.INVALID_ADDRESS);
        assertThat(policy.judge(at("0.0.0.0", 40000))).isEqualTo(SourceVerdict.INVALID_ADDRESS);
        assertThat(policy.judge(at("::", 40000))).isEqualTo(SourceVerdict.INVALID_ADDRESS);
    }

    @Test
    void wellKnownPortsAreNotAnsweredUnlessAllowed() throws Exception {
        for (int reflector : new int[] {7, 13, 17, 19, 53, 123, 161, 389, 1023}) {
            assertThat(policy.judge(at("192.0.2.1", reflector))).as("port %d", reflector)
                    .isEqualTo(SourceVerdict.PRIVILEGED_PORT);
            assertThat(policy.judge(at("127.0.0.1", reflector))).as("port %d", reflector)
                    .isEqualTo(SourceVerdict.PRIVILEGED_PORT);
        }
        DatagramSourcePolicy allowing = new DatagramSourcePolicy(OWN_PORT, true, a -> false);
        assertThat(allowing.judge(at("192.0.2.1", 53))).isEqualTo(SourceVerdict.ANSWER);
        assertThat(allowing.judge(at("127.0.0.1", OWN_PORT))).as("itself still not")
                .isEqualTo(SourceVerdict.OWN_ADDRESS);
    }

    @Test
    void ordinaryClientsAreAnswered() throws Exception {
        assertThat(policy.judge(at("127.0.0.1", 1024))).isEqualTo(SourceVerdict.ANSWER);
        assertThat(policy.judge(at("127.0.0.1", 54321))).isEqualTo(SourceVerdict.ANSWER);
        assertThat(policy.judge(at("10.1.2.3", 54321))).as("the host itself, from another port")
                .isEqualTo(SourceVerdict.ANSWER);
        assertThat(policy.judge(at("192.0.2.1", 65535))).isEqualTo(SourceVerdict.ANSWER);
        assertThat(policy.judge(at("2001:db8::1", 40000))).isEqualTo(SourceVerdict.ANSWER);
    }

    @Test
    void refusalsHaveBoundedReasons() {
        for (SourceVerdict v : SourceVerdict.values()) {
            assertThat(v.reason() == null).isEqualTo(v == SourceVerdict.ANSWER);
        }
    }

    @Test
    void anImpossibleOwnPortIsMisuse() {
        assertThatThrownBy(() -> new DatagramSourcePolicy(0, false, a -> false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("own port");
    }
}
