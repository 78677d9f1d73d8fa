package dev.asyncio.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** {@code writeBuffer}: whole ranges, one write at a time unless {@code queueOutput}, timeouts and water marks. */
class WriteBufferTest extends LoopTestSupport {

    /** Socket buffers small enough that a peer that does not read backs writes up after a few KiB. */
    private static final int SMALL_SOCKET_BUFFERS = 4096;

    @Test
    void writesTheWholeRangeThenCallsBack() throws Exception {
        Connection c = connect();
        byte[] buffer = bytes("##payload##");
        CallRecorder write = new CallRecorder();
        c.state().writeBuffer(buffer, 2, 9, write);
        assertThat(c.peer().readString(7)).isEqualTo("payload");
        Call call = write.next();
        assertThat(call.buffer()).isSameAs(buffer);
        assertThat(call.count()).isEqualTo(7);
        assertThat(call.writeStatus()).isEqualTo(IoStatus.OK);
        assertOnLoop(call, loopThreadName());
        assertThat(c.state().isWriting()).isFalse();
    }

    @Test
    void writesALargeBufferCompletely() throws Exception {
        Connection c = connect();
        byte[] big = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(big);
        CallRecorder write = new CallRecorder();
        c.state().writeBuffer(big, write);
        assertThat(c.peer().readExactly(big.length)).isEqualTo(big);
        assertThat(write.next().count()).isEqualTo(big.length);
    }

    @Test
    void aSecondWriteWithoutQueueOutputThrowsNamingTheStateAndTheRule() throws Exception {
        Connection c = connect(collection, StateOptions.builder().name("writer-1").build(), SMALL_SOCKET_BUFFERS);
        assertThat(c.state().queueOutput()).isFalse();
        CallRecorder write = new CallRecorder();
        c.state().writeBuffer(new byte[1024 * 1024], write); // the peer does not read: stays active
        await().until(() -> c.state().isWriting());

        assertThatThrownBy(() -> c.state().writeBuffer(bytes("more"), write))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("writer-1")
                .hasMessageContaining("queueOutput is off")
                .hasMessageContaining("one write at a time");

        assertThat(c.peer().readExactly(1024 * 1024)).hasSize(1024 * 1024);
        assertThat(write.next().count()).isEqualTo(1024 * 1024);
        roundTrip();
        write.assertNoCall();
    }

    @Test
    void queueOutputQueuesWritesInOrder() throws Exception {
        Connection c = connect(collection, StateOptions.builder().queueOutput(true).build(), SMALL_SOCKET_BUFFERS);
        assertThat(c.state().queueOutput()).isTrue();
        List<Integer> completed = Collections.synchronizedList(new ArrayList<>());
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            String chunk = "chunk-" + i + "-" + "x".repeat(i * 97) + ";";
            expected.append(chunk);
            int n = i;
            c.state().writeBuffer(bytes(chunk), (s, b, count) -> completed.add(n));
        }
        assertThat(c.peer().readString(expected.length())).isEqualTo(expected.toString());
        await().until(() -> completed.size() == 50);
        assertThat(completed).isSorted();
    }

    @Test
    void aWriteTimeoutEndsTheWriteWithThePartialCount() throws Exception {
        Connection c = connect(collection, StateOptions.DEFAULTS, SMALL_SOCKET_BUFFERS);
        byte[] big = new byte[8 * 1024 * 1024];
        CallRecorder write = new CallRecorder();
        c.state().writeBuffer(big, 0, big.length, write, OperationOptions.timeout(Duration.ofMillis(200)));
        assertThat(c.state().writeTimeout()).as("sticky").isEqualTo(Duration.ofMillis(200));

        Call call = write.next();
        assertThat(call.writeStatus()).isEqualTo(IoStatus.TIMEOUT);
        assertThat(call.count()).isLessThan(big.length);
        assertThat(collection.statistics().timeouts()).isEqualTo(1);
    }

    @Test
    void aWriteErrorGoesToTheErrorCallback() throws Exception {
        Connection c = connect();
        c.peer().reset();
        CallRecorder write = new CallRecorder();
        CallRecorder error = new CallRecorder();
        byte[] big = new byte[4 * 1024 * 1024];
        // The RST may arrive after the first small write; a big one surely fails.
        c.state().writeBuffer(big, 0, big.length, write, OperationOptions.errorCallback(error));
        Call call = error.next();
        assertThat(call.writeStatus()).isEqualTo(IoStatus.ERROR);
        assertThat(call.buffer()).isSameAs(big);
        assertThat(c.state().writeFailure()).isNotNull();
        roundTrip();
        write.assertNoCall();
    }

    @Test
    void waterMarksFlipWritabilityAndCallTheWritabilityCallback() throws Exception {
        CallRecorder writability = new CallRecorder();
        List<Boolean> writableSeen = Collections.synchronizedList(new ArrayList<>());
        StateOptions options = StateOptions.builder()
                .queueOutput(true)
                .writeWaterMarks(8 * 1024, 32 * 1024)
                .writabilityCallback(s -> {
                    writableSeen.add(s.isWritable());
                    writability.call(s);
                })
                .build();
        Connection c = connect(collection, options, SMALL_SOCKET_BUFFERS);
        assertThat(c.state().isWritable()).isTrue();

        CallRecorder write = new CallRecorder();
        c.state().writeBuffer(new byte[512 * 1024], write);
        Call notWritable = writability.next();
        assertOnLoop(notWritable, loopThreadName());
        assertThat(writableSeen).containsExactly(false);
        assertThat(c.state().isWritable()).isFalse();
        assertThat(c.state().queuedOutput()).isGreaterThanOrEqualTo(8 * 1024);
        assertThat(c.state().snapshot().writable()).isFalse();

        c.peer().readExactly(512 * 1024);
        writability.next();
        assertThat(writableSeen).containsExactly(false, true);
        assertThat(c.state().isWritable()).isTrue();
        write.next();
        assertThat(c.state().queuedOutput()).isZero();
    }

    @Test
    void writesPastMaxQueuedOutputAreRefused() throws Exception {
        StateOptions options = StateOptions.builder()
                .name("flooded")
                .queueOutput(true)
                .maxQueuedOutput(256 * 1024)
                .build();
        Connection c = connect(collection, options, SMALL_SOCKET_BUFFERS);
        CallRecorder write = new CallRecorder();
        c.state().writeBuffer(new byte[1024 * 1024], write); // accepted: nothing was queued yet
        await().until(() -> c.state().queuedOutput() >= 256 * 1024);

        assertThatThrownBy(() -> c.state().writeBuffer(new byte[10], write))
                .isInstanceOf(OutputLimitExceededException.class)
                .hasMessageContaining("flooded")
                .hasMessageContaining("maxQueuedOutput");
        assertThat(c.state().isOpen()).isTrue();

        c.peer().readExactly(1024 * 1024);
        write.next();
        c.state().writeBuffer(bytes("after"), write); // below the limit again
        assertThat(c.peer().readString(5)).isEqualTo("after");
    }

    @Test
    void aWriteAndAReadRunAtTheSameTime() throws Exception {
        Connection c = connect();
        CallRecorder read = new CallRecorder();
        CallRecorder write = new CallRecorder();
        c.state().readBuffer(new byte[4], read);
        c.state().writeBuffer(bytes("ping"), write);
        assertThat(c.state().isReading()).isTrue();
        assertThat(c.peer().readString(4)).isEqualTo("ping");
        write.next();
        c.peer().send("pong");
        assertThat(read.next().text()).isEqualTo("pong");
        assertThat(c.state().snapshot().bytesRead()).isEqualTo(4);
        assertThat(c.state().snapshot().bytesWritten()).isEqualTo(4);
    }

    @Test
    void eachWriteMayStartTheNextFromItsCallbackWithoutQueueOutput() throws Exception {
        Connection c = connect();
        int rounds = 200;
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < rounds; i++) {
            expected.append("w").append(i).append(';');
        }
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger(1);
        BufferCallback[] chain = new BufferCallback[1];
        chain[0] = (s, b, n) -> {
            int i = next.getAndIncrement();
            if (i < rounds) {
                s.writeBuffer(bytes("w" + i + ";"), chain[0]);
            }
        };
        c.state().writeBuffer(bytes("w0;"), chain[0]);
        assertThat(c.peer().readString(expected.length())).isEqualTo(expected.toString());
    }

    @Test
    void anEmptyWriteCompletesAtOnce() throws Exception {
        Connection c = connect();
        CallRecorder write = new CallRecorder();
        c.state().writeBuffer(new byte[4], 2, 2, write);
        Call call = write.next();
        assertThat(call.count()).isZero();
        assertThat(call.writeStatus()).isEqualTo(IoStatus.OK);
        assertThat(c.state().isWriting()).isFalse();
        c.state().writeBuffer(bytes("next"), write); // the empty write is not left active
        assertThat(c.peer().readString(4)).isEqualTo("next");
    }

    @Test
    void anEmptyWriteQueuedBehindAnotherCompletesInOrder() throws Exception {
        Connection c = connect(StateOptions.builder().queueOutput(true).build());
        List<String> done = Collections.synchronizedList(new ArrayList<>());
        c.state().writeBuffer(bytes("abc"), (s, b, n) -> done.add("abc"));
        c.state().writeBuffer(new byte[0], (s, b, n) -> done.add("empty"));
        c.state().writeBuffer(bytes("def"), (s, b, n) -> done.add("def"));
        assertThat(c.peer().readString(6)).isEqualTo("abcdef");
        await().until(() -> done.size() == 3);
        assertThat(done).containsExactly("abc", "empty", "def");
    }

    @Test
    void writesFromManyThreadsWithQueueOutputArriveWholeAndInEachThreadsOrder() throws Exception {
        Connection c = connect(StateOptions.builder().queueOutput(true).build());
        int threads = 4;
        int perThread = 200;
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        List<Thread> writers = new ArrayList<>();
        java.util.concurrent.atomic.AtomicInteger expectedLength = new java.util.concurrent.atomic.AtomicInteger();
        for (int t = 0; t < threads; t++) {
            int id = t;
            StringBuilder all = new StringBuilder();
            for (int i = 0; i < perThread; i++) {
                all.append('<').append(id).append(':').append(i).append('>');
            }
            expectedLength.addAndGet(all.length());
            Thread w = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        c.state().writeBuffer(bytes("<" + id + ":" + i + ">"), null);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "writer-" + t);
            w.start();
            writers.add(w);
        }
        start.countDown();
        String got = c.peer().readString(expectedLength.get());
        for (Thread w : writers) {
            w.join(WAIT.toMillis());
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<(\\d+):(\\d+)>").matcher(got);
        int[] next = new int[threads];
        int chunks = 0;
        int end = 0;
        while (m.find()) {
            assertThat(m.start()).as("chunks are contiguous").isEqualTo(end);
            end = m.end();
            int id = Integer.parseInt(m.group(1));
            assertThat(Integer.parseInt(m.group(2))).as("order of writer %d", id).isEqualTo(next[id]++);
            chunks++;
        }
        assertThat(chunks).isEqualTo(threads * perThread);
    }

    @Test
    void aWriteErrorWithoutAnErrorCallbackGoesToTheCallback() throws Exception {
        Connection c = connect();
        c.peer().reset();
        CallRecorder write = new CallRecorder();
        c.state().writeBuffer(new byte[4 * 1024 * 1024], write);
        Call call = write.next();
        assertThat(call.writeStatus()).isEqualTo(IoStatus.ERROR);
        assertThat(call.count()).isLessThan(4 * 1024 * 1024);
        assertThat(c.state().writeFailure()).isNotNull();
    }

    @Test
    void aFailedWriteEndsTheQueuedWritesBehindItToo() throws Exception {
        Connection c = connect(StateOptions.builder().queueOutput(true).build());
        c.peer().reset();
        List<IoStatus> statuses = Collections.synchronizedList(new ArrayList<>());
        c.state().writeBuffer(new byte[3 * 1024 * 1024], (s, b, n) -> statuses.add(s.writeStatus()));
        c.state().writeBuffer(new byte[10], (s, b, n) -> statuses.add(s.writeStatus()));
        c.state().writeBuffer(new byte[10], (s, b, n) -> statuses.add(s.writeStatus()));
        await().until(() -> statuses.size() == 3);
        assertThat(statuses).containsOnly(IoStatus.ERROR);
        assertThat(c.state().queuedOutput()).isZero();
        assertThat(c.state().isWriting()).isFalse();
    }

    @Test
    void aTimedOutWriteEndsTheQueuedWritesBehindItToo() throws Exception {
        Connection c = connect(collection, StateOptions.builder().queueOutput(true)
                .writeTimeout(Duration.ofMillis(200)).build(), SMALL_SOCKET_BUFFERS);
        List<IoStatus> statuses = Collections.synchronizedList(new ArrayList<>());
        c.state().writeBuffer(new byte[4 * 1024 * 1024 - 100], (s, b, n) -> statuses.add(s.writeStatus()));
        c.state().writeBuffer(new byte[10], (s, b, n) -> statuses.add(s.writeStatus()));
        await().until(() -> statuses.size() == 2);
        assertThat(statuses).containsOnly(IoStatus.TIMEOUT);
        assertThat(c.state().queuedOutput()).isZero();
    }

    @Test
    void aWriteStartedFromAFailedWritesCallbackGetsItsOwnCallback() throws Exception {
        Connection c = connect();
        c.peer().reset();
        CallRecorder second = new CallRecorder();
        c.state().writeBuffer(new byte[3 * 1024 * 1024], (s, b, n) -> {
            if (s.writeStatus() == IoStatus.ERROR) {
                s.writeBuffer(bytes("again"), second);
            }
        });
        Call call = second.next();
        assertThat(call.writeStatus()).isEqualTo(IoStatus.ERROR);
        assertThat(c.state().isWriting()).isFalse();
    }

    @Test
    void setWritabilityCallbackReplacesTheOptionsCallbackForThisState() throws Exception {
        CallRecorder fromOptions = new CallRecorder();
        Connection c = connect(collection, StateOptions.builder().queueOutput(true).writeWaterMarks(4096, 16 * 1024)
                .writabilityCallback(fromOptions).build(), SMALL_SOCKET_BUFFERS);
        CallRecorder own = new CallRecorder();
        c.state().setWritabilityCallback(own);
        c.state().writeBuffer(new byte[256 * 1024], null);
        assertThat(own.next().state()).isSameAs(c.state());
        c.peer().readExactly(256 * 1024);
        own.next();
        roundTrip();
        fromOptions.assertNoCall();
        assertThat(c.state().isWritable()).isTrue();
    }

    @Test
    void queuedWritesOfManyStatesNeverMixUp() throws Exception {
        int statesCount = 20;
        int writes = 50;
        List<Connection> connections = new ArrayList<>();
        for (int s = 0; s < statesCount; s++) {
            connections.add(connect(collection, StateOptions.builder().queueOutput(true).build(),
                    SMALL_SOCKET_BUFFERS));
        }
        List<String> expected = new ArrayList<>();
        java.util.concurrent.atomic.AtomicInteger callbacks = new java.util.concurrent.atomic.AtomicInteger();
        for (int s = 0; s < statesCount; s++) {
            expected.add("");
        }
        // Interleave the states, and from the loop thread too, so write records are recycled between them.
        for (int w = 0; w < writes; w++) {
            for (int s = 0; s < statesCount; s++) {
                String chunk = "[" + s + "/" + w + "]" + "x".repeat((s * 31 + w * 17) % 700);
                expected.set(s, expected.get(s) + chunk);
                AsyncIoState state = connections.get(s).state();
                if (w % 2 == 0) {
                    state.writeBuffer(bytes(chunk), (st, b, n) -> callbacks.incrementAndGet());
                } else {
                    collection.apply(() -> state.writeBuffer(bytes(chunk), (st, b, n) -> callbacks.incrementAndGet()));
                }
            }
        }
        for (int s = 0; s < statesCount; s++) {
            assertThat(connections.get(s).peer().readString(expected.get(s).length()))
                    .as("stream of state %d", s).isEqualTo(expected.get(s));
        }
        await().until(() -> callbacks.get() == statesCount * writes);
    }
}
