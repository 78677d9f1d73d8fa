package dev.asyncio.core.internal.codec;

import static dev.asyncio.core.internal.codec.CodecHarness.decode;
import static dev.asyncio.core.internal.codec.CodecHarness.latin1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.asyncio.core.FrameError;
import dev.asyncio.core.FrameErrorPolicy;
import dev.asyncio.core.internal.codec.CodecHarness.Outcome;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

/** Fixed-length frames and the raw stream, at every cut. */
class FixedAndRawDecodersTest {

    @Test
    void fixedFramesAtEveryChunkSize() {
        byte[] stream = latin1("abcdefghi");
        for (int chunk = 1; chunk <= stream.length; chunk++) {
            Outcome o = decode(new FixedLengthDecoder(3), stream, new int[] {chunk}, true);
            assertThat(o.frames()).as("chunks of %d", chunk).containsExactly("abc", "def", "ghi");
            assertThat(o.error()).isNull();
        }
        Outcome partial = decode(new FixedLengthDecoder(3), latin1("abcde"), new int[] {1}, true);
        assertThat(partial.frames()).containsExactly("abc");
        assertThat(partial.error()).isEqualTo(FrameError.TRUNCATED);
        assertThat(partial.errorSize()).isEqualTo(2);
        FrameEncoder e = new FrameEncoder.Fixed(3);
        assertThat(e.encode(ByteBuffer.wrap(latin1("abc")))).hasSize(1);
        assertThatThrownBy(() -> e.encode(ByteBuffer.wrap(latin1("ab"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exactly 3");
    }

    @Test
    void rawIsTheWholeStreamBoundedByTheLimit() {
        byte[] stream = latin1("abcdef");
        for (int chunk = 1; chunk <= stream.length; chunk++) {
            Outcome o = decode(new RawDecoder(6, FrameErrorPolicy.CLOSE), stream, new int[] {chunk}, true);
            assertThat(o.frames()).containsExactly("abcdef");
            assertThat(o.error()).isNull();
        }
        assertThat(decode(new RawDecoder(6, FrameErrorPolicy.CLOSE), new byte[0], new int[] {1}, true).frames())
                .as("no bytes, no frame").isEmpty();
        Outcome over = decode(new RawDecoder(5, FrameErrorPolicy.CLOSE), stream, new int[] {1}, true);
        assertThat(over.error()).isEqualTo(FrameError.TOO_LONG);
        assertThat(over.maxHeld()).isEqualTo(6);
        Outcome skipped = decode(new RawDecoder(5, FrameErrorPolicy.DISCARD), latin1("abcdefghijkl"), new int[] {1},
                true);
        assertThat(skipped.frames()).isEmpty();
        assertThat(skipped.discarded()).isEqualTo(1);
        assertThat(skipped.error()).isNull();
        assertThat(skipped.maxHeld()).isEqualTo(6);
        assertThatThrownBy(() -> new FrameEncoder.Raw(5).encode(ByteBuffer.wrap(stream)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
