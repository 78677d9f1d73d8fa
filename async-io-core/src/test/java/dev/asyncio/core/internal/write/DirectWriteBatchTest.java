package dev.asyncio.core.internal.write;

import dev.asyncio.core.IoStatus;
import dev.asyncio.core.StateOptions;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Direct single-buffer writes queued in a row leave in one gathering write, uncopied; partial writes are accounted
 * across the batch, and a byte[] write after them is gathered through the loop's buffer as before.
 */
class DirectWriteBatchTest {

    /** Takes at most {@code perCall} bytes per call; counts gathering calls. */
    private static final class CappedSink implements OutboundQueue.ByteSink {
        final StringBuilder received = new StringBuilder();
        final List<Integer> gatheringCalls = new ArrayList<>();
        int perCall;

        CappedSink(int perCall) {
            this.perCall = perCall;
        }

        @Override
        public int write(ByteBuffer src) {
            int n = Math.min(perCall, src.remaining());
            for (int i = 0; i < n; i++) {
                received.append((char) src.get());
            }
            return n;
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) {
            gatheringCalls.add(length);
            int budget = perCall;
            long total = 0;
            for (int i = offset; i < offset + length && budget > 0; i++) {
                int n = Math.min(budget, srcs[i].remaining());
                for (int k = 0; k < n; k++) {
                    received.append((char) srcs[i].get());
                }
                budget -= n;
                total += n;
            }
            return total;
        }
    }

    private static WriteOp direct(String text) {
        ByteBuffer b = ByteBuffer.allocateDirect(text.length()).put(text.getBytes(StandardCharsets.US_ASCII)).flip();
        WriteOp op = new WriteOp(null, 0, 0, null, null);
        op.one = b;
        op.direct = true;
        op.start = 0;
        op.pos = 0;
        op.end = text.length();
        return op;
    }

    @Test
    void consecutiveDirectWritesLeaveInOneGatheringCallAndCompleteInOrder() throws Exception {
        List<String> completed = new ArrayList<>();
        OutboundQueue q = new OutboundQueue(StateOptions.builder().queueOutput(true).build(), true,
                new OutboundQueue.Listener() {
                    @Override
                    public void writabilityChanged() {
                    }

                    @Override
                    public void written(int bytes) {
                    }

                    @Override
                    public void flushEnded(boolean pending) {
                        completed.add("ended pending=" + pending);
                    }

                    @Override
                    public void completed(WriteOp op, IoStatus status, Throwable cause) {
                        completed.add((op.one != null ? "direct" : "bytes") + ":" + (op.pos - op.start));
                    }
                }, "state");
        CappedSink sink = new CappedSink(7);
        String[] parts = {"aaaa", "bbbb", "cccc"};
        for (String p : parts) {
            q.claim("writeBuffer", p.length());
            q.enqueue(direct(p));
        }
        byte[] tail = "TAIL".getBytes(StandardCharsets.US_ASCII);
        q.claim("writeBuffer", tail.length);
        q.enqueue(new WriteOp(tail, 0, tail.length, null, null));
        ByteBuffer loopBuffer = ByteBuffer.allocateDirect(1024);

        assertThat(q.flush(sink, loopBuffer)).isNull();
        // 7 bytes: "aaaa" whole and 3 of "bbbb"; the batch held all three direct buffers.
        assertThat(sink.gatheringCalls).containsExactly(3);
        assertThat(completed).containsExactly("ended pending=true", "direct:4");
        completed.clear();

        sink.perCall = 100;
        assertThat(q.flush(sink, loopBuffer)).isNull();
        assertThat(sink.received.toString()).isEqualTo("aaaabbbbccccTAIL");
        assertThat(completed).containsExactly("ended pending=false", "direct:4", "direct:4", "bytes:4");
        assertThat(q.queuedBytes()).isZero();
    }

    private static WriteOp gathering(String... texts) {
        ByteBuffer[] bs = new ByteBuffer[texts.length];
        int total = 0;
        for (int i = 0; i < texts.length; i++) {
            bs[i] = ByteBuffer.wrap(texts[i].getBytes(StandardCharsets.US_ASCII));
            total += texts[i].length();
        }
        WriteOp op = new WriteOp(null, 0, 0, null, null);
        op.many = bs;
        op.direct = true;
        op.start = 0;
        op.pos = 0;
        op.end = total;
        return op;
    }

    @Test
    void gatheringWritesInARowShareOneSystemCallWithDirectOnes() throws Exception {
        List<String> completed = new ArrayList<>();
        OutboundQueue q = new OutboundQueue(StateOptions.builder().queueOutput(true).build(), true,
                new OutboundQueue.Listener() {
                    @Override
                    public void writabilityChanged() {
                    }

                    @Override
                    public void written(int bytes) {
                    }

                    @Override
                    public void flushEnded(boolean pending) {
                    }

                    @Override
                    public void completed(WriteOp op, IoStatus status, Throwable cause) {
                        completed.add((op.many != null ? "many" : "direct") + ":" + (op.pos - op.start));
                    }
                }, "state");
        // Framed writes: a header and a payload each, as FrameWriter queues them; then a plain direct buffer.
        WriteOp[] ops = {gathering("H1", "payload1"), gathering("H2", "payload2"), direct("tail")};
        for (WriteOp op : ops) {
            q.claim("writeBuffers", op.end);
            q.enqueue(op);
        }
        CappedSink sink = new CappedSink(13);
        ByteBuffer loopBuffer = ByteBuffer.allocateDirect(1024);

        assertThat(q.flush(sink, loopBuffer)).isNull();
        // One call took 13 bytes: the first frame whole and 3 bytes of the second.
        assertThat(sink.gatheringCalls).containsExactly(5);
        assertThat(completed).containsExactly("many:10");

        sink.perCall = 100;
        assertThat(q.flush(sink, loopBuffer)).isNull();
        assertThat(sink.received.toString()).isEqualTo("H1payload1H2payload2tail");
        assertThat(completed).containsExactly("many:10", "many:10", "direct:4");
        assertThat(q.queuedBytes()).isZero();
    }
}
