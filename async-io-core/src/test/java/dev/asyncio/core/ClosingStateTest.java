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

    @Test
    void aGracefulCloseCallbackRunsAlsoWhenTheStateIsClosedAnotherWay() throws Exception {
        Connection c = connect(StateOptions.builder().queueOutput(true).build());
        CompletableFuture<Boolean> closed = new CompletableFuture<>();
        c.state().closeGracefully(null, s -> closed.complete(s.isOpen()));
        // The peer stays open, so the graceful close waits in its drain; closing outright must still call back.
        await().until(() -> c.state().isClosing());
        c.state().close();
        assertThat(closed.get(10, TimeUnit.SECONDS)).isFalse();
    }

    @Test
    void writeCallbacksStopOnceACallbackClosedTheState() throws Exception {
        Connection c = connect(StateOptions.builder().queueOutput(true).build());
        List<String> calls = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> queued = new CompletableFuture<>();
        collection.apply(() -> {
            c.state().writeBuffer("one".getBytes(), (s, b, n) -> {
                calls.add("one");
                s.close();
            });
            c.state().writeBuffer("two".getBytes(), (s, b, n) -> calls.add("two after close"));
            queued.complete(null);
        });
        queued.get(10, TimeUnit.SECONDS);
        await().until(() -> !c.state().isOpen());
        onLoop(collection, () -> null); // everything queued before has run
        assertThat(calls).containsExactly("one");
    }
}
