package dev.asyncio.core.internal.codec;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * A PROXY protocol header (v1 text or v2 binary, HAProxy's specification): who the proxy says the client is.
 *
 * @param version 1 or 2
 * @param local whether it is a v2 {@code LOCAL} command (a health check by the proxy itself: keep the socket's own
 *              addresses); also true for v1 {@code UNKNOWN} and v2 {@code UNSPEC}, which carry no usable address
 * @param source the client's address, {@code null} when {@code local}
 * @param destination the address the client connected to at the proxy, {@code null} when {@code local}
 * @param transport {@code "TCP4"}, {@code "TCP6"}, {@code "UNIX"}, {@code "UDP4"}, {@code "UDP6"} or
 *                  {@code "UNKNOWN"}
 * @param tlvs the v2 type-length-value extensions, in order (empty for v1)
 * @param length the header's size on the wire
 */
public record ProxyHeader(int version, boolean local, InetSocketAddress source, InetSocketAddress destination,
                          String transport, List<Tlv> tlvs, int length) {

    /** v2 TLV type of the ALPN the client chose. */
    public static final int PP2_TYPE_ALPN = 0x01;
    /** v2 TLV type of the host name the client asked for (SNI). */
    public static final int PP2_TYPE_AUTHORITY = 0x02;
    /** v2 TLV type of a CRC32C of the header. */
    public static final int PP2_TYPE_CRC32C = 0x03;
    /** v2 TLV type of padding. */
    public static final int PP2_TYPE_NOOP = 0x04;
    /** v2 TLV type of a connection id. */
    public static final int PP2_TYPE_UNIQUE_ID = 0x05;
    /** v2 TLV type of the TLS details (with sub-TLVs). */
    public static final int PP2_TYPE_SSL = 0x20;

    /**
     * One v2 extension.
     *
     * @param type its type, 0..255
     * @param value its bytes
     */
    public record Tlv(int type, byte[] value) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Tlv t && t.type == type && java.util.Arrays.equals(t.value, value);
        }

        @Override
        public int hashCode() {
            return 31 * type + java.util.Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "Tlv[" + type + ", " + value.length + " bytes]";
        }
    }

    /**
     * @param type a TLV type
     * @return the first TLV of that type, or {@code null}
     */
    public Tlv tlv(int type) {
        for (Tlv t : tlvs) {
            if (t.type() == type) {
                return t;
            }
        }
        return null;
    }
}
