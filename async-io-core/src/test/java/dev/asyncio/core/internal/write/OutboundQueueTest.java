package dev.asyncio.core.internal.write;

import dev.asyncio.core.IoStatus;
import dev.asyncio.core.OutputLimitExceededException;
import dev.asyncio.core.StateOptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The outbound queue on its own, with a sink that takes a fixed number of bytes per write: water marks, partial
 * gathering writes, completion order, failure of everything queued, the claim rules.
 */
class OutboundQueueTest {

    /** Records what the queue tells its state. */
    private static final class Recorder implements OutboundQueue.Listener {
        final List<String> events = new ArrayList<>();
        int writabilityChanges;
        int written;
        OutboundQueue queue;
        Runnable onFirstCompletion;

        @Override
        public void writabilityChanged() {
            writabilityChanges++;
            events.add("writable=" + queue.isWritable());
        }

        @Override
        public void written(int bytes) {
            written += bytes;
        }

        @Override
        public void flushEnded(boolean pending) {
            events.add("flushEnded pending=" + pending);
        }

        @Override
        public void completed(WriteOp op, IoStatus status, Throwable cause) {
            events.add(new String(op.buf, op.start, op.end - op.start, StandardCharsets.US_ASCII) + ":" + status
                    + ":" + (op.pos - op.start));
            if (onFirstCompletion != null) {
                Runnable r = onFirstCompletion;
                onFirstCompletion = null;
                r.run();
            }
        }
    }

    /** Takes at most {@code perCall} bytes per write and keeps them. */
    private static final class SlowSink implements OutboundQueue.ByteSink {
        final StringBuilder received = new StringBuilder();
        int perCall;
        int calls;

        SlowSink(int perCall) {
            this.perCall = perCall;
        }

        @Override
        public int write(ByteBuffer src) {
            calls++;
            int n = Math.min(perCall, src.remaining());
            for (int i = 0; i < n; i++) {
                received.append((char) src.get());
            }
            return n;
        }
    }

    private static WriteOp op(String text) {
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        return new WriteOp(b, 0, b.length, null, null);
    }

    private static OutboundQueue queue(Recorder r, StateOptions options, boolean queueOutput) {
        OutboundQueue q = new OutboundQueue(options, queueOutput, r, "test-state");
        r.queue = q;
        return q;
    }

    private static void enqueue(OutboundQueue q, WriteOp op) {
        q.claim("writeBuffer", op.end - op.start);
        q.enqueue(op);
    }

    @Test
    void gathersQueuedWritesIntoOneSystemCallAndCompletesThemInOrder() {
        Recorder r = new Recorder();
        OutboundQueue q = queue(r, StateOptions.DEFAULTS, true);
        enqueue(q, op("aaa"));
        enqueue(q, op("bb"));
        enqueue(q, op("c"));
        SlowSink sink = new SlowSink(1000);

        assertThat(q.flush(sink, ByteBuffer.allocateDirect(64))).isNull();

        assertThat(sink.calls).isEqualTo(1);
        assertThat(sink.received.toString()).isEqualTo("aaabbc");
        assertThat(r.events).containsExactly("flushEnded pending=false", "aaa:OK:3", "bb:OK:2", "c:OK:1");
        assertThat(q.isEmpty()).isTrue();
        assertThat(q.queuedBytes()).isZero();
        assertThat(r.written).isEqualTo(6);
    }

    @Test
    void aPartialWriteKeepsTheRestQueuedAndCompletesOnlyWhatWentOut() {
        Recorder r = new Recorder();
        OutboundQueue q = queue(r, StateOptions.DEFAULTS, true);
        enqueue(q, op("aaaa"));
        enqueue(q, op("bbbb"));
        SlowSink sink = new SlowSink(5);

        q.flush(sink, ByteBuffer.allocateDirect(64));

        assertThat(r.events).containsExactly("flushEnded pending=true", "aaaa:OK:4");
        assertThat(q.head().pos - q.head().start).isEqualTo(1);
        assertThat(q.queuedBytes()).isEqualTo(3);

        r.events.clear();
        q.flush(sink, ByteBuffer.allocateDirect(64));
        assertThat(sink.received.toString()).isEqualTo("aaaabbbb");
        assertThat(r.events).containsExactly("flushEnded pending=false", "bbbb:OK:4");
    }

    @Test
    void aWriteLargerThanTheDirectBufferGoesOutInRounds() {
        Recorder r = new Recorder();
        OutboundQueue q = queue(r, StateOptions.DEFAULTS, true);
        String big = "x".repeat(100);
        enqueue(q, op(big));
        SlowSink sink = new SlowSink(1000);

        q.flush(sink, ByteBuffer.allocateDirect(16));

        assertThat(sink.received.toString()).isEqualTo(big);
        assertThat(sink.calls).isEqualTo(7);
        assertThat(r.events).containsExactly("flushEnded pending=false", big + ":OK:100");
    }

    @Test
    void emptyWritesCompleteWhenTheyReachTheHead() {
        Recorder r = new Recorder();
        OutboundQueue q = queue(r, StateOptions.DEFAULTS, true);
        enqueue(q, op(""));
        enqueue(q, op("a"));
        enqueue(q, op(""));

        q.flush(new SlowSink(100), ByteBuffer.allocateDirect(16));

        assertThat(r.events).containsExactly("flushEnded pending=false", ":OK:0", "a:OK:1", ":OK:0");
    }

    @Test
    void writabilityFlipsAtTheHighMarkAndBackAtTheLowMarkOnce() {
        Recorder r = new Recorder();
        StateOptions options = StateOptions.builder().writeWaterMarks(4, 8).build();
        OutboundQueue q = queue(r, options, true);
        enqueue(q, op("aaaa"));
        assertThat(q.isWritable()).isTrue();
        enqueue(q, op("bbbb"));
        assertThat(q.isWritable()).isFalse();
        enqueue(q, op("cc"));
        assertThat(r.writabilityChanges).isEqualTo(1);

        SlowSink sink = new SlowSink(5);
        q.flush(sink, ByteBuffer.allocateDirect(64));
        assertThat(q.queuedBytes()).isEqualTo(5);
        assertThat(q.isWritable()).isFalse();

        q.flush(sink, ByteBuffer.allocateDirect(64));
        assertThat(q.queuedBytes()).isZero();
        assertThat(q.isWritable()).isTrue();
        assertThat(r.writabilityChanges).isEqualTo(2);
        assertThat(r.events).filteredOn(e -> e.startsWith("writable")).containsExactly("writable=false",
                "writable=true");
    }

    @Test
    void aFailedFlushLeavesTheWritesQueuedAndFailAllEndsThemInOrderBeforeAnyCallbackCanWriteAgain() {
        Recorder r = new Recorder();
        OutboundQueue q = queue(r, StateOptions.DEFAULTS, true);
        enqueue(q, op("one"));
        enqueue(q, op("two"));
        IOException broken = new IOException("broken pipe");

        IOException failure = q.flush(src -> {
            throw broken;
        }, ByteBuffer.allocateDirect(64));

        assertThat(failure).isSameAs(broken);
        assertThat(q.isEmpty()).isFalse();
        assertThat(r.events).isEmpty();

        List<Boolean> emptyInFirstCallback = new ArrayList<>();
        r.onFirstCompletion = () -> {
            emptyInFirstCallback.add(q.isEmpty());
            enqueue(q, op("fresh"));
        };
        q.failAll(IoStatus.ERROR, broken);

        assertThat(emptyInFirstCallback).containsExactly(true);
        assertThat(r.events).containsExactly("one:ERROR:0", "two:ERROR:0");
        assertThat(q.head()).isNotNull();
        assertThat(q.queuedBytes()).isEqualTo(5);
    }

    @Test
    void withoutQueueOutputASecondWriteIsRefusedUntilTheFirstCompletes() {
        Recorder r = new Recorder();
        OutboundQueue q = queue(r, StateOptions.DEFAULTS, false);
        WriteOp first = op("a");
        q.claim("writeBuffer", 1);
        q.enqueue(first);

        assertThatThrownBy(() -> q.claim("writeBuffer", 1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("test-state").hasMessageContaining("one write at a time");

        q.flush(new SlowSink(10), ByteBuffer.allocateDirect(16));
        q.claim("writeBuffer", 1);
        assertThat(q.isWriting()).isTrue();
    }

    @Test
    void theQueuedOutputLimitThrowsAClearException() {
        Recorder r = new Recorder();
        OutboundQueue q = queue(r, StateOptions.builder().writeWaterMarks(2, 4).maxQueuedOutput(6).build(), true);
        enqueue(q, op("123456"));

        assertThatThrownBy(() -> q.claim("writeBuffer", 1)).isInstanceOf(OutputLimitExceededException.class)
                .hasMessageContaining("maxQueuedOutput limit is 6");
    }

    @Test
    void dropForgetsEverythingWithoutCallbacksAndRecyclesTheWrites() {
        Recorder r = new Recorder();
        OutboundQueue q = queue(r, StateOptions.DEFAULTS, false);
        q.claim("writeBuffer", 3);
        q.enqueue(op("abc"));
        WriteOpPool pool = new WriteOpPool();

        q.drop(pool);

        assertThat(r.events).isEmpty();
        assertThat(q.isEmpty()).isTrue();
        assertThat(q.isWriting()).isFalse();
        assertThat(pool.size()).isEqualTo(1);
        WriteOp reused = pool.take(new byte[2], 0, 2, null, null);
        assertThat(reused.buf).hasSize(2);
        assertThat(reused.target).isNull();
    }
}
