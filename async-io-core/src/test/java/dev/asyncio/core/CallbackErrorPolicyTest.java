package dev.asyncio.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** A callback that throws never ends the loop; the collection's {@link CallbackErrorPolicy} decides the rest. */
class CallbackErrorPolicyTest extends LoopTestSupport {

    private static final class Boom extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Boom(String message) {
            super(message, null, false, false);
        }
    }

    @Test
    void theDefaultPolicyIsLog() {
        assertThat(collection.callbackErrorPolicy()).isSameAs(CallbackErrorPolicy.LOG);
    }

    @Test
    void logKeepsTheLoopRunningAndCountsTheFailure() throws Exception {
        WaitStateCollection coll = newCollection("log-policy", CallbackErrorPolicy.LOG);
        Connection c = connect(coll, StateOptions.DEFAULTS, 0);
        c.state().readWithChecking((s, b, n) -> {
            throw new Boom("callback failure on purpose (test)");
        });
        c.peer().send("x");

        await().until(() -> coll.statistics().callbackFailures() == 1);
        assertThat(coll.isAlive()).isTrue();
        assertThat(onLoop(coll, () -> "alive")).isEqualTo("alive");
        // The failing read-with-checking was ended and nothing else is in flight: the state is closed
        // (AbandonedStateTest), rather than left open for ever with nobody reading.
        await().until(() -> !c.state().isOpen());
        assertThat(c.peer().seesEof()).isTrue();
    }

    @Test
    void closeStateClosesTheStateWhoseCallbackThrew() throws Exception {
        WaitStateCollection coll = newCollection("close-policy", CallbackErrorPolicy.CLOSE_STATE);
        Connection failing = connect(coll, StateOptions.DEFAULTS, 0);
        Connection bystander = connect(coll, StateOptions.DEFAULTS, 0);
        failing.state().readBuffer(new byte[1], (s, b, n) -> {
            throw new Boom("callback failure on purpose (test)");
        });
        failing.peer().send("x");

        await().until(() -> !failing.state().isOpen());
        assertThat(failing.peer().seesEof()).isTrue();
        assertThat(coll.statistics().callbackFailures()).isEqualTo(1);
        assertThat(coll.isAlive()).isTrue();

        CallRecorder read = new CallRecorder();
        bystander.state().readBuffer(new byte[2], read);
        bystander.peer().send("ok");
        assertThat(read.next().text()).isEqualTo("ok");
        assertThat(bystander.state().isOpen()).isTrue();
    }

    @Test
    void aCustomPolicyGetsTheFailureOnTheLoopThread() throws Exception {
        CompletableFuture<CallbackFailure> seen = new CompletableFuture<>();
        CompletableFuture<String> thread = new CompletableFuture<>();
        WaitStateCollection coll = newCollection("custom-policy", failure -> {
            thread.complete(Thread.currentThread().getName());
            seen.complete(failure);
        });
        assertThat(coll.callbackErrorPolicy()).isNotNull();
        Connection c = connect(coll, StateOptions.DEFAULTS, 0);
        Boom boom = new Boom("callback failure on purpose (test)");
        c.state().readBuffer(new byte[1], (s, b, n) -> {
            throw boom;
        });
        c.peer().send("x");

        CallbackFailure failure = seen.get(10, TimeUnit.SECONDS);
        assertThat(failure.exception()).isSameAs(boom);
        assertThat(failure.state()).isSameAs(c.state());
        assertThat(failure.collection()).isSameAs(coll);
        assertThat(failure.handle()).isNull();
        assertThat(thread.get()).isEqualTo("Loop Collection custom-policy");
        await().until(() -> coll.statistics().callbackFailures() == 1);
        // A custom policy that does nothing does not keep a state whose failed callback left nothing in flight.
        await().until(() -> !c.state().isOpen());
        assertThat(c.state().readFailure()).isSameAs(boom);
    }

    @Test
    void aThrowingAppliedFunctionIsCountedWithoutAState() throws Exception {
        CompletableFuture<CallbackFailure> seen = new CompletableFuture<>();
        WaitStateCollection coll = newCollection("applied-failure", seen::complete);
        coll.apply(() -> {
            throw new Boom("applied function failure on purpose (test)");
        });
        CallbackFailure failure = seen.get(10, TimeUnit.SECONDS);
        assertThat(failure.state()).isNull();
        assertThat(failure.exception()).isInstanceOf(Boom.class);
        await().until(() -> coll.statistics().callbackFailures() == 1);
        assertThat(onLoop(coll, () -> "alive")).isEqualTo("alive");
    }

    @Test
    void aPolicyThatThrowsItselfDoesNotStopTheLoop() throws Exception {
        WaitStateCollection coll = newCollection("throwing-policy", failure -> {
            throw new Boom("policy failure on purpose (test)");
        });
        coll.apply(() -> {
            throw new Boom("applied function failure on purpose (test)");
        });
        await().until(() -> coll.statistics().callbackFailures() == 1);
        assertThat(onLoop(coll, () -> "alive")).isEqualTo("alive");
        assertThat(coll.isAlive()).isTrue();
    }

    @Test
    void aThrowingConnectionFunctionIsCountedOnTheHandle() throws Exception {
        CompletableFuture<CallbackFailure> seen = new CompletableFuture<>();
        WaitStateCollection coll = newCollection("connection-function-failure", seen::complete);
        AcceptingHandle handle = coll.acceptTcpConnections(0, (h, s) -> {
            throw new Boom("connection function failure on purpose (test)");
        }, AcceptOptions.builder().address("127.0.0.1").build());
        try (Peer client = Peer.connect(handle.localAddress())) {
            CallbackFailure failure = seen.get(10, TimeUnit.SECONDS);
            assertThat(failure.handle()).isSameAs(handle);
            await().until(() -> handle.statistics().callbackFailures() == 1);
            assertThat(coll.statistics().callbackFailures()).isEqualTo(1);
            assertThat(handle.isOpen()).isTrue();
        }
    }

    @Test
    void queuedWritesGoOnAfterAWriteCallbackThrew() throws Exception {
        WaitStateCollection coll = newCollection("write-callback-failure", CallbackErrorPolicy.SILENT);
        Connection c = connect(coll, StateOptions.builder().queueOutput(true).build(), 0);
        CallRecorder second = new CallRecorder();
        CallRecorder reading = new CallRecorder();
        c.state().readBuffer(new byte[1], reading); // in flight: the state goes on after the failed callback
        c.state().writeBuffer(bytes("one"), (s, b, n) -> {
            throw new Boom("write callback failure on purpose (test)");
        });
        c.state().writeBuffer(bytes("two"), second);
        assertThat(c.peer().readString(6)).isEqualTo("onetwo");
        assertThat(second.next().count()).isEqualTo(3);
        await().until(() -> coll.statistics().callbackFailures() == 1);
        assertThat(c.state().isOpen()).isTrue();
    }

    @Test
    void silentKeepsTheStateOpenWhenTheCallbackStartedAReadAndCountsTheFailure() throws Exception {
        WaitStateCollection coll = newCollection("silent-policy", CallbackErrorPolicy.SILENT);
        Connection c = connect(coll, StateOptions.DEFAULTS, 0);
        CallRecorder read = new CallRecorder();
        c.state().waitForInput(s -> {
            s.readBuffer(new byte[1], read);
            throw new Boom("wait-for-input callback failure on purpose (test)");
        });
        c.peer().send("x");
        await().until(() -> coll.statistics().callbackFailures() == 1);
        assertThat(read.next().text()).isEqualTo("x");
        assertThat(c.state().isOpen()).isTrue();
    }
}
