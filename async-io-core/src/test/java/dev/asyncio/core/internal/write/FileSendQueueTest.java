package dev.asyncio.core.internal.write;

import dev.asyncio.core.IoStatus;
import dev.asyncio.core.OutputLimitExceededException;
import dev.asyncio.core.StateOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * File sends in the outbound queue, with a sink that pretends to send files in the kernel: a send past 2 GiB goes
 * out in windows of {@link WriteOp#FILE_WINDOW} with one completion carrying the whole count, and a file's bytes
 * count for the water marks but not for {@code maxQueuedOutput} (they are not in memory), exactly, through partial
 * sends, failures and drops.
 */
class FileSendQueueTest {

    private static final long GIB = 1L << 30;

    @TempDir
    Path dir;
    private FileChannel file;

    /** Takes at most {@code perCall} bytes of a file per call and records where each call started. */
    private static final class FileSink implements OutboundQueue.ByteSink {
        final List<long[]> transfers = new ArrayList<>();
        long perCall;
        long bytes;

        FileSink(long perCall) {
            this.perCall = perCall;
        }

        @Override
        public int write(ByteBuffer src) {
            int n = src.remaining();
            src.position(src.limit());
            bytes += n;
            return n;
        }

        @Override
        public boolean transfersFiles() {
            return true;
        }

        @Override
        public long transferFrom(FileChannel f, long position, long count) {
            long n = Math.min(count, perCall);
            transfers.add(new long[] {position, count, n});
            bytes += n;
            return n;
        }
    }

    /** Records completions with the count the state's callback would get. */
    private static final class Completions implements OutboundQueue.Listener {
        final List<String> events = new ArrayList<>();

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
            events.add((op.file != null ? "file" : "bytes") + ":" + status + ":" + op.written());
        }
    }

    @BeforeEach
    void openFile() throws IOException {
        // The sink never reads it: any open channel stands for the file.
        file = FileChannel.open(Files.createFile(dir.resolve("stand-in")));
    }

    @AfterEach
    void closeFile() throws IOException {
        file.close();
    }

    private WriteOp fileOp(long position, long count) {
        WriteOp op = new WriteOp(null, 0, 0, null, null);
        op.file = file;
        op.filePosition = position;
        op.direct = true;
        op.firstFileWindow(count);
        return op;
    }

    private static WriteOp bytesOp(int n) {
        return new WriteOp(new byte[n], 0, n, null, null);
    }

    @Test
    void aSendPastTwoGibGoesOutInWindowsFromContiguousPositionsWithOneCompletion() {
        Completions c = new Completions();
        OutboundQueue q = new OutboundQueue(StateOptions.DEFAULTS, true, c, "test-state");
        long count = 5 * GIB + 123;
        q.claimFile("sendFile", count);
        q.enqueue(fileOp(7, count));
        FileSink sink = new FileSink(3 * GIB);

        for (int i = 0; i < 10 && !q.isEmpty(); i++) {
            assertThat(q.flush(sink, ByteBuffer.allocateDirect(64))).isNull();
        }

        assertThat(q.isEmpty()).isTrue();
        assertThat(q.queuedBytes()).isZero();
        assertThat(sink.bytes).isEqualTo(count);
        assertThat(c.events).containsExactly("file:OK:" + count);
        long expected = 7;
        for (long[] t : sink.transfers) {
            assertThat(t[0]).as("each window starts where the last ended").isEqualTo(expected);
            assertThat(t[1]).isLessThanOrEqualTo(WriteOp.FILE_WINDOW);
            expected += t[2];
        }
        assertThat(sink.transfers).hasSize(6);
    }

    @Test
    void aFileCountsForTheWaterMarksButNotForMaxQueuedOutput() {
        Completions c = new Completions();
        StateOptions limits = StateOptions.builder().maxQueuedOutput(100).writeWaterMarks(10, 20).build();
        OutboundQueue q = new OutboundQueue(limits, true, c, "test-state");
        q.claimFile("sendFile", 3 * GIB);
        q.enqueue(fileOp(0, 3 * GIB));
        assertThat(q.isWritable()).as("a large file on its way makes the state unwritable").isFalse();

        q.claim("writeBuffer", 60);
        q.enqueue(bytesOp(60));
        q.claim("writeBuffer", 50);
        q.enqueue(bytesOp(50));
        assertThatThrownBy(() -> q.claim("writeBuffer", 1)).isInstanceOf(OutputLimitExceededException.class)
                .hasMessageContaining("110 bytes are queued").hasMessageContaining("maxQueuedOutput limit is 100");
        assertThat(q.queuedBytes()).isEqualTo(3 * GIB + 110);

        // Half a window out: the in-memory bytes behind the file are still exactly 110.
        FileSink sink = new FileSink(GIB / 2);
        q.flush(sink, ByteBuffer.allocateDirect(64));
        assertThat(q.queuedBytes()).isEqualTo(3 * GIB - GIB / 2 + 110);
        assertThatThrownBy(() -> q.claim("writeBuffer", 1)).hasMessageContaining("110 bytes are queued");

        sink.perCall = Long.MAX_VALUE;
        for (int i = 0; i < 10 && !q.isEmpty(); i++) {
            q.flush(sink, ByteBuffer.allocateDirect(256));
        }
        assertThat(c.events).containsExactly("file:OK:" + 3 * GIB, "bytes:OK:60", "bytes:OK:50");
        assertThat(q.isWritable()).isTrue();
        q.claim("writeBuffer", 99);
    }

    @Test
    void failingAPartlySentFileReportsWhatWentOutAndUncountsTheRest() {
        Completions c = new Completions();
        StateOptions limits = StateOptions.builder().maxQueuedOutput(100).build();
        OutboundQueue q = new OutboundQueue(limits, true, c, "test-state");
        q.claimFile("sendFile", 3 * GIB);
        q.enqueue(fileOp(0, 3 * GIB));
        FileSink sink = new FileSink(GIB / 2);
        q.flush(sink, ByteBuffer.allocateDirect(64));
        q.flush(sink, ByteBuffer.allocateDirect(64));

        q.failAll(IoStatus.ERROR, new IOException("reset"));

        assertThat(c.events).containsExactly("file:ERROR:" + (GIB + GIB / 2));
        assertThat(q.queuedBytes()).isZero();
        q.claim("writeBuffer", 100);
        q.enqueue(bytesOp(100));
        assertThatThrownBy(() -> q.claim("writeBuffer", 1)).hasMessageContaining("100 bytes are queued");
    }

    @Test
    void droppingAPartlySentFileUncountsItExactly() {
        Completions c = new Completions();
        StateOptions limits = StateOptions.builder().maxQueuedOutput(100).build();
        OutboundQueue q = new OutboundQueue(limits, true, c, "test-state");
        q.claimFile("sendFile", 3 * GIB);
        q.enqueue(fileOp(0, 3 * GIB));
        q.flush(new FileSink(GIB / 4), ByteBuffer.allocateDirect(64));

        q.drop(new WriteOpPool());

        assertThat(c.events).as("a dropped write never calls back").isEmpty();
        assertThat(q.queuedBytes()).isZero();
        q.claim("writeBuffer", 100);
        q.enqueue(bytesOp(100));
        assertThatThrownBy(() -> q.claim("writeBuffer", 1)).hasMessageContaining("100 bytes are queued");
    }
}
