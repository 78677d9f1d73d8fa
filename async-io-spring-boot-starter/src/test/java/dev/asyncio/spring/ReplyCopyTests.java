package dev.asyncio.spring;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link ReplyCopy}: the payload copy of {@link FramedConnection#reply(ByteBuffer)} is reused once written. */
class ReplyCopyTests {

    private static ByteBuffer view(String text) {
        ByteBuffer whole = ByteBuffer.wrap(("xx" + text + "yy").getBytes(StandardCharsets.US_ASCII));
        return whole.position(2).limit(2 + text.length());
    }

    private static String text(ByteBuffer b) {
        return StandardCharsets.US_ASCII.decode(b.duplicate()).toString();
    }

    @Test
    void theSameBufferCarriesEachReplyOnceThePreviousOneWasWritten() {
        ReplyCopy copy = new ReplyCopy();
        ByteBuffer payload = view("hello");
        ByteBuffer first = copy.take(payload);
        assertThat(text(first)).isEqualTo("hello");
        assertThat(payload.position()).isEqualTo(2);
        copy.call(null, new ByteBuffer[0], 5);
        ByteBuffer second = copy.take(view("again!"));
        assertThat(second).isSameAs(first);
        assertThat(text(second)).isEqualTo("again!");
    }

    @Test
    void whileAReplyIsInFlightTheCallerCopiesItself() {
        ReplyCopy copy = new ReplyCopy();
        ByteBuffer first = copy.take(view("one"));
        assertThat(copy.take(view("two"))).isNull();
        assertThat(text(first)).isEqualTo("one");
        copy.release();
        assertThat(copy.take(view("three"))).isSameAs(first);
    }

    @Test
    void aLargerPayloadGrowsTheBufferAndAHugeOneIsNotKept() {
        ReplyCopy copy = new ReplyCopy();
        ByteBuffer small = copy.take(view("s"));
        copy.release();
        ByteBuffer big = copy.take(ByteBuffer.allocate(1000));
        assertThat(big).isNotSameAs(small);
        assertThat(big.remaining()).isEqualTo(1000);
        copy.release();
        assertThat(copy.take(ByteBuffer.allocate(ReplyCopy.MAX_KEPT + 1))).isNull();
        assertThat(copy.take(view("again"))).isSameAs(big);
    }
}
