package dev.asyncio.bench.chaos;

import java.net.Inet4Address;

/**
 * Builds one IPv4 datagram carrying UDP, header and checksums included, for a raw socket ({@code IPPROTO_RAW}, which
 * implies {@code IP_HDRINCL}): the only way to send a datagram whose source address and port are someone else's,
 * e.g. the UDP echo's own, which makes an echo that answers the sender talk to itself. Pure; tested against known
 * checksums.
 */
final class Ipv4UdpPacket {

    static final int IP_HEADER = 20;
    static final int UDP_HEADER = 8;
    private static final int PROTOCOL_UDP = 17;
    private static final int TTL = 64;

    private Ipv4UdpPacket() {
    }

    /**
     * @param source      the (spoofed) source address
     * @param sourcePort  the (spoofed) source port
     * @param target      the destination address
     * @param targetPort  the destination port
     * @param payload     the UDP payload
     * @param id          the IP identification field
     * @return the whole datagram: IPv4 header, UDP header, payload
     * @throws IllegalArgumentException when a port is out of range or the datagram would pass 65,535 bytes
     */
    static byte[] build(Inet4Address source, int sourcePort, Inet4Address target, int targetPort, byte[] payload,
            int id) {
        if (sourcePort < 0 || sourcePort > 0xFFFF || targetPort < 0 || targetPort > 0xFFFF) {
            throw new IllegalArgumentException("ports must be from 0 to 65535");
        }
        int udpLength = UDP_HEADER + payload.length;
        int total = IP_HEADER + udpLength;
        if (total > 0xFFFF) {
            throw new IllegalArgumentException("an IPv4 datagram holds at most 65535 bytes, got " + total);
        }
        byte[] p = new byte[total];
        p[0] = 0x45; // version 4, header length 5 words
        put16(p, 2, total);
        put16(p, 4, id);
        put16(p, 6, 0x4000); // don't fragment
        p[8] = (byte) TTL;
        p[9] = (byte) PROTOCOL_UDP;
        System.arraycopy(source.getAddress(), 0, p, 12, 4);
        System.arraycopy(target.getAddress(), 0, p, 16, 4);
        put16(p, 10, checksum(p, 0, IP_HEADER, 0));

        int u = IP_HEADER;
        put16(p, u, sourcePort);
        put16(p, u + 2, targetPort);
        put16(p, u + 4, udpLength);
        System.arraycopy(payload, 0, p, u + UDP_HEADER, payload.length);
        // The UDP checksum covers a pseudo-header: both addresses, the protocol and the UDP length.
        long pseudo = sum(p, 12, 8) + PROTOCOL_UDP + udpLength;
        int udpSum = checksum(p, u, udpLength, pseudo);
        put16(p, u + 6, udpSum == 0 ? 0xFFFF : udpSum); // 0 means "no checksum" in UDP over IPv4
        return p;
    }

    /**
     * The Internet checksum (RFC 1071) of {@code length} bytes from {@code offset}, with a partial sum added.
     *
     * @param b       the bytes
     * @param offset  where to start
     * @param length  how many bytes; an odd last byte is padded with zero
     * @param initial a partial sum to add (e.g. of a pseudo-header)
     * @return the one's complement of the one's-complement sum, 16 bits
     */
    static int checksum(byte[] b, int offset, int length, long initial) {
        long s = initial + sum(b, offset, length);
        while ((s >> 16) != 0) {
            s = (s & 0xFFFF) + (s >> 16);
        }
        return (int) (~s & 0xFFFF);
    }

    private static long sum(byte[] b, int offset, int length) {
        long s = 0;
        for (int i = 0; i + 1 < length; i += 2) {
            s += ((b[offset + i] & 0xFF) << 8) | (b[offset + i + 1] & 0xFF);
        }
        if ((length & 1) != 0) {
            s += (b[offset + length - 1] & 0xFF) << 8;
        }
        return s;
    }

    private static void put16(byte[] b, int at, int v) {
        b[at] = (byte) (v >> 8);
        b[at + 1] = (byte) v;
    }
}
