package dev.asyncio.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * {@link FrameReader} and {@link FrameWriter} on real loopback sockets: a framed echo through an accepting handle,
 * frames written a byte at a time and at once, the ends of a read (clean EOF, EOF inside a frame, too long under
 * both policies), stop and resume, the copying form, the memory budget, and misuse.
 */
class FrameReaderTest extends LoopTestSupport {

    /** How a reader ended. */
    record End(IoStatus status, Throwable failure) {
    }

    private static byte[] frame4(byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload);
        return b.array();
    }

    private static byte[] payload(int n) {
        byte[] p = new byte[n];
        for (int i = 0; i < n; i++) {
            p[i] = (byte) (i * 31);
        }
        return p;
    }

    private static String str(ByteBuffer frame) {
        return new String(copy(frame), java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static byte[] copy(ByteBuffer frame) {
        byte[] b = new byte[frame.remaining()];
        frame.get(b);
        return b;
    }

    @Test
    void aFramedEchoThroughAnAcceptingHandleAnswersEveryFrameWhateverTheWrites() throws Exception {
        Framing framing = Framing.lengthPrefix(4).toBuilder().maxFrameSize(100_000).build();
        FrameWriter writer = new FrameWriter(framing);
        List<String> threads = new CopyOnWriteArrayList<>();
        AcceptingHandle handle = collection.acceptTcpConnections(0, (h, state) ->
                        FrameReader.start(state, framing, (s, frame) -> {
                            threads.add(Thread.currentThread().getName());
                            writer.write(s, copy(frame), null);
                        }, (s, status, failure) -> s.close()),
                AcceptOptions.builder().queueOutput(true).build());
        track(handle::close);
        int[] sizes = {0, 1, 64, 100_000, 3};
        try (Socket client = new Socket(LOOPBACK, handle.localPort())) {
            client.setTcpNoDelay(true);
            OutputStream out = client.getOutputStream();
            DataInputStream in = new DataInputStream(client.getInputStream());
            for (int n : sizes) {
                byte[] f = frame4(payload(n));
                if (n < 100) {
                    for (byte b : f) {
                        out.write(b);
                        out.flush();
                    }
                } else {
                    out.write(f);
                }
                assertThat(in.readInt()).isEqualTo(n);
                byte[] back = new byte[n];
                in.readFully(back);
                assertThat(back).isEqualTo(payload(n));
            }
            // Many frames in one write: each answered, in order.
            java.io.ByteArrayOutputStream burst = new java.io.ByteArrayOutputStream();
            for (int i = 0; i < 50; i++) {
                burst.writeBytes(frame4(payload(i)));
            }
            out.write(burst.toByteArray());
            for (int i = 0; i < 50; i++) {
                assertThat(in.readInt()).isEqualTo(i);
                byte[] back = new byte[i];
                in.readFully(back);
                assertThat(back).isEqualTo(payload(i));
            }
        }
        assertThat(threads).isNotEmpty().allMatch(loopThreadName()::equals);
    }

    @Test
    void aCleanEofBetweenFramesEndsWithEofAndInsideAFrameWithTheTruncatedSize() throws Exception {
        Connection clean = connect();
        CompletableFuture<End> cleanEnd = new CompletableFuture<>();
        LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        FrameReader.start(clean.state(), Framing.crlf(), (s, f) -> lines.add(str(f)),
                (s, st, e) -> cleanEnd.complete(new End(st, e)));
        clean.peer().send("one\r\ntwo\r\n");
        clean.peer().shutdownOutput();
        assertThat(cleanEnd.get(10, TimeUnit.SECONDS)).isEqualTo(new End(IoStatus.EOF, null));
        assertThat(lines).containsExactly("one", "two");

        Connection cut = connect();
        CompletableFuture<End> cutEnd = new CompletableFuture<>();
        FrameReader.start(cut.state(), Framing.crlf(), (s, f) -> { }, (s, st, e) -> cutEnd.complete(new End(st, e)));
        cut.peer().send("one\r\ntw");
        cut.peer().shutdownOutput();
        End end = cutEnd.get(10, TimeUnit.SECONDS);
        assertThat(end.status()).isEqualTo(IoStatus.ERROR);
        assertThat(end.failure()).isInstanceOfSatisfying(FrameException.class, e -> {
            assertThat(e.kind()).isEqualTo(FrameError.TRUNCATED);
            assertThat(e.size()).isEqualTo(2);
        });
        await().until(() -> !cut.state().isOpen());
    }

    @Test
    void aTooLongHeaderClosesTheConnectionWithoutWaitingForTheBody() throws Exception {
        Connection c = connect();
        CompletableFuture<End> ended = new CompletableFuture<>();
        FrameReader.start(c.state(), Framing.lengthPrefix(4).toBuilder().maxFrameSize(1000).build(), (s, f) -> { },
                (s, st, e) -> ended.complete(new End(st, e)));
        c.peer().send(new byte[] {0x16, 0x03, 0x01, 0x00}); // a TLS record header: ~369 MB "announced"
        End end = ended.get(10, TimeUnit.SECONDS);
        assertThat(end.failure()).isInstanceOfSatisfying(FrameException.class,
                e -> assertThat(e.kind()).isEqualTo(FrameError.TOO_LONG));
        assertThat(c.peer().seesEof()).as("the peer is disconnected").isTrue();
        assertThat(c.state().isOpen()).isFalse();
    }

    @Test
    void discardSkipsAnOversizedFrameCountsItAndReadsOn() throws Exception {
        Connection c = connect();
        Framing framing = Framing.lengthPrefix(2).toBuilder().maxFrameSize(10)
                .errorPolicy(FrameErrorPolicy.DISCARD).maxSkip(10_000).build();
        LinkedBlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();
        FrameReader reader = FrameReader.start(c.state(), framing, (s, f) -> frames.add(copy(f)), null);
        ByteBuffer stream = ByteBuffer.allocate(2 + 5000 + 2 + 2);
        stream.putShort((short) 5000).put(new byte[5000]).putShort((short) 2).put(bytes("ok"));
        c.peer().send(stream.array());
        assertThat(frames.poll(10, TimeUnit.SECONDS)).isEqualTo(bytes("ok"));
        assertThat(reader.framesDiscarded()).isEqualTo(1);
        assertThat(reader.framesRead()).isEqualTo(1);
        assertThat(c.state().isOpen()).isTrue();
    }

    @Test
    void stopHoldsFramesBackUntilResume() throws Exception {
        Connection c = connect();
        LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        FrameReader[] reader = new FrameReader[1];
        reader[0] = FrameReader.start(c.state(), Framing.lf(), (s, f) -> {
            String line = str(f);
            lines.add(line);
            if (line.equals("stop")) {
                reader[0].stop();
            }
        }, null);
        c.peer().send("a\nstop\nb\nc\n");
        assertThat(lines.poll(10, TimeUnit.SECONDS)).isEqualTo("a");
        assertThat(lines.poll(10, TimeUnit.SECONDS)).isEqualTo("stop");
        await().until(() -> !c.state().isReading());
        assertThat(reader[0].isReading()).isFalse();
        assertThat(lines).as("nothing after stop").isEmpty();
        assertThat(c.state().bufferedDataLength()).as("the rest stays buffered").isEqualTo(4);
        reader[0].resume();
        assertThat(lines.poll(10, TimeUnit.SECONDS)).isEqualTo("b");
        assertThat(lines.poll(10, TimeUnit.SECONDS)).isEqualTo("c");
        c.peer().send("d\n");
        assertThat(lines.poll(10, TimeUnit.SECONDS)).isEqualTo("d");
    }

    @Test
    void theCopyingFormHandsOverArraysTheCallbackMayKeep() throws Exception {
        Connection c = connect();
        LinkedBlockingQueue<byte[]> kept = new LinkedBlockingQueue<>();
        FrameReader.startCopying(c.state(), Framing.stxEtx(), (s, frame, n) -> {
            assertThat(n).isEqualTo(frame.length);
            kept.add(frame);
        }, null);
        c.peer().send("\u0002first\u0003\u0002second\u0003");
        assertThat(text(kept.poll(10, TimeUnit.SECONDS), 0, 5)).isEqualTo("first");
        assertThat(new String(kept.poll(10, TimeUnit.SECONDS), java.nio.charset.StandardCharsets.ISO_8859_1))
                .isEqualTo("second");
    }

    @Test
    void aPartialFrameIsHeldInTheStatesBufferAndChargedToTheMemoryBudget() throws Exception {
        MemoryBudget budget = MemoryBudget.ofBytes("framing", 64L << 20);
        WaitStateCollection c = track(WaitStateCollection.builder(collectionName + "-budget").memoryBudget(budget)
                .daemon(true).createAndRun());
        Connection conn = connect(c, StateOptions.DEFAULTS, 0);
        FrameReader.start(conn.state(), Framing.lengthPrefix(4).toBuilder().maxFrameSize(1 << 20).build(),
                (s, f) -> { }, null);
        long before = budget.used();
        ByteBuffer partial = ByteBuffer.allocate(4 + 200_000).putInt(500_000);
        conn.peer().send(partial.array());
        await().until(() -> budget.used() - before >= 200_000);
    }

    @Test
    void misuseIsRefusedNamingTheRule() throws Exception {
        Connection c = connect(StateOptions.builder().queueOutput(true).build());
        FrameReader.start(c.state(), Framing.lf(), (s, f) -> { }, null);
        assertThatThrownBy(() -> FrameReader.start(c.state(), Framing.lf(), (s, f) -> { }, null))
                .isInstanceOf(IllegalStateException.class);
        FrameWriter lf = new FrameWriter(Framing.lf());
        assertThatThrownBy(() -> lf.write(c.state(), bytes("a\nb"), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("delimiter");
        assertThatThrownBy(() -> new FrameWriter(Framing.lengthPrefix(2).toBuilder().initialBytesToStrip(0).build()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("initialBytesToStrip");
        assertThatThrownBy(() -> Framing.lengthPrefix(5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lengthFieldLength");
        assertThatThrownBy(() -> Framing.lf().toBuilder().maxFrameSize(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxFrameSize");
        lf.write(c.state(), bytes("fine"), null);
        assertThat(c.peer().readString(5)).isEqualTo("fine\n");
    }

    @Test
    void aFrameViewIsReadOnlyAndCannotBeWritten() throws Exception {
        Connection c = connect(StateOptions.builder().queueOutput(true).build());
        CompletableFuture<Throwable> refused = new CompletableFuture<>();
        CompletableFuture<Boolean> readOnly = new CompletableFuture<>();
        FrameReader.start(c.state(), Framing.fixed(3), (s, f) -> {
            readOnly.complete(f.isReadOnly());
            try {
                s.writeBuffer(f, null);
                refused.complete(null);
            } catch (RuntimeException e) {
                refused.complete(e);
            }
        }, null);
        c.peer().send("abc");
        assertThat(readOnly.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(refused.get(10, TimeUnit.SECONDS)).isInstanceOf(IllegalArgumentException.class);
    }


    @Test
    void aReadTimeoutEndsTheReaderWithTimeoutAndLeavesTheStateOpen() throws Exception {
        Connection c = connect();
        CompletableFuture<End> ended = new CompletableFuture<>();
        LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        FrameReader reader = FrameReader.start(c.state(), Framing.lf(), (s, f) -> lines.add(str(f)),
                (s, st, e) -> ended.complete(new End(st, e)),
                OperationOptions.builder().timeout(java.time.Duration.ofMillis(200)).build());
        c.peer().send("a\npartial");
        assertThat(lines.poll(10, TimeUnit.SECONDS)).isEqualTo("a");
        assertThat(ended.get(10, TimeUnit.SECONDS)).isEqualTo(new End(IoStatus.TIMEOUT, null));
        assertThat(reader.hasEnded()).isTrue();
        assertThat(c.state().isOpen()).isTrue();
        assertThat(c.state().bufferedDataLength()).as("the partial frame stays buffered").isEqualTo(7);
        assertThatThrownBy(reader::resume).isInstanceOf(IllegalStateException.class).hasMessageContaining("ended");
    }

    @Test
    void aFrameCallbackThatThrowsEndsTheReaderUnderTheCollectionsPolicyAndKeepsEarlierFramesConsumed()
            throws Exception {
        Connection c = connect();
        LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        FrameReader reader = FrameReader.start(c.state(), Framing.lf(), (s, f) -> {
            String line = str(f);
            lines.add(line);
            if (line.equals("boom")) {
                throw new IllegalStateException("test: a failing frame callback");
            }
        }, null);
        c.peer().send("a\nboom\nrest\n");
        assertThat(lines.poll(10, TimeUnit.SECONDS)).isEqualTo("a");
        assertThat(lines.poll(10, TimeUnit.SECONDS)).isEqualTo("boom");
        await().until(() -> !c.state().isReading());
        assertThat(reader.hasEnded()).isTrue();
        assertThat(c.state().bufferedDataLength()).as("only what follows the failing frame is left").isEqualTo(5);
        assertThat(lines).isEmpty();
    }

    @Test
    void aRawFrameIsTheWholeStreamDeliveredAtEofAndConsumed() throws Exception {
        Connection c = connect();
        LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
        CompletableFuture<Integer> leftAtEnd = new CompletableFuture<>();
        FrameReader.start(c.state(), Framing.raw(), (s, f) -> frames.add(str(f)),
                (s, st, e) -> leftAtEnd.complete(st == IoStatus.EOF ? s.bufferedDataLength() : -1));
        c.peer().send("all of ");
        c.peer().send("it");
        c.peer().shutdownOutput();
        assertThat(leftAtEnd.get(10, TimeUnit.SECONDS)).as("EOF, and the frame's bytes consumed").isZero();
        assertThat(frames).containsExactly("all of it");
    }
}
