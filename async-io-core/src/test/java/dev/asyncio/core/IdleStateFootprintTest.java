package dev.asyncio.core;

import dev.asyncio.core.internal.engine.StateEngine;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An idle connection carries only what it uses (issue 21: idle connections under 1 KiB of heap each): the parts of
 * a state that serve rare events are made on their first use, not with the state, and asking about them does not
 * make them.
 */
class IdleStateFootprintTest extends LoopTestSupport {

    private static Object part(AsyncIoState state, String field) throws ReflectiveOperationException {
        Field f = StateEngine.class.getDeclaredField(field);
        f.setAccessible(true);
        return f.get(state.engine());
    }

    @Test
    void theCloseSequenceIsMadeOnlyByAGracefulClose() throws Exception {
        Connection c = connect();
        assertThat(c.state().isClosing()).isFalse();
        roundTrip();
        assertThat(part(c.state(), "close")).as("an open state that never closed gracefully").isNull();

        c.state().closeGracefully(null, null);
        assertThat(part(c.state(), "close")).isNotNull();
        assertThat(c.state().isClosing()).isTrue();
        assertThat(c.peer().seesEof()).isTrue();
    }

    @Test
    void aStateReadingIntoItsOwnBuffersMakesNoInputBuffer() throws Exception {
        Connection c = connect(StateOptions.builder().queueOutput(true).build());
        java.util.concurrent.CompletableFuture<Integer> read = new java.util.concurrent.CompletableFuture<>();
        c.state().readPooled((s, buffer, count) -> {
            s.collection().bufferPool().release(buffer);
            read.complete(count);
        });
        c.peer().send("hello");
        assertThat(read.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(5);
        byte[] into = new byte[3];
        java.util.concurrent.CompletableFuture<String> read2 = new java.util.concurrent.CompletableFuture<>();
        c.state().readBuffer(into, (s, b, n) -> read2.complete(text(b, 0, n)));
        c.peer().send("abc");
        assertThat(read2.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("abc");
        assertThat(onLoop(() -> {
            try {
                Field f = c.state().engine().read().getClass().getDeclaredField("input");
                f.setAccessible(true);
                return f.get(c.state().engine().read());
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        })).as("only a read-with-checking (or a TLS detach) keeps input").isNull();
        assertThat(c.state().bufferedDataLength()).isZero();
    }
}
