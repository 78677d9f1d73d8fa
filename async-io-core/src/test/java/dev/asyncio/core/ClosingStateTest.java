package dev.asyncio.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** A state that is closing gracefully refuses new operations; a per-state writability callback replaces the options' one. */
class ClosingStateTest extends LoopTestSupport {

    @Test
    void aStateClosingGracefullyRefusesNewOperationsAndCallsEveryCloseCallback() throws Exception {
        Connection c = connect(StateOptions.builder().queueOutput(true).build());
        CompletableFuture<Boolean> first = new CompletableFuture<>();
        CompletableFuture<Boolean> second = new CompletableFuture<>();
        c.state().writeBuffer("last words".getBytes(), null);
        c.state().closeGracefully(null, s -> first.complete(s.isOpen()));
        assertThat(c.state().isClosing()).isTrue();
        assertThatThrownBy(() -> c.state().writeBuffer("more".getBytes(), null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closing");
        assertThatThrownBy(() -> c.state().readBuffer(new byte[1], (s, b, n) -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closing");
        c.state().closeGracefully(null, s -> second.complete(s.isOpen()));

        assertThat(new String(c.peer().readExactly(10))).isEqualTo("last words");
        c.peer().socket().shutdownOutput();
        assertThat(first.get(10, TimeUnit.SECONDS)).isFalse();
        assertThat(second.get(10, TimeUnit.SECONDS)).isFalse();
        assertThat(c.state().isClosing()).isFalse();
        assertThat(c.state().isOpen()).isFalse();
    }

    @Test
    void aPerStateWritabilityCallbackReplacesTheOptionsOne() throws Exception {
        List<String> optionsCalls = new CopyOnWriteArrayList<>();
        List<Boolean> ownCalls = new CopyOnWriteArrayList<>();
        Connection c = connect(collection, StateOptions.builder().queueOutput(true).writeWaterMarks(1024, 4096)
                .writabilityCallback(s -> optionsCalls.add("options")).build(), 16 * 1024);
        c.state().setWritabilityCallback(s -> ownCalls.add(s.isWritable()));
        byte[] chunk = new byte[64 * 1024];
        c.state().writeBuffer(chunk, null);
        await().until(() -> ownCalls.contains(false));
        Thread reader = new Thread(() -> {
            try {
                c.peer().readExactly(chunk.length);
            } catch (Exception ignored) {
                // the assertion below reports it
            }
        });
        reader.start();
        await().until(() -> ownCalls.contains(true));
        reader.join(10_000);
        assertThat(ownCalls).containsExactly(false, true);
        assertThat(optionsCalls).isEmpty();
    }
}
