package dev.asyncio.core.internal.codec;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses a PROXY protocol header, v1 or v2, from the start of a connection's input, as a pure function: called
 * again with more input until it says {@link #DONE}, {@link #NOT_PROXY} or {@link #INVALID}; it holds nothing
 * between calls, so a header split across reads anywhere parses the same. Addresses must be literal: nothing is
 * ever resolved. Not thread-safe (the last result is kept in fields).
 */
public final class ProxyHeaderParser {
    /** Not decided yet: call again with more input. */
    public static final int NEED_MORE = 0;
    /** A header: see {@link #header()}; its {@link ProxyHeader#length()} bytes are consumed. */
    public static final int DONE = 1;
    /** The input does not start with a PROXY header ({@code auto} mode only: a direct connection). */
    public static final int NOT_PROXY = 2;
    /** A broken header, or none where one is required: see {@link #error()}. */
    public static final int INVALID = 3;

    /** The longest v1 header, CR LF included (HAProxy's specification). */
    public static final int V1_MAX = 107;
    private static final byte[] V1_PREFIX = "PROXY ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54,
        0x0A};

    private final boolean required;
    private final int maxV2Length;
    private ProxyHeader header;
    private String error;

    /**
     * @param required whether a connection without a header is {@link #INVALID} ({@code on}) rather than
     *                 {@link #NOT_PROXY} ({@code auto})
     * @param maxV2Length the longest v2 header accepted, 16 + address block + TLVs (at least 232)
     */
    public ProxyHeaderParser(boolean required, int maxV2Length) {
        if (maxV2Length < 232 || maxV2Length > 16 + 65535) {
            throw new IllegalArgumentException("maxV2Length must be 232..65551, got " + maxV2Length);
        }
        this.required = required;
        this.maxV2Length = maxV2Length;
    }

    /** @return the header after {@link #DONE} */
    public ProxyHeader header() {
        return header;
    }

    /** @return why after {@link #INVALID} */
    public String error() {
        return error;
    }

    /**
     * @param in the connection's first bytes
     * @param start where they begin
     * @param end the index after the last
     * @return {@link #NEED_MORE}, {@link #DONE}, {@link #NOT_PROXY} or {@link #INVALID}
     */
    public int parse(ByteBuffer in, int start, int end) {
        header = null;
        error = null;
        int len = end - start;
        if (len == 0) {
            return NEED_MORE;
        }
        int v1 = prefix(in, start, end, V1_PREFIX);
        int v2 = prefix(in, start, end, V2_SIGNATURE);
        if (v1 < 0 && v2 < 0) {
            return required ? invalid("the connection does not start with a PROXY protocol header") : NOT_PROXY;
        }
        if (v2 > 0) {
            return v2 < V2_SIGNATURE.length ? NEED_MORE : v2(in, start, end);
        }
        return v1 < V1_PREFIX.length ? NEED_MORE : v1(in, start, end);
    }

    /** @return -1 on a mismatch, else how many bytes of {@code prefix} the input holds */
    private static int prefix(ByteBuffer in, int start, int end, byte[] prefix) {
        int n = Math.min(end - start, prefix.length);
        for (int i = 0; i < n; i++) {
            if (in.get(start + i) != prefix[i]) {
                return -1;
            }
        }
        return n;
    }

    private int invalid(String why) {
        error = why;
        return INVALID;
    }

    private int v1(ByteBuffer in, int start, int end) {
        int lf = -1;
        for (int i = start; i < Math.min(end, start + V1_MAX); i++) {
            if (in.get(i) == '\n') {
                lf = i;
                break;
            }
        }
        if (lf < 0) {
            return end - start >= V1_MAX ? invalid("a v1 header longer than " + V1_MAX + " bytes") : NEED_MORE;
        }
        if (lf == start || in.get(lf - 1) != '\r') {
            return invalid("a v1 header must end with CR LF");
        }
        byte[] line = new byte[lf - 1 - start];
        in.get(start, line);
        for (byte b : line) {
            if (b < 0x20 || b > 0x7e) {
                return invalid("a v1 header holds a byte that is not printable ASCII");
            }
        }
        String[] f = new String(line, StandardCharsets.US_ASCII).split(" ", -1);
        int length = lf + 1 - start;
        if (f.length >= 2 && f[1].equals("UNKNOWN")) {
            return done(new ProxyHeader(1, true, null, null, "UNKNOWN", List.of(), length));
        }
        if (f.length != 6 || !(f[1].equals("TCP4") || f[1].equals("TCP6"))) {
            return invalid("a v1 header must be PROXY TCP4|TCP6 <src> <dst> <sport> <dport>, or PROXY UNKNOWN");
        }
        boolean v6 = f[1].equals("TCP6");
        InetAddress src = literal(f[2], v6);
        InetAddress dst = literal(f[3], v6);
        int sport = port(f[4]);
        int dport = port(f[5]);
        if (src == null || dst == null) {
            return invalid("a v1 " + f[1] + " header needs literal " + (v6 ? "IPv6" : "IPv4") + " addresses");
        }
        if (sport < 0 || dport < 0) {
            return invalid("a v1 header's ports must be decimal 0..65535");
        }
        return done(new ProxyHeader(1, false, new InetSocketAddress(src, sport), new InetSocketAddress(dst, dport),
                f[1], List.of(), length));
    }

    private static InetAddress literal(String s, boolean v6) {
        if (s.isEmpty() || s.length() > 45) {
            return null;
        }
        if (!v6) {
            String[] parts = s.split("\\.", -1);
            if (parts.length != 4) {
                return null;
            }
            byte[] a = new byte[4];
            for (int i = 0; i < 4; i++) {
                int v = decimal(parts[i], 3);
                if (v < 0 || v > 255) {
                    return null;
                }
                a[i] = (byte) v;
            }
            return byAddress(a);
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c == ':' || c == '.' || Character.digit(c, 16) >= 0)) {
                return null; // never a name: getByName must not resolve
            }
        }
        if (s.indexOf(':') < 0) {
            return null;
        }
        try {
            InetAddress a = InetAddress.getByName(s);
            return a;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static InetAddress byAddress(byte[] a) {
        try {
            return InetAddress.getByAddress(a);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static int port(String s) {
        int v = decimal(s, 5);
        return v > 65535 ? -1 : v;
    }

    private static int decimal(String s, int maxDigits) {
        if (s.isEmpty() || s.length() > maxDigits) {
            return -1;
        }
        int v = 0;
        for (int i = 0; i < s.length(); i++) {
            int d = s.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }

    private int v2(ByteBuffer in, int start, int end) {
        if (end - start < 16) {
            return NEED_MORE;
        }
        int verCmd = in.get(start + 12) & 0xff;
        int famProto = in.get(start + 13) & 0xff;
        int bodyLength = ((in.get(start + 14) & 0xff) << 8) | (in.get(start + 15) & 0xff);
        if (verCmd >> 4 != 2) {
            return invalid("a v2 header's version must be 2, got " + (verCmd >> 4));
        }
        int cmd = verCmd & 0x0f;
        if (cmd > 1) {
            return invalid("a v2 header's command must be LOCAL (0) or PROXY (1), got " + cmd);
        }
        int length = 16 + bodyLength;
        if (length > maxV2Length) {
            return invalid("a v2 header of " + length + " bytes is over the limit (" + maxV2Length + ")");
        }
        int family = famProto >> 4;
        int proto = famProto & 0x0f;
        if (family > 3 || proto > 2) {
            return invalid(String.format("a v2 header's family/protocol byte 0x%02x is not defined", famProto));
        }
        int addressLength = family == 1 ? 12 : family == 2 ? 36 : family == 3 ? 216 : 0;
        if (bodyLength < addressLength) {
            return invalid("a v2 header's length (" + bodyLength + ") is shorter than its address block ("
                    + addressLength + ")");
        }
        if (end - start < length) {
            return NEED_MORE;
        }
        List<ProxyHeader.Tlv> tlvs = new ArrayList<>();
        int at = start + 16 + addressLength;
        int stop = start + length;
        while (at < stop) {
            if (stop - at < 3) {
                return invalid("a v2 TLV is cut short by the header's end");
            }
            int type = in.get(at) & 0xff;
            int n = ((in.get(at + 1) & 0xff) << 8) | (in.get(at + 2) & 0xff);
            if (at + 3 + n > stop) {
                return invalid("a v2 TLV of " + n + " bytes runs past the header's end");
            }
            byte[] value = new byte[n];
            in.get(at + 3, value);
            tlvs.add(new ProxyHeader.Tlv(type, value));
            at += 3 + n;
        }
        String transport = family == 1 ? (proto == 2 ? "UDP4" : "TCP4") : family == 2 ? (proto == 2 ? "UDP6" : "TCP6")
                : family == 3 ? "UNIX" : "UNKNOWN";
        if (cmd == 0 || family == 0 || family == 3) {
            // LOCAL (the proxy's own health check), UNSPEC and Unix sockets: the socket's addresses stay.
            return done(new ProxyHeader(2, true, null, null, transport, List.copyOf(tlvs), length));
        }
        int a = start + 16;
        int size = family == 1 ? 4 : 16;
        byte[] src = new byte[size];
        byte[] dst = new byte[size];
        in.get(a, src);
        in.get(a + size, dst);
        int sport = ((in.get(a + 2 * size) & 0xff) << 8) | (in.get(a + 2 * size + 1) & 0xff);
        int dport = ((in.get(a + 2 * size + 2) & 0xff) << 8) | (in.get(a + 2 * size + 3) & 0xff);
        return done(new ProxyHeader(2, false, new InetSocketAddress(byAddress(src), sport),
                new InetSocketAddress(byAddress(dst), dport), transport, List.copyOf(tlvs), length));
    }

    private int done(ProxyHeader h) {
        header = h;
        return DONE;
    }
}
