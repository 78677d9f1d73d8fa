package dev.asyncio.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

/** {@link StateOptions#closedCallback()}: told once of every close, whichever way the state closes. */
class StateClosedCallbackTest extends LoopTestSupport {

    private final List<String> closes = new CopyOnWriteArrayList<>();

    private StateOptions recording() {
        return StateOptions.builder()
            .closedCallback(state -> closes.add(Thread.currentThread().getName() + " open=" + state.isOpen()))
            .build();
    }

    @Test
    void gracefulCloseCallsItOnceOnTheLoopWithTheStateClosed() throws Exception {
        Connection c = connect(recording());
        c.state().closeGracefully(null, null);
        await().until(() -> !closes.isEmpty());
        c.state().close();
        roundTrip();
        assertThat(closes).containsExactly(loopThreadName() + " open=false");
    }

    @Test
    void abortAndCloseCallsIt() throws Exception {
        Connection c = connect(recording());
        c.state().abortAndClose(false, null);
        await().until(() -> closes.size() == 1);
        roundTrip();
        assertThat(closes).hasSize(1);
    }

    @Test
    void closingTheCollectionCallsItForEveryOpenState() throws Exception {
        WaitStateCollection other = newCollection("closed-callback-other", CallbackErrorPolicy.LOG);
        connect(other, recording(), 0);
        connect(other, recording(), 0);
        other.close();
        await().until(() -> closes.size() == 2);
    }

    @Test
    void aThrowingCallbackIsCountedAndTheStateStillCloses() throws Exception {
        StateOptions throwing = StateOptions.builder().closedCallback(state -> {
            throw new IllegalStateException("boom");
        }).build();
        Connection c = connect(throwing);
        c.state().abortAndClose(false, null);
        await().until(() -> collection.statistics().callbackFailures() == 1);
        assertThat(c.state().isOpen()).isFalse();
    }

    @Test
    void optionsCarryItThroughToBuilder() {
        StateCallback callback = state -> { };
        StateOptions options = StateOptions.builder().closedCallback(callback).build();
        assertThat(options.closedCallback()).isSameAs(callback);
        assertThat(options.toBuilder().build().closedCallback()).isSameAs(callback);
        assertThat(StateOptions.DEFAULTS.closedCallback()).isNull();
    }
}
