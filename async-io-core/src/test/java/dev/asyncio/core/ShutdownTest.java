package dev.asyncio.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@code shutdown(direction)}: half-close without closing the state. */
class ShutdownTest extends LoopTestSupport {

    @Test
    void shutdownOutputIsAHalfCloseThePeerSeesEofAndTheStateStillReads() throws Exception {
        Connection c = connect();
        CallRecorder write = new CallRecorder();
        c.state().writeBuffer(bytes("request"), write);
        write.next();

        assertThat(c.state().shutdown(Direction.OUTPUT)).isEqualTo(ShutdownOutcome.DONE);

        assertThat(c.peer().readString(7)).isEqualTo("request");
        assertThat(c.peer().seesEof()).as("the peer sees EOF after a half-close").isTrue();
        assertThat(c.state().isOpen()).isTrue();

        c.peer().send("response");
        CallRecorder read = new CallRecorder();
        c.state().readBuffer(new byte[8], read);
        Call call = read.next();
        assertThat(call.text()).isEqualTo("response");
        assertThat(call.readStatus()).isEqualTo(IoStatus.OK);
    }

    @Test
    void shutdownWithACallbackReportsSuccess() throws Exception {
        Connection c = connect();
        CallRecorder done = new CallRecorder();
        assertThat(c.state().shutdown(Direction.OUTPUT, false, done)).isEqualTo(ShutdownOutcome.DONE);
        Call call = done.next();
        assertThat(call.state()).isSameAs(c.state());
        assertThat(call.failure()).isNull();
    }

    @Test
    void shutdownInputWhileAReadIsActiveNeedsAbort() throws Exception {
        Connection c = connect(StateOptions.builder().name("half").build());
        CallRecorder read = new CallRecorder();
        c.state().readBuffer(new byte[4], read);

        assertThatThrownBy(() -> c.state().shutdown(Direction.INPUT))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("half")
                .hasMessageContaining("abort=true");
        assertThat(c.state().isReading()).as("the refused shutdown left the read alone").isTrue();

        CallRecorder done = new CallRecorder();
        assertThat(c.state().shutdown(Direction.INPUT, true, done)).isEqualTo(ShutdownOutcome.PENDING);
        Call call = done.next();
        assertThat(call.failure()).isNull();
        assertOnLoop(call, loopThreadName());
        assertThat(c.state().isReading()).isFalse();
        roundTrip();
        read.assertNoCall();
    }

    @Test
    void afterShutdownInputAReadSeesEof() throws Exception {
        Connection c = connect();
        assertThat(c.state().shutdown(Direction.INPUT)).isEqualTo(ShutdownOutcome.DONE);
        CallRecorder read = new CallRecorder();
        c.state().readBuffer(new byte[4], read);
        Call call = read.next();
        assertThat(call.readStatus()).isEqualTo(IoStatus.EOF);
        assertThat(call.count()).isZero();
    }

    @Test
    void afterThePeersHalfCloseTheStateStillWrites() throws Exception {
        Connection c = connect();
        c.peer().send("question");
        c.peer().shutdownOutput();
        CallRecorder read = new CallRecorder();
        c.state().readBuffer(new byte[100], read);
        Call eof = read.next();
        assertThat(eof.readStatus()).isEqualTo(IoStatus.EOF);
        assertThat(eof.text()).isEqualTo("question");
        assertThat(c.state().isOpen()).as("EOF does not close the state").isTrue();

        CallRecorder write = new CallRecorder();
        c.state().writeBuffer(bytes("answer"), write);
        assertThat(c.peer().readString(6)).isEqualTo("answer");
        assertThat(write.next().writeStatus()).isEqualTo(IoStatus.OK);
    }

    @Test
    void shutdownIoEndsBothDirectionsButNotTheState() throws Exception {
        Connection c = connect(StateOptions.builder().name("both-ways").build());
        assertThat(c.state().shutdown(Direction.IO)).isEqualTo(ShutdownOutcome.DONE);
        assertThat(c.peer().seesEof()).isTrue();
        CallRecorder read = new CallRecorder();
        c.state().readBuffer(new byte[1], read);
        assertThat(read.next().readStatus()).isEqualTo(IoStatus.EOF);
        assertThat(c.state().isOpen()).isTrue();
        c.state().close();
        assertThatThrownBy(() -> c.state().shutdown(Direction.OUTPUT)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("both-ways").hasMessageContaining("closed");
    }

    @Test
    void shutdownOutputWithAStuckWriteAndAbortDropsTheWriteAndHalfCloses() throws Exception {
        Connection c = connect(collection, StateOptions.DEFAULTS, 4096);
        CallRecorder write = new CallRecorder();
        c.state().writeBuffer(new byte[2 * 1024 * 1024], write);
        org.awaitility.Awaitility.await().until(() -> c.state().snapshot().bytesWritten() > 0);
        CallRecorder done = new CallRecorder();
        assertThat(c.state().shutdown(Direction.OUTPUT, true, done)).isEqualTo(ShutdownOutcome.PENDING);
        assertThat(done.next().failure()).isNull();
        long received = c.peer().drainToEof();
        assertThat(received).isLessThan(2 * 1024 * 1024);
        roundTrip();
        write.assertNoCall();
        assertThat(c.state().isWriting()).isFalse();
    }
}
