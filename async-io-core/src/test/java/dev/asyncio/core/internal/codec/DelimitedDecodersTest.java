package dev.asyncio.core.internal.codec;

import static dev.asyncio.core.internal.codec.CodecHarness.decode;
import static dev.asyncio.core.internal.codec.CodecHarness.latin1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.asyncio.core.FrameError;
import dev.asyncio.core.FrameErrorPolicy;
import dev.asyncio.core.internal.codec.CodecHarness.Outcome;

import java.nio.ByteBuffer;
import java.util.List;

import org.junit.jupiter.api.Test;

/** What each delimited kind takes as the end of a frame, and what its encoder refuses. */
class DelimitedDecodersTest {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] LF = {'\n'};

    private static Outcome all(FrameDecoder d, String stream) {
        return decode(d, latin1(stream), new int[] {1}, true);
    }

    @Test
    void crlfEndsAFrameOnlyAtCrLf() {
        Outcome o = all(new DelimiterDecoder(CRLF, false, 100, FrameErrorPolicy.CLOSE), "a\nb\rc\r\nx\r\r\n\r\n");
        assertThat(o.frames()).containsExactly("a\nb\rc", "x\r", "");
        assertThat(o.error()).isNull();
    }

    @Test
    void lfKeepsACarriageReturnButLineDropsIt() {
        assertThat(all(new DelimiterDecoder(LF, false, 100, FrameErrorPolicy.CLOSE), "a\r\nb\n").frames())
                .containsExactly("a\r", "b");
        assertThat(all(new DelimiterDecoder(LF, true, 100, FrameErrorPolicy.CLOSE), "a\r\nb\nc\rd\n\r\n").frames())
                .containsExactly("a", "b", "c\rd", "");
    }

    @Test
    void aMultiByteDelimiterIsTheFirstWholeMatch() {
        byte[] aa = {'a', 'a'};
        Outcome o = all(new DelimiterDecoder(aa, false, 100, FrameErrorPolicy.CLOSE), "xaaayaa");
        assertThat(o.frames()).containsExactly("x", "ay");
        assertThat(o.left()).isZero();
    }

    @Test
    void aLineMayCarryItsLimitPlusItsCarriageReturn() {
        Outcome o = all(new DelimiterDecoder(LF, true, 3, FrameErrorPolicy.CLOSE), "abc\r\nabcd\n");
        assertThat(o.frames()).containsExactly("abc");
        assertThat(o.error()).isEqualTo(FrameError.TOO_LONG);
    }

    @Test
    void tooLongIsKnownBeforeTheDelimiterArrivesAndHoldsNoMoreThanTheLimitPlusAPartialDelimiter() {
        // Byte at a time: the error comes with the limit + delimiter-length-th byte, long before any delimiter.
        Outcome o = decode(new DelimiterDecoder(CRLF, false, 4, FrameErrorPolicy.CLOSE),
                latin1("abcdefghijklmnop\r\n"), new int[] {1}, false);
        assertThat(o.error()).isEqualTo(FrameError.TOO_LONG);
        assertThat(o.maxHeld()).isEqualTo(4 + 2);
        assertThat(o.errorSize()).isEqualTo(6);
    }

    @Test
    void discardSkipsThroughTheNextDelimiterHoldingOnlyAPartialDelimiter() {
        byte[] d = {'#', '#'};
        Outcome o = decode(new DelimiterDecoder(d, false, 2, FrameErrorPolicy.DISCARD),
                latin1("ok##" + "x".repeat(50) + "#" + "y".repeat(20) + "##z##"), new int[] {5}, true);
        assertThat(o.frames()).containsExactly("ok", "z");
        assertThat(o.discarded()).isEqualTo(1);
        assertThat(o.maxHeld()).isLessThanOrEqualTo(2 + 1 + 5);
    }

    @Test
    void stxEtxFramesAndTheirErrors() {
        assertThat(all(new StxEtxDecoder(10, FrameErrorPolicy.CLOSE), "\u0002a\u0002b\u0003\u0002\u0003").frames())
                .containsExactly("a\u0002b", "");
        Outcome missingStx = all(new StxEtxDecoder(10, FrameErrorPolicy.CLOSE), "\u0002a\u0003zz\u0003");
        assertThat(missingStx.frames()).containsExactly("a");
        assertThat(missingStx.error()).isEqualTo(FrameError.CORRUPT);
        Outcome resync = all(new StxEtxDecoder(10, FrameErrorPolicy.DISCARD), "zz\u0003\u0002ok\u0003");
        assertThat(resync.frames()).containsExactly("ok");
        assertThat(resync.discarded()).isEqualTo(1);
    }

    @Test
    void encodersRefuseWhatTheirDecoderWouldCutDifferently() {
        FrameEncoder crlf = new FrameEncoder.Delimited(CRLF, false, 100);
        assertThat(CodecHarness.encodeAll(crlf, "a\rb\nc")).isEqualTo(latin1("a\rb\nc\r\n"));
        assertThatThrownBy(() -> crlf.encode(ByteBuffer.wrap(latin1("a\r\nb"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("delimiter");
        FrameEncoder aa = new FrameEncoder.Delimited(new byte[] {'a', 'a'}, false, 100);
        assertThatThrownBy(() -> aa.encode(ByteBuffer.wrap(latin1("xa"))))
                .as("payload + delimiter would end one byte early").isInstanceOf(IllegalArgumentException.class);
        FrameEncoder line = new FrameEncoder.Delimited(LF, true, 100);
        assertThat(CodecHarness.encodeAll(line, "a\rb")).isEqualTo(latin1("a\rb\n"));
        assertThatThrownBy(() -> line.encode(ByteBuffer.wrap(latin1("ab\r"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CR");
        FrameEncoder stx = new FrameEncoder.StxEtx(100);
        assertThat(CodecHarness.encodeAll(stx, "hi")).isEqualTo(latin1("\u0002hi\u0003"));
        assertThatThrownBy(() -> stx.encode(ByteBuffer.wrap(latin1("a\u0003"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ETX");
    }

    @Test
    void theEncoderNeitherCopiesNorMovesThePayload() {
        ByteBuffer payload = ByteBuffer.wrap(latin1("xhellox"), 1, 5);
        ByteBuffer[] out = new FrameEncoder.Delimited(LF, false, 100).encode(payload);
        assertThat(out[0]).isSameAs(payload);
        assertThat(out[1].isReadOnly()).as("the shared delimiter cannot be changed through a callback").isTrue();
        assertThat(payload.position()).isEqualTo(1);
        assertThat(List.of(out)).hasSize(2);
    }
}
