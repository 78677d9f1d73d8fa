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
}
