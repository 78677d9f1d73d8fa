package dev.asyncio.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** {@code waitForInput}: a read-readiness notification that consumes nothing. */
class WaitForInputTest extends LoopTestSupport {

    @Test
    void callsBackWhenInputArrivesWithoutConsumingIt() throws Exception {
        Connection c = connect();
        CallRecorder ready = new CallRecorder();
        c.state().waitForInput(ready);
        assertThat(c.state().isReading()).as("waitForInput is a read-direction operation").isTrue();
        roundTrip();
        ready.assertNoCall();

        c.peer().send("data");
        Call call = ready.next();
        assertThat(call.state()).isSameAs(c.state());
        assertThat(call.readStatus()).isEqualTo(IoStatus.OK);
        assertOnLoop(call, loopThreadName());
        assertThat(c.state().isReading()).isFalse();

        CallRecorder read = new CallRecorder();
        c.state().readBuffer(new byte[4], read);
        assertThat(read.next().text()).as("the input is still there").isEqualTo("data");
    }

    @Test
    void callsBackAtOnceWhenDataIsAlreadyBuffered() throws Exception {
        Connection c = connect();
        c.state().readWithChecking((s, b, end) -> {
            if (end >= 4) {
                s.finish(2);
            }
        });
        c.peer().send("abcd");
        org.awaitility.Awaitility.await().until(() -> !c.state().isReading());
        CallRecorder ready = new CallRecorder();
        c.state().waitForInput(ready);
        assertThat(ready.next().readStatus()).isEqualTo(IoStatus.OK);
    }

    @Test
    void aTimeoutCallsBackWithTimeoutStatusAndIsSticky() throws Exception {
        Connection c = connect();
        CallRecorder ready = new CallRecorder();
        c.state().waitForInput(ready, OperationOptions.timeout(Duration.ofMillis(150)));
        Call call = ready.next();
        assertThat(call.readStatus()).isEqualTo(IoStatus.TIMEOUT);
        assertThat(c.state().readTimeout()).isEqualTo(Duration.ofMillis(150));
    }

    @Test
    void peerCloseCallsBack() throws Exception {
        Connection c = connect();
        CallRecorder ready = new CallRecorder();
        c.state().waitForInput(ready);
        c.peer().shutdownOutput();
        ready.next();
        CallRecorder read = new CallRecorder();
        c.state().readBuffer(new byte[1], read);
        assertThat(read.next().readStatus()).isEqualTo(IoStatus.EOF);
    }

    @Test
    void abortingAWaitForInputCallsOnlyTheAbortCallback() throws Exception {
        Connection c = connect();
        CallRecorder ready = new CallRecorder();
        CallRecorder abort = new CallRecorder();
        c.state().waitForInput(ready);
        c.state().abort(abort);
        Call call = abort.next();
        assertThat(call.buffer()).isNull();
        assertThat(call.count()).isZero();
        c.peer().send("late");
        roundTrip();
        ready.assertNoCall();
        assertThat(c.state().isReading()).isFalse();
    }
}
