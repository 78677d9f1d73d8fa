package dev.asyncio.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 17: a callback that throws loses its operation (LispWorks' {@code :handler} aborts it). A state left with
 * nothing in flight would never be selected again, so its peer's close went unnoticed and it stayed open, counted
 * active, for ever. Under every policy it is now closed, with the failure as the close's cause; a callback that
 * started its next operation before it threw keeps its state.
 */
class AbandonedStateTest extends LoopTestSupport {

    private static final class Boom extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Boom() {
            super("callback failure on purpose (test)", null, false, false);
        }
    }

    /** What the closed callback saw. */
    private record Closed(IoStatus readStatus, Throwable readFailure) {
    }

    static Stream<Arguments> policies() {
        return Stream.of(Arguments.of("LOG", CallbackErrorPolicy.LOG),
                Arguments.of("SILENT", CallbackErrorPolicy.SILENT),
                Arguments.of("CLOSE_STATE", CallbackErrorPolicy.CLOSE_STATE),
                Arguments.of("a custom policy that does nothing", (CallbackErrorPolicy) failure -> { }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("policies")
    void aStateWhoseCallbackThrewAndLeftNothingInFlightIsClosedWithTheFailureAsItsCause(String name,
            CallbackErrorPolicy policy) throws Exception {
        WaitStateCollection coll = newCollection("abandoned-" + name.replace(' ', '-'), policy);
        Boom boom = new Boom();
        CompletableFuture<Closed> closed = new CompletableFuture<>();
        AcceptingHandle h = coll.acceptTcpConnections(0, (hd, s) -> s.readBuffer(new byte[1], (st, b, n) -> {
            throw boom;
        }), AcceptOptions.builder().address("127.0.0.1").stateOptions(StateOptions.builder()
                .closedCallback(s -> closed.complete(new Closed(s.readStatus(), s.readFailure()))).build()).build());
        track(h::close);
        try (Peer client = Peer.connect(h.localAddress())) {
            client.send("x");
            await().until(() -> coll.statistics().callbackFailures() == 1);
            client.shutdownOutput(); // the peer goes away: somebody must notice
            Closed outcome = closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(outcome.readStatus()).as("the close listeners see an error").isEqualTo(IoStatus.ERROR);
            assertThat(outcome.readFailure()).as("caused by the callback's failure").isSameAs(boom);
            await().until(() -> h.connectionCount() == 0);
            assertThat(client.seesEof()).isTrue();
        }
        assertThat(h.statistics().errors()).as("counted as an error of the handle").isGreaterThanOrEqualTo(1);
        assertThat(coll.isAlive()).isTrue();
    }

    @Test
    void aConnectionFunctionThatThrowsBeforeStartingAnythingClosesItsConnection() throws Exception {
        WaitStateCollection coll = newCollection("abandoned-connection-function", CallbackErrorPolicy.SILENT);
        AcceptingHandle h = coll.acceptTcpConnections(0, (hd, s) -> {
            throw new Boom();
        }, AcceptOptions.builder().address("127.0.0.1").build());
        track(h::close);
        try (Peer client = Peer.connect(h.localAddress())) {
            assertThat(client.seesEof()).isTrue();
            await().until(() -> h.connectionCount() == 0);
        }
    }

    @Test
    void aCallbackThatStartedItsNextReadBeforeThrowingKeepsItsStateServing() throws Exception {
        WaitStateCollection coll = newCollection("not-abandoned", CallbackErrorPolicy.LOG);
        Connection c = connect(coll, StateOptions.DEFAULTS, 0);
        CallRecorder second = new CallRecorder();
        c.state().readBuffer(new byte[1], (s, b, n) -> {
            s.readBuffer(new byte[1], second);
            throw new Boom();
        });
        c.peer().send("x");
        await().until(() -> coll.statistics().callbackFailures() == 1);
        onLoop(coll, () -> null);
        onLoop(coll, () -> null); // the check after the failure has run
        assertThat(c.state().isOpen()).isTrue();
        c.peer().send("y");
        Call call = second.next();
        assertThat(call.text()).isEqualTo("y");
        assertThat(call.readStatus()).isEqualTo(IoStatus.OK);
        assertThat(c.state().isOpen()).isTrue();
        // Its later close is an ordinary one, not the old failure's.
        c.state().readBuffer(new byte[1], (s, b, n) -> s.close());
        c.peer().shutdownOutput();
        await().until(() -> !c.state().isOpen());
        assertThat(c.state().readStatus()).isNotEqualTo(IoStatus.ERROR);
    }

    @Test
    void aStateWhoseOutputIsStillQueuedWritesItAllAndIsClosedOnceItHasDrained() throws Exception {
        WaitStateCollection coll = newCollection("abandoned-after-output", CallbackErrorPolicy.LOG);
        Connection c = connect(coll, StateOptions.builder().queueOutput(true).build(), 4096);
        int big = 1024 * 1024;
        onLoop(coll, () -> { // both queued before the first can complete
            c.state().writeBuffer(bytes("one"), (s, b, n) -> {
                throw new Boom();
            });
            c.state().writeBuffer(new byte[big], null);
            return null;
        });
        assertThat(c.peer().drainToEof()).as("everything queued is written before the close").isEqualTo(3 + big);
        await().atMost(Duration.ofSeconds(30)).until(() -> !c.state().isOpen());
        assertThat(c.state().readFailure()).isInstanceOf(Boom.class);
    }
}
