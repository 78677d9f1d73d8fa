package dev.asyncio.core.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncio.core.FrameErrorPolicy;
import dev.asyncio.core.internal.codec.CodecHarness.Outcome;
import dev.asyncio.core.internal.codec.CodecRoundTripTest.Kind;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded, deterministic fuzzing of every kind: random splits of valid streams decode to the frames they were made
 * of; random bytes, randomly split, never throw out of the decoder and never make it hold more than the limit,
 * its header or delimiter, and one read.
 */
class CodecFuzzTest {
    private static final int MAX = 40;
    /** The most a kind under test holds beyond the limit between arrivals: an 8-byte header, a 3-byte delimiter. */
    private static final int OVERHEAD = 8;

    static Stream<Kind> kinds() {
        return CodecRoundTripTest.kinds();
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void randomSplitsOfValidStreamsDecodeToTheSameFrames(Kind kind) {
        Random random = new Random(19L * kind.name().hashCode());
        FrameEncoder encoder = kind.encoder().apply(MAX);
        for (int round = 0; round < 100; round++) {
            List<String> payloads = new ArrayList<>();
            ByteArrayOutputStream stream = new ByteArrayOutputStream();
            int count = 1 + random.nextInt(8);
            for (int i = 0; i < count; i++) {
                String p = randomPayload(random, encoder);
                payloads.add(p);
                for (ByteBuffer b : encoder.encode(ByteBuffer.wrap(CodecHarness.latin1(p)))) {
                    byte[] a = new byte[b.remaining()];
                    b.get(a);
                    stream.writeBytes(a);
                }
            }
            int[] chunks = random.ints(1 + random.nextInt(5), 1, 2 + random.nextInt(60)).toArray();
            Outcome o = CodecHarness.decode(kind.decoder().apply(MAX, FrameErrorPolicy.CLOSE), stream.toByteArray(),
                    chunks, true);
            assertThat(o.frames()).as("round %d", round).isEqualTo(payloads);
            assertThat(o.error()).isNull();
        }
    }

    /** A payload the encoder accepts: random bytes, drawn again until it does. */
    private static String randomPayload(Random random, FrameEncoder encoder) {
        while (true) {
            byte[] p = new byte[random.nextInt(MAX + 1)];
            random.nextBytes(p);
            try {
                encoder.check(ByteBuffer.wrap(p));
                return new String(p, java.nio.charset.StandardCharsets.ISO_8859_1);
            } catch (IllegalArgumentException refused) {
                // A delimiter in it: draw again (shorter ones pass soon enough).
            }
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void randomBytesNeverThrowAndNeverHoldMoreThanTheLimitPlusOneRead(Kind kind) {
        Random random = new Random(7L * kind.name().hashCode());
        for (FrameErrorPolicy policy : FrameErrorPolicy.values()) {
            for (int round = 0; round < 100; round++) {
                byte[] stream = new byte[random.nextInt(600)];
                random.nextBytes(stream);
                if (random.nextBoolean() && stream.length > 0) {
                    // Mostly small values in the header bytes, so that some frames are whole.
                    for (int i = 0; i < stream.length; i += 1 + random.nextInt(12)) {
                        stream[i] = (byte) random.nextInt(4);
                    }
                }
                int chunk = 1 + random.nextInt(64);
                Outcome o = CodecHarness.decode(kind.decoder().apply(MAX, policy), stream,
                        new int[] {chunk}, random.nextBoolean());
                assertThat(o.maxHeld()).as("%s round %d, chunks of %d", policy, round, chunk)
                        .isLessThanOrEqualTo(MAX + OVERHEAD + chunk);
                assertThat(o.frames()).allSatisfy(f -> assertThat(f.length()).isLessThanOrEqualTo(MAX));
            }
        }
    }
}
