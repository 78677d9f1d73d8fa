package dev.asyncio.core.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.handler.codec.haproxy.HAProxyTLV;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The PROXY protocol header parser: v1 (TCP4, TCP6, UNKNOWN) and v2 (PROXY, LOCAL, TLVs) as Netty's
 * {@code HAProxyMessageEncoder} writes them, fed a byte at a time and at every split; garbage, names instead of
 * addresses, and {@code auto} mode.
 */
class ProxyHeaderParserTest {

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Feeds {@code bytes} growing one byte at a time, as reads would, until the parser decides. */
    private static int feed(ProxyHeaderParser p, byte[] bytes) {
        for (int n = 1; n <= bytes.length; n++) {
            int r = p.parse(ByteBuffer.wrap(bytes).asReadOnlyBuffer(), 0, n);
            if (r != ProxyHeaderParser.NEED_MORE) {
                return r;
            }
        }
        return ProxyHeaderParser.NEED_MORE;
    }

    private static ProxyHeader parsed(byte[] bytes) {
        ProxyHeaderParser p = new ProxyHeaderParser(true, 4096);
        assertThat(feed(p, bytes)).as(p.error()).isEqualTo(ProxyHeaderParser.DONE);
        // Every arrival split decides the same: the parser keeps nothing between calls.
        assertThat(p.parse(ByteBuffer.wrap(bytes), 0, bytes.length)).isEqualTo(ProxyHeaderParser.DONE);
        return p.header();
    }

    private static byte[] netty(HAProxyMessage m) {
        EmbeddedChannel ch = new EmbeddedChannel(HAProxyMessageEncoder.INSTANCE);
        ch.writeOutbound(m);
        ByteBuf out = ch.readOutbound();
        byte[] b = ByteBufUtil.getBytes(out);
        out.release();
        ch.finishAndReleaseAll();
        return b;
    }

    @Test
    void v1Tcp4Tcp6AndUnknown() {
        byte[] tcp4 = ascii("PROXY TCP4 192.0.2.1 198.51.100.7 56324 443\r\nGET /");
        ProxyHeader h = parsed(tcp4);
        assertThat(h.version()).isEqualTo(1);
        assertThat(h.local()).isFalse();
        assertThat(h.source()).isEqualTo(new InetSocketAddress("192.0.2.1", 56324));
        assertThat(h.destination()).isEqualTo(new InetSocketAddress("198.51.100.7", 443));
        assertThat(h.length()).as("the payload after it is not part of it").isEqualTo(tcp4.length - 5);

        ProxyHeader v6 = parsed(ascii("PROXY TCP6 2001:db8::1 ::ffff:198.51.100.7 1 65535\r\n"));
        assertThat(v6.source()).isEqualTo(new InetSocketAddress("2001:db8::1", 1));
        assertThat(v6.transport()).isEqualTo("TCP6");

        ProxyHeader unknown = parsed(ascii("PROXY UNKNOWN ffff::1 ffff::2 1 2\r\n"));
        assertThat(unknown.local()).isTrue();
        assertThat(unknown.source()).isNull();
        assertThat(parsed(ascii("PROXY UNKNOWN\r\n")).length()).isEqualTo(15);
    }

    @Test
    void netty_v1_v2_tlvs_and_local() {
        ProxyHeader v1 = parsed(netty(new HAProxyMessage(HAProxyProtocolVersion.V1, HAProxyCommand.PROXY,
                HAProxyProxiedProtocol.TCP4, "10.1.2.3", "10.9.8.7", 40000, 7002)));
        assertThat(v1.source()).isEqualTo(new InetSocketAddress("10.1.2.3", 40000));

        ProxyHeader v2 = parsed(netty(new HAProxyMessage(HAProxyProtocolVersion.V2, HAProxyCommand.PROXY,
                HAProxyProxiedProtocol.TCP6, "2001:db8::5", "2001:db8::6", 1234, 7002)));
        assertThat(v2.version()).isEqualTo(2);
        assertThat(v2.source()).isEqualTo(new InetSocketAddress("2001:db8::5", 1234));
        assertThat(v2.destination()).isEqualTo(new InetSocketAddress("2001:db8::6", 7002));

        List<HAProxyTLV> tlvs = List.of(
                new HAProxyTLV(HAProxyTLV.Type.PP2_TYPE_ALPN, Unpooled.wrappedBuffer(ascii("h2"))),
                new HAProxyTLV(HAProxyTLV.Type.PP2_TYPE_AUTHORITY, Unpooled.wrappedBuffer(ascii("example.org"))),
                new HAProxyTLV((byte) 0x04, Unpooled.wrappedBuffer(new byte[5])));
        ProxyHeader withTlvs = parsed(netty(new HAProxyMessage(HAProxyProtocolVersion.V2, HAProxyCommand.PROXY,
                HAProxyProxiedProtocol.TCP4, "192.0.2.9", "192.0.2.10", 5, 6, tlvs)));
        assertThat(withTlvs.source()).isEqualTo(new InetSocketAddress("192.0.2.9", 5));
        assertThat(withTlvs.tlv(ProxyHeader.PP2_TYPE_ALPN).value()).isEqualTo(ascii("h2"));
        assertThat(withTlvs.tlv(ProxyHeader.PP2_TYPE_AUTHORITY).value()).isEqualTo(ascii("example.org"));
        assertThat(withTlvs.tlvs()).hasSize(3);

        ProxyHeader local = parsed(netty(new HAProxyMessage(HAProxyProtocolVersion.V2, HAProxyCommand.LOCAL,
                HAProxyProxiedProtocol.UNKNOWN, null, null, 0, 0)));
        assertThat(local.local()).isTrue();
        assertThat(local.source()).as("LOCAL keeps the socket's own address").isNull();
    }

    @Test
    void autoTakesAConnectionWithoutAHeaderAsDirectAsSoonAsOneByteDiffers() {
        ProxyHeaderParser auto = new ProxyHeaderParser(false, 4096);
        assertThat(auto.parse(ByteBuffer.wrap(ascii("PRO")), 0, 3)).isEqualTo(ProxyHeaderParser.NEED_MORE);
        assertThat(auto.parse(ByteBuffer.wrap(ascii("PROXZ")), 0, 5)).isEqualTo(ProxyHeaderParser.NOT_PROXY);
        assertThat(auto.parse(ByteBuffer.wrap(ascii("GET / HTTP/1.1\r\n")), 0, 16))
                .isEqualTo(ProxyHeaderParser.NOT_PROXY);
        assertThat(auto.parse(ByteBuffer.wrap(new byte[] {0x0D, 0x0A, 0x0D, 0x0A, 0x01}), 0, 5))
                .isEqualTo(ProxyHeaderParser.NOT_PROXY);
        ProxyHeaderParser on = new ProxyHeaderParser(true, 4096);
        assertThat(on.parse(ByteBuffer.wrap(ascii("GET / HTTP/1.1\r\n")), 0, 16))
                .isEqualTo(ProxyHeaderParser.INVALID);
        assertThat(on.error()).contains("does not start with a PROXY protocol header");
    }

    @Test
    void brokenHeadersAreInvalidAndNamesAreNeverResolved() {
        for (String bad : new String[] {
            "PROXY TCP4 example.org 192.0.2.1 1 2\r\n",
            "PROXY TCP6 localhost ::1 1 2\r\n",
            "PROXY TCP4 192.0.2.1 192.0.2.2 1 70000\r\n",
            "PROXY TCP4 192.0.2.1 192.0.2.2 -1 2\r\n",
            "PROXY TCP4 192.0.2.1 192.0.2.2 1 2\n",
            "PROXY TCP4 192.0.2.1  192.0.2.2 1 2\r\n",
            "PROXY TCP4 256.0.2.1 192.0.2.2 1 2\r\n",
            "PROXY TCP4 192.0.2.1 192.0.2.2 1\r\n",
            "PROXY SCTP 192.0.2.1 192.0.2.2 1 2\r\n",
            "PROXY TCP4 " + "1".repeat(120) + "\r\n",
        }) {
            ProxyHeaderParser p = new ProxyHeaderParser(true, 4096);
            assertThat(feed(p, ascii(bad))).as(bad).isEqualTo(ProxyHeaderParser.INVALID);
            assertThat(p.error()).isNotBlank();
        }
        byte[] v2 = netty(new HAProxyMessage(HAProxyProtocolVersion.V2, HAProxyCommand.PROXY,
                HAProxyProxiedProtocol.TCP4, "192.0.2.9", "192.0.2.10", 5, 6));
        byte[] badVersion = v2.clone();
        badVersion[12] = 0x31;
        assertThat(feed(new ProxyHeaderParser(true, 4096), badVersion)).isEqualTo(ProxyHeaderParser.INVALID);
        byte[] shortBlock = v2.clone();
        shortBlock[15] = 4;
        assertThat(feed(new ProxyHeaderParser(true, 4096), shortBlock)).isEqualTo(ProxyHeaderParser.INVALID);
        byte[] tlvPastEnd = Arrays.copyOf(v2, v2.length + 3);
        tlvPastEnd[15] = (byte) (12 + 3);
        tlvPastEnd[v2.length] = 1;
        tlvPastEnd[v2.length + 2] = 9; // a TLV of 9 bytes in a 3-byte space
        assertThat(feed(new ProxyHeaderParser(true, 4096), tlvPastEnd)).isEqualTo(ProxyHeaderParser.INVALID);
        byte[] huge = v2.clone();
        huge[14] = (byte) 0xff;
        assertThat(feed(new ProxyHeaderParser(true, 4096), huge)).as("judged at the 16-byte fixed part")
                .isEqualTo(ProxyHeaderParser.INVALID);
    }

    @Test
    void randomBytesNeverThrow() {
        Random random = new Random(19);
        for (int round = 0; round < 2000; round++) {
            byte[] b = new byte[random.nextInt(300)];
            random.nextBytes(b);
            if (round % 3 == 0 && b.length >= 16) {
                System.arraycopy(new byte[] {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A,
                    0x21}, 0, b, 0, 13);
            } else if (round % 3 == 1 && b.length >= 6) {
                System.arraycopy(ascii("PROXY "), 0, b, 0, 6);
            }
            feed(new ProxyHeaderParser(random.nextBoolean(), 4096), b);
        }
    }
}
