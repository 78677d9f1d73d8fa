package dev.asyncio.core;

import org.jspecify.annotations.Nullable;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The PROXY protocol header a connection started with ({@link AsyncIoState#proxyInfo()}): what the proxy in front
 * says about the client. Immutable and read-only (byte arrays are copied out); any thread. No LispWorks counterpart.
 */
public final class ProxyInfo {

    /** v2 TLV type {@code PP2_TYPE_ALPN}: the application protocol the client chose. */
    public static final int TLV_ALPN = 0x01;
    /** v2 TLV type {@code PP2_TYPE_AUTHORITY}: the host name the client asked for (SNI), UTF-8. */
    public static final int TLV_AUTHORITY = 0x02;
    /** v2 TLV type {@code PP2_TYPE_CRC32C}: a checksum of the header. */
    public static final int TLV_CRC32C = 0x03;
    /** v2 TLV type {@code PP2_TYPE_NOOP}: padding. */
    public static final int TLV_NOOP = 0x04;
    /** v2 TLV type {@code PP2_TYPE_UNIQUE_ID}: an opaque connection id given by the proxy. */
    public static final int TLV_UNIQUE_ID = 0x05;
    /** v2 TLV type {@code PP2_TYPE_SSL}: the client's TLS details, with sub-TLVs. */
    public static final int TLV_SSL = 0x20;
    /** v2 TLV type {@code PP2_TYPE_NETNS}: the network namespace the connection came from. */
    public static final int TLV_NETNS = 0x30;

    /** The header's command. */
    public enum Command {
        /**
         * The proxy speaks for itself (v2 {@code LOCAL}, a health check; also a v1 {@code UNKNOWN} line and a v2
         * header whose addresses are unspecified or Unix paths): the socket's own addresses are kept.
         */
        LOCAL,
        /** The proxy relays a client whose addresses the header gives. */
        PROXY
    }

    private final int version;
    private final Command command;
    private final String family;
    private final InetSocketAddress source;
    private final InetSocketAddress destination;
    private final SocketAddress proxyAddress;
    private final Map<Integer, byte[]> tlvs;

    /**
     * Made by the engine as it reads a header; public so that tests and other transports can make one.
     *
     * @param version 1 or 2
     * @param command {@link Command#LOCAL} or {@link Command#PROXY}
     * @param family {@code TCP4}, {@code TCP6}, {@code UDP4}, {@code UDP6}, {@code UNIX} or {@code UNKNOWN}
     * @param source the client's address ({@code null} for {@code LOCAL})
     * @param destination the address the client connected to at the proxy ({@code null} for {@code LOCAL})
     * @param proxyAddress the socket's own peer: the proxy (or {@code null} if unknown)
     * @param tlvs the v2 TLVs by type, in order (copied; the first of a repeated type wins)
     */
    public ProxyInfo(int version, Command command, String family, @Nullable InetSocketAddress source,
                     @Nullable InetSocketAddress destination, @Nullable SocketAddress proxyAddress,
                     Map<Integer, byte[]> tlvs) {
        if (version != 1 && version != 2) {
            throw new IllegalArgumentException("a PROXY protocol version is 1 or 2, got " + version);
        }
        this.version = version;
        this.command = java.util.Objects.requireNonNull(command, "command");
        this.family = java.util.Objects.requireNonNull(family, "family");
        this.source = source;
        this.destination = destination;
        this.proxyAddress = proxyAddress;
        Map<Integer, byte[]> copy = new LinkedHashMap<>();
        tlvs.forEach((type, value) -> copy.putIfAbsent(type, value.clone()));
        this.tlvs = Collections.unmodifiableMap(copy);
    }

    /** @return 1 (text) or 2 (binary) */
    public int version() {
        return version;
    }

    /** @return whether the proxy relays a client or speaks for itself */
    public Command command() {
        return command;
    }

    /**
     * @return the transport and family the header names: {@code TCP4}, {@code TCP6}, {@code UDP4}, {@code UDP6},
     *         {@code UNIX} or {@code UNKNOWN} (v1 {@code UNKNOWN}, v2 {@code UNSPEC})
     */
    public String family() {
        return family;
    }

    /** @return the client's address; {@code null} unless {@link #command()} is {@link Command#PROXY} */
    public @Nullable InetSocketAddress source() {
        return source;
    }

    /** @return where the client connected to at the proxy; {@code null} unless {@link Command#PROXY} */
    public @Nullable InetSocketAddress destination() {
        return destination;
    }

    /**
     * @return the socket's own peer, that is the proxy ({@code InetSocketAddress} for TCP, a
     *         {@code UnixDomainSocketAddress} for a Unix socket); {@code null} if it was unknown
     */
    public @Nullable SocketAddress proxyAddress() {
        return proxyAddress;
    }

    /** @return the v2 TLVs by type, in header order, each value a copy; empty for v1 */
    public Map<Integer, byte[]> tlvs() {
        Map<Integer, byte[]> copy = new LinkedHashMap<>();
        tlvs.forEach((type, value) -> copy.put(type, value.clone()));
        return Collections.unmodifiableMap(copy);
    }

    /**
     * @param type a TLV type, such as {@link #TLV_AUTHORITY}
     * @return a copy of its value, or {@code null} if the header has none
     */
    public byte @Nullable [] tlv(int type) {
        byte[] v = tlvs.get(type);
        return v == null ? null : v.clone();
    }

    /** @return the host name the client asked the proxy for ({@link #TLV_AUTHORITY}), or {@code null} */
    public @Nullable String authority() {
        byte[] v = tlvs.get(TLV_AUTHORITY);
        return v == null ? null : new String(v, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "PROXY v" + version + " " + command + " " + family
                + (source != null ? " " + source + " -> " + destination : "") + " via " + proxyAddress
                + (tlvs.isEmpty() ? "" : " tlvs=" + tlvs.keySet());
    }
}
