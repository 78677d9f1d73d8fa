package dev.asyncio.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The raw datagram the spoofed-datagram scenario sends: the Internet checksum against RFC 1071's worked example and a
 * well-known IPv4 header, the UDP checksum verified the way a receiver does (the sum over pseudo-header and segment
 * comes out as zero), and the fields at their offsets.
 */
class Ipv4UdpPacketTest {

    private static Inet4Address v4(String a) throws Exception {
        return (Inet4Address) InetAddress.getByName(a);
    }

    @Test
    void checksumOfRfc1071sExample() {
        byte[] b = {0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7};
        // RFC 1071 section 3: the one's-complement sum is ddf2, so the checksum is its complement.
        assertThat(Ipv4UdpPacket.checksum(b, 0, b.length, 0)).isEqualTo(0x220d);
    }

    @Test
    void checksumPadsAnOddLastByte() {
        assertThat(Ipv4UdpPacket.checksum(new byte[] {0x12, 0x34, 0x56}, 0, 3, 0))
                .isEqualTo(~(0x1234 + 0x5600) & 0xFFFF);
    }

    @Test
    void ipHeaderMatchesAWellKnownExample() throws Exception {
        // 45 00 0073 0000 4000 40 11 b861 c0a80001 c0a800c7: a 115-byte UDP datagram, checksum b861.
        byte[] p = Ipv4UdpPacket.build(v4("192.168.0.1"), 1000, v4("192.168.0.199"), 2000, new byte[115 - 28], 0);
        assertThat(p).hasSize(115);
        assertThat(p[0]).isEqualTo((byte) 0x45);
        assertThat(u16(p, 2)).isEqualTo(115);
        assertThat(u16(p, 6)).isEqualTo(0x4000);
        assertThat(p[8]).isEqualTo((byte) 64);
        assertThat(p[9]).isEqualTo((byte) 17);
        assertThat(u16(p, 10)).isEqualTo(0xb861);
        assertThat(Ipv4UdpPacket.checksum(p, 0, Ipv4UdpPacket.IP_HEADER, 0)).as("a valid header sums to zero")
                .isZero();
    }

    @Test
    void udpHeaderAndChecksumAsAReceiverChecksThem() throws Exception {
        byte[] payload = "chaos: self-addressed".getBytes(StandardCharsets.US_ASCII);
        byte[] p = Ipv4UdpPacket.build(v4("127.0.0.1"), 25004, v4("127.0.0.1"), 25004, payload, 0x4242);
        int u = Ipv4UdpPacket.IP_HEADER;
        assertThat(u16(p, u)).isEqualTo(25004);
        assertThat(u16(p, u + 2)).isEqualTo(25004);
        assertThat(u16(p, u + 4)).isEqualTo(8 + payload.length);
        assertThat(u16(p, 4)).isEqualTo(0x4242);
        // Pseudo-header (source, destination, zero, protocol, UDP length) followed by the segment, checksum included.
        int udpLength = 8 + payload.length;
        byte[] check = new byte[12 + udpLength];
        System.arraycopy(p, 12, check, 0, 8);
        check[9] = 17;
        check[10] = (byte) (udpLength >> 8);
        check[11] = (byte) udpLength;
        System.arraycopy(p, u, check, 12, udpLength);
        assertThat(Ipv4UdpPacket.checksum(check, 0, check.length, 0)).isZero();
        assertThat(new String(p, u + 8, payload.length, StandardCharsets.US_ASCII)).isEqualTo("chaos: self-addressed");
    }

    @Test
    void refusesBadPortsAndOversizedPayloads() throws Exception {
        Inet4Address lo = v4("127.0.0.1");
        assertThatThrownBy(() -> Ipv4UdpPacket.build(lo, 70000, lo, 1, new byte[0], 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ports");
        assertThatThrownBy(() -> Ipv4UdpPacket.build(lo, 1, lo, 1, new byte[65535], 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("65535");
    }

    private static int u16(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }
}
