package dev.asyncio.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * One wake-up of the loop serves up to 16 socket reads of a state while each read fills all its room and the
 * callback starts the next one (as Netty's {@code maxMessagesPerRead}), instead of one read per select. The
 * collection is driven by hand ({@code waitFor} + {@code callReady}), so "one wake-up" is exactly one
 * {@code callReady}. The peer sends everything in one write below the loopback MTU: one segment, so the select that
 * wakes finds all of it readable.
 */
class ReadsPerWakeUpTest extends LoopTestSupport {

    private static final int CHUNK = 1024;
    private static final ScheduledExecutorService GUARD = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "wake-up-guard");
        t.setDaemon(true);
        return t;
    });

    /** Reads {@code CHUNK} bytes at a time with readAvailable, starting the next read from the callback while asked. */
    private static final class Chunks implements ByteBufferCallback {
        final List<String> seen = new ArrayList<>();
        final List<IoStatus> statuses = new ArrayList<>();
        int readAgainFor = Integer.MAX_VALUE;

        @Override
        public void call(AsyncIoState state, ByteBuffer buffer, int count) {
            statuses.add(state.readStatus());
            if (state.readStatus() != IoStatus.OK) {
                return;
            }
            buffer.flip();
            seen.add(StandardCharsets.ISO_8859_1.decode(buffer).toString());
            buffer.clear();
            if (seen.size() < readAgainFor) {
                state.readAvailable(buffer, this);
            }
        }
    }

    private WaitStateCollection manual;

    /** A state of a hand-driven collection, its read started and armed (the start task has run). */
    private Connection armed(Chunks chunks) throws Exception {
        manual = track(WaitStateCollection.create("manual-" + collectionName));
        Connection c = connect(manual, StateOptions.DEFAULTS, 0);
        c.state().readAvailable(ByteBuffer.allocate(CHUNK), chunks);
        manual.waitFor(); // returns at once: the start task is pending
        manual.callReady();
        assertThat(chunks.seen).as("nothing is read before a select found the socket readable").isEmpty();
        return c;
    }

    private static String chunks(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(String.valueOf((char) ('a' + i % 26)).repeat(CHUNK));
        }
        return b.toString();
    }

    /** One select and what it found; a wake-up that finds nothing after {@link #WAIT} fails instead of hanging. */
    private void oneWakeUp() {
        ScheduledFuture<?> guard = GUARD.schedule(() -> manual.apply(() -> { }), WAIT.toMillis(), TimeUnit.MILLISECONDS);
        manual.waitFor();
        assertThat(guard.cancel(false)).as("the socket became readable within " + WAIT).isTrue();
        manual.callReady();
    }

    @AfterAll
    static void stopGuard() {
        GUARD.shutdownNow();
    }

    @Test
    void aPeerThatSentEightChunksIsReadEightTimesInOneWakeUp() throws Exception {
        Chunks chunks = new Chunks();
        Connection c = armed(chunks);
        String sent = chunks(8);
        c.peer().send(sent);

        oneWakeUp();

        assertThat(chunks.seen).hasSize(8);
        assertThat(String.join("", chunks.seen)).isEqualTo(sent);
        assertThat(chunks.statuses).containsOnly(IoStatus.OK);
    }

    @Test
    void oneWakeUpServesSixteenReadsAtMostAndTheNextOneGoesOn() throws Exception {
        Chunks chunks = new Chunks();
        Connection c = armed(chunks);
        String sent = chunks(20);
        c.peer().send(sent);

        oneWakeUp();
        assertThat(chunks.seen).as("the other states of the loop get their turn after 16 reads").hasSize(16);

        oneWakeUp();
        assertThat(chunks.seen).hasSize(20);
        assertThat(String.join("", chunks.seen)).isEqualTo(sent);
    }

    @Test
    void aCallbackThatStartsNoReadEndsTheBurstAndLeavesTheRestInTheSocket() throws Exception {
        Chunks chunks = new Chunks();
        chunks.readAgainFor = 3;
        Connection c = armed(chunks);
        String sent = chunks(8);
        c.peer().send(sent);

        oneWakeUp();
        assertThat(chunks.seen).hasSize(3);

        chunks.readAgainFor = Integer.MAX_VALUE;
        // This thread drives the loop, so the read starts at once: its socket is still readable.
        c.state().readAvailable(ByteBuffer.allocate(CHUNK), chunks);
        oneWakeUp();
        assertThat(String.join("", chunks.seen)).isEqualTo(sent);
    }

    @Test
    void theBurstEndsWithTheReadThatDoesNotFillItsRoom() throws Exception {
        Chunks chunks = new Chunks();
        Connection c = armed(chunks);
        c.peer().send(chunks(2) + "tail");

        oneWakeUp();

        assertThat(chunks.seen).containsExactly(chunks(1), chunks(2).substring(CHUNK), "tail");
        assertThat(c.state().isOpen()).isTrue();
        assertThat(chunks.statuses).containsOnly(IoStatus.OK);
    }

    @Test
    void eofAfterTheLastChunkEndsTheBurstWithEof() throws Exception {
        Chunks chunks = new Chunks();
        Connection c = armed(chunks);
        c.peer().send(chunks(4));
        c.peer().socket().shutdownOutput();

        for (int i = 0; i < 3 && !chunks.statuses.contains(IoStatus.EOF); i++) {
            oneWakeUp();
        }

        assertThat(chunks.seen).hasSize(4);
        assertThat(chunks.statuses).endsWith(IoStatus.EOF);
    }

    @Test
    void readWithCheckingIsReadSeveralTimesInOneWakeUpToo() throws Exception {
        manual = track(WaitStateCollection.create("manual-" + collectionName));
        Connection c = connect(manual, StateOptions.builder().maxRead(CHUNK).build(), 0);
        List<String> seen = new ArrayList<>();
        c.state().readWithChecking((state, buffer, end) -> {
            seen.add(new String(buffer, 0, end, StandardCharsets.ISO_8859_1));
            state.discard(end);
        });
        manual.waitFor();
        manual.callReady();
        String sent = chunks(5);
        c.peer().send(sent);

        oneWakeUp();

        assertThat(seen).hasSize(5);
        assertThat(String.join("", seen)).isEqualTo(sent);
    }

    @Test
    void aStateWritesWhatItsReadsBroughtBeforeTheNextStateReadsSoOnePooledBufferServesAHundredConnections()
            throws Exception {
        manual = track(WaitStateCollection.create("manual-" + collectionName));
        BufferPool pool = manual.bufferPool();
        StateOptions pipelined = StateOptions.builder().queueOutput(true).build();
        ByteBufferCallback[] echo = new ByteBufferCallback[1];
        ByteBufferCallback written = (state, buffer, count) -> pool.release(buffer);
        echo[0] = (state, buffer, count) -> {
            if (buffer != null) {
                state.writeBuffer(buffer.flip(), written);
                state.readPooled(echo[0]);
            }
        };
        List<Connection> connections = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Connection c = connect(manual, pipelined, 0);
            c.state().readPooled(echo[0]);
            connections.add(c);
        }
        manual.waitFor(); // the start tasks
        manual.callReady();
        for (int i = 0; i < connections.size(); i++) {
            connections.get(i).peer().send(String.format("%03d", i).repeat(20));
        }

        oneWakeUp(); // all hundred are readable in this one select

        for (int i = 0; i < connections.size(); i++) {
            assertThat(connections.get(i).peer().readString(60)).isEqualTo(String.format("%03d", i).repeat(20));
        }
        assertThat(pool.allocated()).as("buffers the pool had to allocate").isLessThanOrEqualTo(2);
    }
}
