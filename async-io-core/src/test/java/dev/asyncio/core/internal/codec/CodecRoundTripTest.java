package dev.asyncio.core.internal.codec;

import static dev.asyncio.core.internal.codec.CodecHarness.concat;
import static dev.asyncio.core.internal.codec.CodecHarness.decode;
import static dev.asyncio.core.internal.codec.CodecHarness.decodeCut;
import static dev.asyncio.core.internal.codec.CodecHarness.encodeAll;
import static dev.asyncio.core.internal.codec.CodecHarness.letters;
import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncio.core.FrameError;
import dev.asyncio.core.FrameErrorPolicy;
import dev.asyncio.core.internal.codec.CodecHarness.Outcome;

import java.nio.ByteOrder;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every delimited and length-prefixed kind, through its own encoder and decoder: payloads of 0, 1 and the limit
 * bytes come back the same however the stream is cut (whole, a byte at a time, at every single and every pair of
 * cut points); a payload of limit + 1 bytes is refused by the encoder, and by the decoder as the policy says.
 */
class CodecRoundTripTest {
    static final int MAX = 6;

    /** A kind under test: how to make its decoder and encoder for a limit and policy. */
    record Kind(String name, BiFunction<Integer, FrameErrorPolicy, FrameDecoder> decoder,
                java.util.function.IntFunction<FrameEncoder> encoder) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Kind> kinds() {
        Stream.Builder<Kind> b = Stream.builder();
        b.add(new Kind("crlf", (m, p) -> new DelimiterDecoder(new byte[] {'\r', '\n'}, false, m, p),
                m -> new FrameEncoder.Delimited(new byte[] {'\r', '\n'}, false, m)));
        b.add(new Kind("lf", (m, p) -> new DelimiterDecoder(new byte[] {'\n'}, false, m, p),
                m -> new FrameEncoder.Delimited(new byte[] {'\n'}, false, m)));
        b.add(new Kind("line", (m, p) -> new DelimiterDecoder(new byte[] {'\n'}, true, m, p),
                m -> new FrameEncoder.Delimited(new byte[] {'\n'}, true, m)));
        b.add(new Kind("delimiter-3", (m, p) -> new DelimiterDecoder(new byte[] {'#', '#', '!'}, false, m, p),
                m -> new FrameEncoder.Delimited(new byte[] {'#', '#', '!'}, false, m)));
        b.add(new Kind("delimiter-nul", (m, p) -> new DelimiterDecoder(new byte[] {0}, false, m, p),
                m -> new FrameEncoder.Delimited(new byte[] {0}, false, m)));
        b.add(new Kind("stx-etx", StxEtxDecoder::new, FrameEncoder.StxEtx::new));
        for (int bytes : new int[] {1, 2, 3, 4, 8}) {
            for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
                b.add(new Kind("length-" + bytes + "-" + order, (m, p) -> new LengthFieldDecoder(0, bytes, false,
                        order, 0, bytes, m, p, 1000), m -> new FrameEncoder.LengthField(bytes, false, order, 0, m)));
            }
            long inclusive = -bytes;
            b.add(new Kind("length-" + bytes + "-inclusive", (m, p) -> new LengthFieldDecoder(0, bytes, false,
                    ByteOrder.BIG_ENDIAN, inclusive, bytes, m, p, 1000),
                    m -> new FrameEncoder.LengthField(bytes, false, ByteOrder.BIG_ENDIAN, inclusive, m)));
        }
        for (int digits : new int[] {1, 4}) {
            b.add(new Kind("ascii-" + digits, (m, p) -> new LengthFieldDecoder(0, digits, true, ByteOrder.BIG_ENDIAN,
                    0, digits, m, p, 1000), m -> new FrameEncoder.LengthField(digits, true, ByteOrder.BIG_ENDIAN, 0, m)));
        }
        return b.build();
    }

    private static final String[] PAYLOADS = {"", "a", letters(MAX), "xyz", ""};

    @ParameterizedTest
    @MethodSource("kinds")
    void payloadsOfZeroOneAndTheLimitSurviveEveryCut(Kind kind) {
        byte[] stream = encodeAll(kind.encoder().apply(MAX), PAYLOADS);
        List<String> want = List.of(PAYLOADS);
        assertThat(decode(kind.decoder().apply(MAX, FrameErrorPolicy.CLOSE), stream, new int[] {stream.length}, true))
                .isEqualTo(new Outcome(want, 0, null, 0, stream.length, 0));
        Outcome single = decode(kind.decoder().apply(MAX, FrameErrorPolicy.CLOSE), stream, new int[] {1}, true);
        assertThat(single.frames()).as("a byte at a time").isEqualTo(want);
        assertThat(single.error()).isNull();
        for (int i = 1; i < stream.length; i++) {
            for (int j = i + 1; j <= stream.length; j++) {
                int[] cuts = j == stream.length ? new int[] {i} : new int[] {i, j};
                Outcome o = decodeCut(kind.decoder().apply(MAX, FrameErrorPolicy.CLOSE), stream, cuts, true);
                assertThat(o.frames()).as("cut at %d and %d", i, j).isEqualTo(want);
                assertThat(o.error()).as("cut at %d and %d", i, j).isNull();
                assertThat(o.left()).isZero();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void theEncoderRefusesOneByteOverTheLimit(Kind kind) {
        FrameEncoder e = kind.encoder().apply(MAX);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> e.encode(java.nio.ByteBuffer.wrap(CodecHarness.latin1(letters(MAX + 1)))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxFrameSize");
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void oneByteOverTheLimitClosesOrIsSkippedWhereverTheStreamIsCut(Kind kind) {
        FrameEncoder big = kind.encoder().apply(1000);
        byte[] stream = concat(encodeAll(big, "ok"), encodeAll(big, letters(MAX + 1)), encodeAll(big, "next"));
        for (int chunk = 1; chunk <= stream.length; chunk++) {
            Outcome closed = decode(kind.decoder().apply(MAX, FrameErrorPolicy.CLOSE), stream, new int[] {chunk},
                    true);
            assertThat(closed.frames()).as("chunks of %d", chunk).isEqualTo(List.of("ok"));
            assertThat(closed.error()).as("chunks of %d", chunk).isEqualTo(FrameError.TOO_LONG);

            Outcome skipped = decode(kind.decoder().apply(MAX, FrameErrorPolicy.DISCARD), stream, new int[] {chunk},
                    true);
            assertThat(skipped.frames()).as("chunks of %d", chunk).isEqualTo(List.of("ok", "next"));
            assertThat(skipped.discarded()).isEqualTo(1);
            assertThat(skipped.error()).isNull();
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void anEofInsideAFrameIsTruncatedWithThePartialSizeAndBetweenFramesIsClean(Kind kind) {
        byte[] stream = encodeAll(kind.encoder().apply(MAX), "abc", "defg");
        for (int cut = 1; cut < stream.length; cut++) {
            byte[] prefix = java.util.Arrays.copyOf(stream, cut);
            Outcome o = decode(kind.decoder().apply(MAX, FrameErrorPolicy.CLOSE), prefix, new int[] {1}, true);
            int firstFrame = encodeAll(kind.encoder().apply(MAX), "abc").length;
            if (cut == firstFrame) {
                assertThat(o.error()).as("EOF right after a frame").isNull();
                assertThat(o.frames()).containsExactly("abc");
            } else {
                assertThat(o.error()).as("EOF after %d bytes", cut).isEqualTo(FrameError.TRUNCATED);
                assertThat(o.errorSize()).isEqualTo(cut < firstFrame ? cut : cut - firstFrame);
            }
        }
    }
}
