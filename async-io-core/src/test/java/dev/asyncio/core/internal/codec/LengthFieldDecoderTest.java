package dev.asyncio.core.internal.codec;

import static dev.asyncio.core.internal.codec.CodecHarness.concat;
import static dev.asyncio.core.internal.codec.CodecHarness.decode;
import static dev.asyncio.core.internal.codec.CodecHarness.latin1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.asyncio.core.FrameError;
import dev.asyncio.core.FrameErrorPolicy;
import dev.asyncio.core.internal.codec.CodecHarness.Outcome;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.junit.jupiter.api.Test;

/**
 * The length-field decoder against the examples of Netty's {@code LengthFieldBasedFrameDecoder} Javadoc (offset,
 * adjustment, strip), the ASCII header, and bad headers: judged as soon as the header is complete.
 */
class LengthFieldDecoderTest {
    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;
    private static final String HELLO = "HELLO, WORLD";

    private static LengthFieldDecoder netty(int offset, int length, int adjustment, int strip) {
        return new LengthFieldDecoder(offset, length, false, BE, adjustment, strip, 1000, FrameErrorPolicy.CLOSE,
                10_000);
    }

    private static Outcome whole(FrameDecoder d, byte[] stream) {
        return decode(d, stream, new int[] {1}, true);
    }

    private static byte[] b(int... v) {
        byte[] out = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (byte) v[i];
        }
        return out;
    }

    @Test
    void nettysJavadocExamples() {
        byte[] hello = latin1(HELLO);
        // 2 bytes length field at offset 0, do not strip header
        assertThat(whole(netty(0, 2, 0, 0), concat(b(0, 12), hello)).frames())
                .containsExactly("\u0000\u000c" + HELLO);
        // ... strip header
        assertThat(whole(netty(0, 2, 0, 2), concat(b(0, 12), hello)).frames()).containsExactly(HELLO);
        // the length field counts the header: adjustment -2
        assertThat(whole(netty(0, 2, -2, 0), concat(b(0, 14), hello)).frames())
                .containsExactly("\u0000\u000e" + HELLO);
        // 3 bytes length field at the end of a 5-byte header, do not strip
        assertThat(whole(netty(2, 3, 0, 0), concat(b(0xCA, 0xFE, 0, 0, 12), hello)).frames())
                .containsExactly("\u00ca\u00fe\u0000\u0000\u000c" + HELLO);
        // 3 bytes length field at the start of a 5-byte header: adjustment 2
        assertThat(whole(netty(0, 3, 2, 0), concat(b(0, 0, 12, 0xCA, 0xFE), hello)).frames())
                .containsExactly("\u0000\u0000\u000c\u00ca\u00fe" + HELLO);
        // 2 bytes length field at offset 1 in the middle of a 4-byte header, strip the first header field and
        // the length field
        assertThat(whole(netty(1, 2, 1, 3), concat(b(0xCA, 0, 12, 0xFE), hello)).frames())
                .containsExactly("\u00fe" + HELLO);
        // ... the length field counts the whole message: adjustment -3
        assertThat(whole(netty(1, 2, -3, 3), concat(b(0xCA, 0, 16, 0xFE), hello)).frames())
                .containsExactly("\u00fe" + HELLO);
    }

    @Test
    void everyFieldSizeInBothByteOrders() {
        String p = "x".repeat(300);
        for (int bytes : new int[] {2, 3, 4, 8}) {
            for (ByteOrder order : new ByteOrder[] {BE, ByteOrder.LITTLE_ENDIAN}) {
                FrameEncoder e = new FrameEncoder.LengthField(bytes, false, order, 0, 1000);
                byte[] stream = CodecHarness.encodeAll(e, p, "");
                byte[] header = java.util.Arrays.copyOf(stream, bytes);
                byte[] want = new byte[bytes];
                want[order == BE ? bytes - 1 : 0] = 300 & 0xff;
                want[order == BE ? bytes - 2 : 1] = 1;
                assertThat(header).as("%d bytes %s", bytes, order).isEqualTo(want);
                Outcome o = whole(new LengthFieldDecoder(0, bytes, false, order, 0, bytes, 1000,
                        FrameErrorPolicy.CLOSE, 10_000), stream);
                assertThat(o.frames()).containsExactly(p, "");
            }
        }
        assertThatThrownBy(() -> new FrameEncoder.LengthField(1, false, BE, 0, 1000).encode(ByteBuffer.allocate(256)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0..255");
    }

    @Test
    void asciiHeadersAreZeroPaddedDigitsAndAnythingElseIsCorrupt() {
        FrameEncoder e = new FrameEncoder.LengthField(3, true, BE, 0, 1000);
        assertThat(CodecHarness.encodeAll(e, "hello")).isEqualTo(latin1("005hello"));
        assertThatThrownBy(() -> new FrameEncoder.LengthField(2, true, BE, 0, 1000).encode(ByteBuffer.allocate(100)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0..99");
        LengthFieldDecoder d = new LengthFieldDecoder(0, 3, true, BE, 0, 3, 1000, FrameErrorPolicy.DISCARD, 10_000);
        Outcome o = whole(d, latin1("005hello000" + "0x5hello"));
        assertThat(o.frames()).containsExactly("hello", "");
        assertThat(o.error()).as("not digits: no boundary to skip to, even under DISCARD").isEqualTo(FrameError.CORRUPT);
    }

    @Test
    void aTooLongHeaderIsRefusedBeforeAnyByteOfItsBody() {
        // A TLS ClientHello on a 4-byte length port: 0x16030100 announces ~369 MB.
        LengthFieldDecoder d = new LengthFieldDecoder(0, 4, false, BE, 0, 4, 1000, FrameErrorPolicy.CLOSE, 10_000);
        CodecHarness h = new CodecHarness(d);
        h.arrive(b(0x16, 0x03, 0x01, 0x00));
        assertThat(h.outcome().error()).isEqualTo(FrameError.TOO_LONG);
        assertThat(h.outcome().errorSize()).isEqualTo(0x16030100L);
        // Under DISCARD it is still closed on: beyond maxSkip, skipping would swallow the stream.
        CodecHarness skip = new CodecHarness(new LengthFieldDecoder(0, 4, false, BE, 0, 4, 1000,
                FrameErrorPolicy.DISCARD, 16_000));
        skip.arrive(b(0x16, 0x03, 0x01, 0x00));
        assertThat(skip.outcome().error()).isEqualTo(FrameError.TOO_LONG);
    }

    @Test
    void negativeOrTooShortLengthsAreCorruptAtOnce() {
        CodecHarness negative = new CodecHarness(new LengthFieldDecoder(0, 8, false, BE, 0, 8, 1000,
                FrameErrorPolicy.DISCARD, 10_000));
        negative.arrive(b(0x80, 0, 0, 0, 0, 0, 0, 1));
        assertThat(negative.outcome().error()).isEqualTo(FrameError.CORRUPT);
        CodecHarness shorter = new CodecHarness(netty(0, 2, -4, 0));
        shorter.arrive(b(0, 1));
        assertThat(shorter.outcome().error()).as("1 - 4 + 2 < the 2-byte header").isEqualTo(FrameError.CORRUPT);
        CodecHarness stripMore = new CodecHarness(netty(0, 2, -2, 4));
        stripMore.arrive(b(0, 3));
        assertThat(stripMore.outcome().error()).as("a 3-byte frame cannot lose 4").isEqualTo(FrameError.CORRUPT);
    }

    @Test
    void discardSkipsATooLongFrameAsItArrivesWithoutHoldingIt() {
        LengthFieldDecoder d = new LengthFieldDecoder(0, 2, false, BE, 0, 2, 10, FrameErrorPolicy.DISCARD, 10_000);
        byte[] big = new byte[5000];
        byte[] stream = concat(b(0, 2), latin1("ok"), b(5000 >> 8, 5000 & 0xff), big, b(0, 1), latin1("z"));
        Outcome o = decode(d, stream, new int[] {64}, true);
        assertThat(o.frames()).containsExactly("ok", "z");
        assertThat(o.discarded()).isEqualTo(1);
        assertThat(o.maxHeld()).as("never more than a frame plus one read").isLessThanOrEqualTo(10 + 2 + 64);
    }
}
