package dev.asyncio.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.junit.jupiter.api.Test;

/** The {@link Framing} options: defaults, derived values, validation naming the option, and encoding. */
class FramingTest {

    private static byte[] encoded(Framing f, String payload) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (ByteBuffer b : new FrameWriter(f).encode(ByteBuffer.wrap(payload.getBytes(
                java.nio.charset.StandardCharsets.ISO_8859_1)))) {
            byte[] a = new byte[b.remaining()];
            b.get(a);
            out.writeBytes(a);
        }
        return out.toByteArray();
    }

    @Test
    void defaults() {
        Framing f = Framing.lengthPrefix(2);
        assertThat(f.maxFrameSize()).isEqualTo(Framing.DEFAULT_MAX_FRAME_SIZE);
        assertThat(f.errorPolicy()).isEqualTo(FrameErrorPolicy.CLOSE);
        assertThat(f.maxSkip()).isEqualTo(16L * Framing.DEFAULT_MAX_FRAME_SIZE);
        assertThat(f.byteOrder()).isEqualTo(ByteOrder.BIG_ENDIAN);
        assertThat(f.initialBytesToStrip()).as("the header is stripped").isEqualTo(2);
        assertThat(Framing.crlf().delimiterBytes()).containsExactly('\r', '\n');
        assertThat(Framing.fixed(7).maxFrameSize()).isEqualTo(7);
    }

    @Test
    void derivedValuesFollowTheOptionsTheyDeriveFrom() {
        Framing f = Framing.lengthPrefix(2).toBuilder().lengthFieldOffset(3).maxFrameSize(10).build();
        assertThat(f.initialBytesToStrip()).isEqualTo(5);
        assertThat(f.maxSkip()).isEqualTo(160);
        Framing explicit = Framing.lengthPrefix(2).toBuilder().initialBytesToStrip(0).maxFrameSize(50).maxSkip(99).build()
                .toBuilder().maxFrameSize(10).build();
        assertThat(explicit.initialBytesToStrip()).isZero();
        assertThat(explicit.maxSkip()).isEqualTo(99);
    }

    @Test
    void aBuilderMayChangeAndBuildAgain() {
        FramingBuilder b = Framing.builder(Framing.Kind.LENGTH_PREFIX).lengthFieldLength(2).maxFrameSize(10);
        assertThat(b.build().maxSkip()).isEqualTo(160);
        assertThat(b.build().initialBytesToStrip()).isEqualTo(2);
        Framing changed = b.maxFrameSize(20).lengthFieldOffset(1).build();
        assertThat(changed.maxSkip()).as("derived again from the new size").isEqualTo(320);
        assertThat(changed.initialBytesToStrip()).as("derived again from the new offset").isEqualTo(3);
    }

    @Test
    void everyKindEncodesAsDocumented() {
        assertThat(encoded(Framing.crlf(), "a")).isEqualTo(new byte[] {'a', '\r', '\n'});
        assertThat(encoded(Framing.lf(), "a")).isEqualTo(new byte[] {'a', '\n'});
        assertThat(encoded(Framing.line(), "a")).isEqualTo(new byte[] {'a', '\n'});
        assertThat(encoded(Framing.delimiter((byte) 0), "a")).isEqualTo(new byte[] {'a', 0});
        assertThat(encoded(Framing.stxEtx(), "a")).isEqualTo(new byte[] {2, 'a', 3});
        assertThat(encoded(Framing.lengthPrefix(2), "a")).isEqualTo(new byte[] {0, 1, 'a'});
        assertThat(encoded(Framing.lengthPrefix(2).toBuilder().byteOrder(ByteOrder.LITTLE_ENDIAN).build(), "a"))
                .isEqualTo(new byte[] {1, 0, 'a'});
        assertThat(encoded(Framing.lengthPrefix(2).toBuilder().lengthIncludesHeader(true).build(), "a"))
                .isEqualTo(new byte[] {0, 3, 'a'});
        assertThat(encoded(Framing.lengthPrefix(3), "a")).isEqualTo(new byte[] {0, 0, 1, 'a'});
        assertThat(encoded(Framing.asciiLength(4), "a")).isEqualTo(new byte[] {'0', '0', '0', '1', 'a'});
        assertThat(encoded(Framing.fixed(1), "a")).isEqualTo(new byte[] {'a'});
        assertThat(encoded(Framing.raw(), "a")).isEqualTo(new byte[] {'a'});
    }

    @Test
    void badOptionsAreRefusedNamingTheOption() {
        assertThatThrownBy(() -> Framing.delimiter(new byte[0])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("delimiter");
        assertThatThrownBy(() -> Framing.asciiLength(19)).hasMessageContaining("lengthFieldLength");
        assertThatThrownBy(() -> Framing.fixed(0)).hasMessageContaining("fixed length");
        assertThatThrownBy(() -> Framing.fixed(4).toBuilder().maxFrameSize(8).build())
                .hasMessageContaining("maxFrameSize");
        assertThatThrownBy(() -> Framing.lf().toBuilder().maxFrameSize(100).maxSkip(99).build())
                .hasMessageContaining("maxSkip");
        assertThatThrownBy(() -> Framing.lengthPrefix(4).toBuilder().lengthFieldOffset(-1).build())
                .hasMessageContaining("lengthFieldOffset");
        assertThatThrownBy(() -> Framing.lengthPrefix(4).toBuilder().initialBytesToStrip(-2).build())
                .hasMessageContaining("initialBytesToStrip");
        assertThatThrownBy(() -> Framing.raw().toBuilder().maxFrameSize(Integer.MAX_VALUE).build())
                .hasMessageContaining("maxFrameSize");
    }

    @Test
    void toStringNamesTheKindAndLimits() {
        assertThat(Framing.lengthPrefix(4).toString()).contains("LENGTH_PREFIX", "bytes=4", "maxFrameSize=65536",
                "onError=CLOSE");
    }
}
