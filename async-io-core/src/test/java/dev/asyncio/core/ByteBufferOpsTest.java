package dev.asyncio.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The ByteBuffer operations beside the LispWorks byte[] ones: reads into and writes from caller's buffers (heap and
 * direct), the gathering write, the read-with-checking view, under the same rules (one read and one write at a time,
 * queueOutput, FIFO with byte[] writes, timeouts, statuses, water marks, abort).
 */
class ByteBufferOpsTest extends LoopTestSupport {

    private static final int SMALL_SOCKET_BUFFERS = 4096;

    /** One invocation of a ByteBuffer callback, copied during the call. */
    record BCall(ByteBuffer buffer, int count, String bytes, IoStatus readStatus, IoStatus writeStatus,
                 String thread) {
    }

    /** Records ByteBuffer callbacks; the bytes are those before the buffer's position, or a view's [0, count). */
    static final class BRecorder implements ByteBufferCallback {
        final LinkedBlockingQueue<BCall> calls = new LinkedBlockingQueue<>();
        final boolean view;

        BRecorder(boolean view) {
            this.view = view;
        }

        @Override
        public void call(AsyncIoState state, ByteBuffer buffer, int count) {
            String bytes = null;
            if (buffer != null) {
                ByteBuffer d = buffer.duplicate();
                if (view) {
                    d.position(0).limit(count);
                } else {
                    d.flip();
                    d.position(Math.max(0, d.limit() - count));
                }
                byte[] b = new byte[d.remaining()];
                d.get(b);
                bytes = new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
            }
            calls.add(new BCall(buffer, count, bytes, state.readStatus(), state.writeStatus(),
                    Thread.currentThread().getName()));
        }

        BCall next() throws InterruptedException {
            BCall c = calls.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(c).as("callback within " + WAIT).isNotNull();
            return c;
        }
    }

    // ------------------------------------------------------------------ reads

    @Test
    void readBufferFillsADirectBufferCompletely() throws Exception {
        Connection c = connect();
        ByteBuffer dst = ByteBuffer.allocateDirect(10);
        BRecorder read = new BRecorder(false);
        c.state().readBuffer(dst, read);
        c.peer().send("0123");
        c.peer().send("456789xyz");
        BCall call = read.next();
        assertThat(call.buffer()).isSameAs(dst);
        assertThat(call.count()).isEqualTo(10);
        assertThat(call.bytes()).isEqualTo("0123456789");
        assertThat(call.readStatus()).isEqualTo(IoStatus.OK);
        assertThat(call.thread()).isEqualTo(loopThreadName());
        assertThat(dst.position()).isEqualTo(10);
        // The rest waits in the socket for the next read, a byte[] one this time.
        CallRecorder more = new CallRecorder();
        c.state().readBuffer(new byte[3], more);
        assertThat(more.next().text()).isEqualTo("xyz");
    }

    @Test
    void readAvailableCallsBackWithTheFirstBytesIntoAHeapBufferAfterItsPosition() throws Exception {
        Connection c = connect();
        ByteBuffer dst = ByteBuffer.allocate(1024);
        dst.put((byte) '>');
        BRecorder read = new BRecorder(false);
        c.state().readAvailable(dst, read);
        c.peer().send("hello");
        BCall call = read.next();
        assertThat(call.count()).isEqualTo(5);
        assertThat(call.bytes()).isEqualTo("hello");
        assertThat(dst.position()).isEqualTo(6);
        assertThat(dst.get(0)).isEqualTo((byte) '>');
        assertThat(c.state().isReading()).isFalse();
    }

    @Test
    void aByteBufferReadEndsEarlyOnEofAndOnTimeout() throws Exception {
        Connection c = connect();
        BRecorder read = new BRecorder(false);
        c.state().readBuffer(ByteBuffer.allocateDirect(10), read, OperationOptions.timeout(Duration.ofMillis(150)));
        c.peer().send("abc");
        BCall timedOut = read.next();
        assertThat(timedOut.readStatus()).isEqualTo(IoStatus.TIMEOUT);
        assertThat(timedOut.count()).isEqualTo(3);
        assertThat(timedOut.bytes()).isEqualTo("abc");

        c.state().setReadTimeout(null);
        c.state().readAvailable(ByteBuffer.allocate(10), read);
        c.peer().shutdownOutput();
        BCall eof = read.next();
        assertThat(eof.readStatus()).isEqualTo(IoStatus.EOF);
        assertThat(eof.count()).isZero();
    }

    @Test
    void byteBufferReadsKeepTheOneReadRuleAndRefuseBadArguments() throws Exception {
        Connection c = connect(StateOptions.builder().name("bb-reader").build());
        c.state().readAvailable(ByteBuffer.allocate(8), new BRecorder(false));
        assertThatThrownBy(() -> c.state().readBuffer(ByteBuffer.allocate(8), new BRecorder(false)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("bb-reader")
                .hasMessageContaining("one read-direction operation at a time");
        assertThatThrownBy(() -> c.state().readBuffer(new byte[1], new CallRecorder()))
                .isInstanceOf(IllegalStateException.class);
        c.state().abort(Direction.INPUT, null);
        roundTrip();
        assertThatThrownBy(() -> c.state().readAvailable(ByteBuffer.allocate(8).asReadOnlyBuffer(),
                new BRecorder(false))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("read-only");
        assertThatThrownBy(() -> c.state().readBuffer(ByteBuffer.allocate(8), new BRecorder(false),
                OperationOptions.errorCallback((s, b, n) -> { }))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("error callbacks take byte[]");
    }

    @Test
    void abortingAByteBufferReadHandsTheAbortCallbackTheCount() throws Exception {
        Connection c = connect();
        ByteBuffer dst = ByteBuffer.allocateDirect(10);
        BRecorder read = new BRecorder(false);
        c.state().readBuffer(dst, read);
        c.peer().send("abcd");
        await().until(() -> c.state().bytesRead() == 4);
        CallRecorder abort = new CallRecorder();
        c.state().abort(Direction.INPUT, abort);
        Call call = abort.next();
        assertThat(call.buffer()).isNull();
        assertThat(call.count()).isEqualTo(4);
        roundTrip();
        assertThat(read.calls).isEmpty();
        assertThat(dst.position()).isEqualTo(4);
    }

    @Test
    void aByteBufferReadTakesInputAReadWithCheckingLeftBuffered() throws Exception {
        Connection c = connect();
        CallRecorder checking = new CallRecorder();
        c.state().readWithChecking((s, b, end) -> {
            // Finish before recording: the test thread starts the next read as soon as the call is recorded.
            s.finish(2); // keep all but "ab"
            checking.call(s, b, end);
        });
        c.peer().send("abcdef");
        checking.next();
        BRecorder read = new BRecorder(false);
        c.state().readBuffer(ByteBuffer.allocateDirect(6), read);
        c.peer().send("gh");
        BCall call = read.next();
        assertThat(call.bytes()).isEqualTo("cdefgh");
    }

    // ------------------------------------------------------------------ the read-with-checking view

    @Test
    void readWithCheckingViewShowsTheInputReadOnlyAndKeepsWhatIsNotDiscarded() throws Exception {
        Connection c = connect();
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        List<Integer> oldLengths = Collections.synchronizedList(new ArrayList<>());
        LinkedBlockingQueue<String> done = new LinkedBlockingQueue<>();
        c.state().readWithCheckingView((s, view, end) -> {
            assertThat(view.isReadOnly()).isTrue();
            assertThat(view.position()).isZero();
            assertThat(view.limit()).isEqualTo(end);
            byte[] b = new byte[end];
            view.get(b);
            String text = new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
            seen.add(text);
            oldLengths.add(s.oldLength());
            int nl = text.indexOf('\n');
            if (nl >= 0) {
                s.finish(nl + 1);
                done.add(text.substring(0, nl) + "|" + s.bufferedDataLength());
            }
        });
        c.peer().send("hel");
        await().until(() -> seen.size() == 1);
        c.peer().send("lo\nrest");
        assertThat(done.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("hello|4");
        assertThat(seen).containsExactly("hel", "hello\nrest");
        assertThat(oldLengths).containsExactly(0, 3);
        byte[] rest = new byte[4];
        assertThat(c.state().getBufferedData(rest)).isEqualTo(4);
        assertThat(text(rest, 0, 4)).isEqualTo("rest");
    }

    @Test
    void readWithCheckingViewDiscardsFromTheFrontWithoutCopying() throws Exception {
        Connection c = connect();
        LinkedBlockingQueue<String> out = new LinkedBlockingQueue<>();
        c.state().readWithCheckingView((s, view, end) -> {
            if (s.readStatus() != IoStatus.OK) {
                out.add("end " + s.readStatus() + " " + end);
                return;
            }
            // Consume complete 4-byte records, leave a partial one.
            int whole = end / 4 * 4;
            if (whole > 0) {
                byte[] b = new byte[whole];
                view.get(0, b);
                out.add(new String(b, java.nio.charset.StandardCharsets.ISO_8859_1));
                s.discard(whole);
            }
        });
        c.peer().send("AAAABB");
        assertThat(out.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("AAAA");
        c.peer().send("BBCCCC");
        assertThat(out.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("BBBBCCCC");
        c.peer().shutdownOutput();
        assertThat(out.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("end EOF 0");
    }

    @Test
    void theViewCannotBeWrittenAndDiscardOutsideItsCallbackThrows() throws Exception {
        Connection c = connect(StateOptions.builder().queueOutput(true).build());
        LinkedBlockingQueue<Throwable> thrown = new LinkedBlockingQueue<>();
        c.state().readWithCheckingView((s, view, end) -> {
            try {
                s.writeBuffer(view, null);
            } catch (Throwable t) {
                thrown.add(t);
            }
            s.finish(end);
        });
        c.peer().send("x");
        assertThat(thrown.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("copy them");
        assertThatThrownBy(() -> c.state().discard(1)).isInstanceOf(IllegalStateException.class);
    }

    // ------------------------------------------------------------------ writes

    @Test
    void writeBufferWritesADirectBufferAndHandsItBackWritten() throws Exception {
        Connection c = connect();
        ByteBuffer src = ByteBuffer.allocateDirect(64);
        src.put(bytes("##payload##")).flip().position(2).limit(9);
        BRecorder write = new BRecorder(false);
        c.state().writeBuffer(src, write);
        assertThat(c.peer().readString(7)).isEqualTo("payload");
        BCall call = write.next();
        assertThat(call.buffer()).isSameAs(src);
        assertThat(call.count()).isEqualTo(7);
        assertThat(call.writeStatus()).isEqualTo(IoStatus.OK);
        assertThat(call.thread()).isEqualTo(loopThreadName());
        assertThat(src.position()).isEqualTo(9);
        assertThat(c.state().bytesWritten()).isEqualTo(7);
    }

    @Test
    void aHeapSliceIsWrittenFromItsArrayOffsetAndItsPositionMovesAtTheCallback() throws Exception {
        Connection c = connect();
        ByteBuffer whole = ByteBuffer.wrap(bytes("0123456789"));
        whole.position(3);
        ByteBuffer slice = whole.slice(); // arrayOffset 3
        slice.position(2).limit(5);       // "567"
        BRecorder write = new BRecorder(false);
        c.state().writeBuffer(slice, write);
        assertThat(c.peer().readString(3)).isEqualTo("567");
        BCall call = write.next();
        assertThat(call.count()).isEqualTo(3);
        assertThat(slice.position()).isEqualTo(5);
    }

    @Test
    void largeGatheringWriteOfMixedBuffersArrivesByteForByte() throws Exception {
        Connection c = connect();
        Random random = new Random(11);
        ByteBuffer[] parts = new ByteBuffer[5];
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (int i = 0; i < parts.length; i++) {
            byte[] b = new byte[700_000 + i * 1031];
            random.nextBytes(b);
            expected.write(b);
            parts[i] = i % 2 == 0 ? ByteBuffer.allocateDirect(b.length).put(b).flip() : ByteBuffer.wrap(b);
        }
        LinkedBlockingQueue<Long> counts = new LinkedBlockingQueue<>();
        c.state().writeBuffers(parts, (s, bufs, count) -> {
            assertThat(bufs).isSameAs(parts);
            counts.add(count);
        });
        assertThat(c.peer().readExactly(expected.size())).isEqualTo(expected.toByteArray());
        assertThat(counts.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo((long) expected.size());
        for (ByteBuffer p : parts) {
            assertThat(p.hasRemaining()).isFalse();
        }
    }

    @Test
    void byteArrayAndByteBufferWritesInterleaveInFifoOrder() throws Exception {
        Connection c = connect(collection, StateOptions.builder().queueOutput(true).build(), SMALL_SOCKET_BUFFERS);
        List<Integer> completed = Collections.synchronizedList(new ArrayList<>());
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            String chunk = "chunk-" + i + "-" + "x".repeat(i * 131) + ";";
            expected.append(chunk);
            int n = i;
            byte[] b = bytes(chunk);
            switch (i % 4) {
                case 0 -> c.state().writeBuffer(b, (s, buf, count) -> completed.add(n));
                case 1 -> c.state().writeBuffer(ByteBuffer.wrap(b), (s, buf, count) -> completed.add(n));
                case 2 -> c.state().writeBuffer(ByteBuffer.allocateDirect(b.length).put(b).flip(),
                        (s, buf, count) -> completed.add(n));
                default -> {
                    int half = b.length / 2;
                    c.state().writeBuffers(new ByteBuffer[] {ByteBuffer.wrap(b, 0, half),
                            ByteBuffer.allocateDirect(b.length - half).put(b, half, b.length - half).flip()},
                            (s, bufs, count) -> completed.add(n));
                }
            }
        }
        assertThat(c.peer().readString(expected.length())).isEqualTo(expected.toString());
        await().until(() -> completed.size() == 60);
        List<Integer> inOrder = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            inOrder.add(i);
        }
        assertThat(completed).isEqualTo(inOrder);
        assertThat(c.state().queuedOutput()).isZero();
    }

    @Test
    void aSecondByteBufferWriteWithoutQueueOutputThrows() throws Exception {
        Connection c = connect(collection, StateOptions.builder().name("bb-writer").build(), SMALL_SOCKET_BUFFERS);
        ByteBuffer big = ByteBuffer.allocateDirect(1024 * 1024);
        BRecorder write = new BRecorder(false);
        c.state().writeBuffer(big, write);
        await().until(() -> c.state().isWriting());
        assertThatThrownBy(() -> c.state().writeBuffer(ByteBuffer.allocate(4), write))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("bb-writer")
                .hasMessageContaining("queueOutput is off");
        assertThatThrownBy(() -> c.state().writeBuffer(new byte[4], null)).isInstanceOf(IllegalStateException.class);
        assertThat(c.peer().readExactly(1024 * 1024)).hasSize(1024 * 1024);
        assertThat(write.next().count()).isEqualTo(1024 * 1024);
    }

    @Test
    void aStalledByteBufferWriteTimesOutWithThePartialCount() throws Exception {
        Connection c = connect(collection, StateOptions.DEFAULTS, SMALL_SOCKET_BUFFERS);
        ByteBuffer big = ByteBuffer.allocateDirect(8 * 1024 * 1024);
        BRecorder write = new BRecorder(false);
        c.state().writeBuffer(big, write, OperationOptions.timeout(Duration.ofMillis(200)));
        BCall call = write.next();
        assertThat(call.writeStatus()).isEqualTo(IoStatus.TIMEOUT);
        assertThat(call.count()).isLessThan(big.capacity());
        assertThat(big.position()).isEqualTo(call.count());
    }

    @Test
    void byteBufferWritesCountInTheWaterMarks() throws Exception {
        LinkedBlockingQueue<Boolean> writability = new LinkedBlockingQueue<>();
        StateOptions options = StateOptions.builder().queueOutput(true).writeWaterMarks(8 * 1024, 32 * 1024)
                .writabilityCallback(s -> writability.add(s.isWritable())).build();
        Connection c = connect(collection, options, SMALL_SOCKET_BUFFERS);
        c.state().writeBuffer(ByteBuffer.allocateDirect(64 * 1024), null);
        assertThat(c.state().isWritable()).isFalse();
        assertThat(c.state().queuedOutput()).isPositive();
        assertThat(writability.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isFalse();
        c.peer().readExactly(64 * 1024);
        assertThat(writability.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        await().until(() -> c.state().queuedOutput() == 0);
    }

    @Test
    void byteBufferOperationsAreForStreams() throws Exception {
        AsyncIoState udp = collection.openUdp(UdpOptions.builder().localAddress("127.0.0.1").build());
        assertThatThrownBy(() -> udp.writeBuffer(ByteBuffer.allocate(1), null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("sendMessage");
        assertThatThrownBy(() -> udp.readAvailable(ByteBuffer.allocate(1), new BRecorder(false)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("receiveMessage");
        udp.close();
        Connection c = connect();
        c.state().close();
        assertThatThrownBy(() -> c.state().writeBuffer(ByteBuffer.allocate(1), null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    // ------------------------------------------------------------------ the pool, and an echo without copies

    @Test
    void thePoolIsBoundedAndRefusesStrangersAndDoubleReleases() {
        WaitStateCollection small = track(WaitStateCollection.builder("pool").bufferPool(1024, 2).create());
        BufferPool pool = small.bufferPool();
        ByteBuffer a = pool.acquire();
        ByteBuffer b = pool.acquire();
        ByteBuffer d = pool.acquire();
        assertThat(a.isDirect()).isTrue();
        assertThat(a.capacity()).isEqualTo(1024);
        pool.release(a);
        pool.release(b);
        pool.release(d); // beyond the bound: dropped
        assertThat(pool.pooled()).isEqualTo(2);
        assertThatThrownBy(() -> pool.release(b)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("twice");
        assertThatThrownBy(() -> pool.release(ByteBuffer.allocate(1024))).isInstanceOf(IllegalArgumentException.class);
        ByteBuffer again = pool.acquire();
        assertThat(again == a || again == b).isTrue();
        assertThat(pool.allocated()).isEqualTo(3);
    }

    @Test
    void readPooledTakesABufferOnlyOnceBytesAreThereAndNoneOnEof() throws Exception {
        WaitStateCollection own = track(WaitStateCollection.builder("pooled").bufferPool(4096, 8).createAndRun());
        Connection a = connect(own, StateOptions.DEFAULTS, 0);
        Connection b = connect(own, StateOptions.DEFAULTS, 0);
        BRecorder readA = new BRecorder(false);
        BRecorder readB = new BRecorder(false);
        a.state().readPooled(readA);
        b.state().readPooled(readB);
        onLoop(own, () -> null);
        assertThat(own.bufferPool().allocated()).as("idle reads hold no buffer").isZero();
        a.peer().send("ping");
        BCall call = readA.next();
        assertThat(call.count()).isEqualTo(4);
        assertThat(call.bytes()).isEqualTo("ping");
        assertThat(call.buffer().isDirect()).isTrue();
        assertThat(call.buffer().capacity()).isEqualTo(4096);
        assertThat(own.bufferPool().allocated()).isEqualTo(1);
        own.bufferPool().release(call.buffer());
        b.peer().shutdownOutput();
        BCall eof = readB.next();
        assertThat(eof.readStatus()).isEqualTo(IoStatus.EOF);
        assertThat(eof.buffer()).isNull();
        assertThat(eof.count()).isZero();
        assertThat(own.bufferPool().pooled()).isEqualTo(1);
    }

    @Test
    void anEchoThroughReadPooledKeepsThePoolFlat() throws Exception {
        Connection c = connect(StateOptions.builder().queueOutput(true).build());
        ByteBufferCallback[] read = new ByteBufferCallback[1];
        ByteBufferCallback written = (s, b, n) -> {
            s.collection().bufferPool().release(b);
            s.readPooled(read[0]);
        };
        read[0] = (s, b, n) -> {
            if (b == null) {
                s.closeGracefully(null, null);
                return;
            }
            s.writeBuffer(b.flip(), written);
        };
        c.state().readPooled(read[0]);
        Random random = new Random(5);
        for (int i = 0; i < 200; i++) {
            byte[] msg = new byte[1 + random.nextInt(3000)];
            random.nextBytes(msg);
            c.peer().send(msg);
            assertThat(c.peer().readExactly(msg.length)).isEqualTo(msg);
        }
        assertThat(collection.bufferPool().allocated()).isLessThanOrEqualTo(2);
        c.peer().shutdownOutput();
        assertThat(c.peer().seesEof()).isTrue();
    }

    @Test
    void anEchoThroughPooledDirectBuffersAllocatesNoFurtherBuffers() throws Exception {
        Connection c = connect(StateOptions.builder().queueOutput(true).build());
        BufferPool pool = collection.bufferPool();
        dev.asyncio.core.testing.PooledBufferEcho.read(c.state());
        Random random = new Random(3);
        for (int i = 0; i < 200; i++) {
            byte[] msg = new byte[1 + random.nextInt(3000)];
            random.nextBytes(msg);
            c.peer().send(msg);
            assertThat(c.peer().readExactly(msg.length)).isEqualTo(msg);
        }
        assertThat(pool.allocated()).isLessThanOrEqualTo(2);
    }

    @Test
    void writeBuffersRefusesTheSameBufferTwiceAndTakesADuplicate() throws Exception {
        Connection c = connect(StateOptions.builder().queueOutput(true).build());
        ByteBuffer b = ByteBuffer.allocateDirect(4).put(bytes("abcd")).flip();
        assertThatThrownBy(() -> c.state().writeBuffers(new ByteBuffer[] {b, ByteBuffer.allocate(1), b}, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("same buffer at 0 and 2")
                .hasMessageContaining("duplicate()");
        ByteBuffer[] many = new ByteBuffer[20];
        for (int i = 0; i < many.length; i++) {
            many[i] = ByteBuffer.allocate(1);
        }
        many[19] = many[3];
        assertThatThrownBy(() -> c.state().writeBuffers(many, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("same buffer at 3 and 19");
        assertThat(c.state().queuedOutput()).as("nothing was queued").isZero();

        BRecorder done = new BRecorder(false);
        c.state().writeBuffers(new ByteBuffer[] {b, b.duplicate()}, (s, bufs, n) -> done.call(s, null, (int) n));
        assertThat(c.peer().readString(8)).isEqualTo("abcdabcd");
        assertThat(done.next().count()).isEqualTo(8);
    }
}
