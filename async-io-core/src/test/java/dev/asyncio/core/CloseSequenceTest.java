package dev.asyncio.core;

import dev.asyncio.core.internal.engine.CloseSequence.Phase;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The close sequence seen from inside: its phases (requested on the caller's thread, flushing while output waits,
 * draining after the FIN, closed at the peer's EOF), driven by the one "output drained" event, and its callback rules.
 */
class CloseSequenceTest extends LoopTestSupport {

    private static Phase phase(AsyncIoState state) {
        return state.engine().closing().phase();
    }

    @Test
    void phasesFollowTheOutputThenThePeer() throws Exception {
        Connection c = connect(collection, StateOptions.builder().queueOutput(true).build(), 4096);
        byte[] payload = new byte[1024 * 1024];
        new Random(7).nextBytes(payload);
        c.state().writeBuffer(payload, null);
        CallRecorder closed = new CallRecorder();

        c.state().closeGracefully(Duration.ofSeconds(30), closed);
        assertThat(phase(c.state())).isIn(Phase.REQUESTED, Phase.FLUSHING);
        assertThat(c.state().isClosing()).isTrue();
        assertThat(onLoop(() -> phase(c.state()))).as("the peer reads nothing yet").isEqualTo(Phase.FLUSHING);

        assertThat(c.peer().readExactly(payload.length)).isEqualTo(payload);
        assertThat(c.peer().seesEof()).isTrue();
        assertThat(onLoop(() -> phase(c.state()))).as("FIN sent, waiting for the peer's").isEqualTo(Phase.DRAINING);
        assertThat(c.state().isOpen()).isTrue();

        c.peer().close();
        closed.next();
        assertThat(c.state().isOpen()).isFalse();
        assertThat(closed.count()).isEqualTo(1);
    }

    @Test
    void withNothingToWriteTheFinGoesOutAtOnce() throws Exception {
        Connection c = connect();
        c.state().closeGracefully(null, null);
        assertThat(c.peer().seesEof()).isTrue();
        assertThat(onLoop(() -> phase(c.state()))).isEqualTo(Phase.DRAINING);
    }

    @Test
    void aSecondGracefulCloseAddsItsCallbackAndBothRunOnce() throws Exception {
        Connection c = connect(collection, StateOptions.builder().queueOutput(true).build(), 4096);
        c.state().writeBuffer(new byte[512 * 1024], null);
        AtomicInteger first = new AtomicInteger();
        AtomicInteger second = new AtomicInteger();
        CountDownLatch both = new CountDownLatch(2);
        c.state().closeGracefully(null, s -> {
            first.incrementAndGet();
            both.countDown();
        });
        c.state().closeGracefully(null, s -> {
            second.incrementAndGet();
            both.countDown();
        });

        c.peer().drainToEof();
        c.peer().close();
        assertThat(both.await(10, TimeUnit.SECONDS)).isTrue();
        roundTrip();
        assertThat(first.get()).isEqualTo(1);
        assertThat(second.get()).isEqualTo(1);
    }

    @Test
    void closedAnotherWayWhileFlushingTheGracefulCallerStillHearsOfIt() throws Exception {
        Connection c = connect(collection, StateOptions.builder().queueOutput(true).build(), 4096);
        c.state().writeBuffer(new byte[2 * 1024 * 1024], null);
        CallRecorder closed = new CallRecorder();
        c.state().closeGracefully(null, closed);
        assertThat(onLoop(() -> phase(c.state()))).isEqualTo(Phase.FLUSHING);

        c.state().close();
        closed.next();
        assertThat(closed.count()).isEqualTo(1);
        assertThat(c.state().queuedOutput()).as("dropped by the close").isZero();
    }

    @Test
    void aFailedWriteIsAnOutputDrainedEventToo() throws Exception {
        Connection c = connect(collection, StateOptions.builder().queueOutput(true).build(), 4096);
        c.state().writeBuffer(new byte[2 * 1024 * 1024], null);
        CallRecorder closed = new CallRecorder();
        c.state().closeGracefully(null, closed);
        assertThat(onLoop(() -> phase(c.state()))).isEqualTo(Phase.FLUSHING);

        c.peer().reset();
        closed.next();
        assertThat(c.state().isOpen()).isFalse();
        assertThat(c.state().writeStatus()).isEqualTo(IoStatus.ERROR);
    }

    @Test
    void aUdpStateClosesAtOnce() throws Exception {
        AsyncIoState udp = collection.openUdp(UdpOptions.DEFAULTS);
        CallRecorder closed = new CallRecorder();
        udp.closeGracefully(null, closed);
        closed.next();
        assertThat(udp.isOpen()).isFalse();
    }
}
