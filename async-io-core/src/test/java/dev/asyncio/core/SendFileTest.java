package dev.asyncio.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sendFile} on plain TCP: byte for byte, ranges, FIFO with other writes, a short file, the rules. */
class SendFileTest extends LoopTestSupport {

    @TempDir
    Path dir;

    private record Sent(long count, IoStatus status, FileChannel file, String thread) {
    }

    private FileChannel file(byte[] content) throws Exception {
        Path p = dir.resolve("f" + content.length + "-" + System.nanoTime());
        Files.write(p, content);
        return track(FileChannel.open(p, StandardOpenOption.READ));
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void sendsAWholeFileByteForByteAndLeavesTheChannelPositionAlone() throws Exception {
        byte[] content = random(5 * 1024 * 1024 + 333, 1);
        FileChannel f = file(content);
        Connection c = connect();
        LinkedBlockingQueue<Sent> sent = new LinkedBlockingQueue<>();
        c.state().sendFile(f, 0, content.length, (s, file, n) ->
                sent.add(new Sent(n, s.writeStatus(), file, Thread.currentThread().getName())));
        assertThat(c.peer().readExactly(content.length)).isEqualTo(content);
        Sent done = sent.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(done).isNotNull();
        assertThat(done.count()).isEqualTo(content.length);
        assertThat(done.status()).isEqualTo(IoStatus.OK);
        assertThat(done.file()).isSameAs(f);
        assertThat(done.thread()).isEqualTo(loopThreadName());
        assertThat(f.position()).isZero();
        assertThat(f.isOpen()).as("the state never closes the file").isTrue();
        assertThat(c.state().bytesWritten()).isEqualTo(content.length);
    }

    @Test
    void aRangeOfTheFileGoesOutInFifoOrderWithOtherWrites() throws Exception {
        byte[] content = random(200_000, 2);
        FileChannel f = file(content);
        Connection c = connect(StateOptions.builder().queueOutput(true).build());
        LinkedBlockingQueue<String> order = new LinkedBlockingQueue<>();
        c.state().writeBuffer(bytes("head"), (s, b, n) -> order.add("head"));
        c.state().sendFile(f, 1000, 150_000, (s, file, n) -> order.add("file " + n));
        c.state().writeBuffer(java.nio.ByteBuffer.wrap(bytes("tail")), (s, b, n) -> order.add("tail"));
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(bytes("head"));
        expected.write(content, 1000, 150_000);
        expected.write(bytes("tail"));
        assertThat(c.peer().readExactly(expected.size())).isEqualTo(expected.toByteArray());
        assertThat(order.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("head");
        assertThat(order.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("file 150000");
        assertThat(order.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("tail");
    }

    @Test
    void aFileShorterThanTheCountEndsWithAnErrorAndThePartialCount() throws Exception {
        byte[] content = random(10_000, 3);
        FileChannel f = file(content);
        Connection c = connect();
        LinkedBlockingQueue<Sent> sent = new LinkedBlockingQueue<>();
        c.state().sendFile(f, 0, 20_000, (s, file, n) -> sent.add(new Sent(n, s.writeStatus(), file, null)));
        assertThat(c.peer().readExactly(content.length)).isEqualTo(content);
        Sent done = sent.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(done).isNotNull();
        assertThat(done.status()).isEqualTo(IoStatus.ERROR);
        assertThat(done.count()).isEqualTo(content.length);
        assertThat(c.state().writeFailure()).hasMessageContaining("file ended");
    }

    @Test
    void anEmptySendCompletesAndBadArgumentsAreRefused() throws Exception {
        FileChannel f = file(new byte[10]);
        Connection c = connect(StateOptions.builder().name("file-sender").build());
        LinkedBlockingQueue<Long> sent = new LinkedBlockingQueue<>();
        c.state().sendFile(f, 5, 0, (s, file, n) -> sent.add(n));
        assertThat(sent.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isZero();
        assertThatThrownBy(() -> c.state().sendFile(f, -1, 1, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> c.state().sendFile(f, 10, Long.MAX_VALUE, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("position + count");
        assertThatThrownBy(() -> c.state().sendFile(f, 0, -1, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("count >= 0");
        assertThatThrownBy(() -> c.state().sendFile(f, 0, 1, null, OperationOptions.errorCallback((s, b, n) -> { })))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void writesQueueBehindAFileLargerThanMaxQueuedOutputBecauseItsBytesAreNotInMemory() throws Exception {
        byte[] content = random(8 * 1024 * 1024, 5);
        FileChannel f = file(content);
        StateOptions options = StateOptions.builder().name("file-2").queueOutput(true).maxQueuedOutput(64 * 1024)
                .build();
        Connection c = connect(collection, options, 4096);
        LinkedBlockingQueue<String> order = new LinkedBlockingQueue<>();
        c.state().sendFile(f, 0, content.length, (s, file, n) -> order.add("file " + n));
        assertThat(c.state().queuedOutput()).as("the file counts as queued output").isGreaterThan(64 * 1024L);
        assertThat(c.state().isWritable()).as("and keeps the state unwritable while on its way").isFalse();
        c.state().writeBuffer(bytes("trailer"), (s, b, n) -> order.add("trailer"));
        c.state().writeBuffer(new byte[64 * 1024], null);
        assertThatThrownBy(() -> c.state().writeBuffer(bytes("x"), null))
                .as("bytes in memory still stop at maxQueuedOutput").isInstanceOf(OutputLimitExceededException.class)
                .hasMessageContaining("file-2").hasMessageContaining("maxQueuedOutput");
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(content);
        expected.write(bytes("trailer"));
        assertThat(Arrays.equals(c.peer().readExactly(expected.size()), expected.toByteArray())).isTrue();
        assertThat(order.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("file " + content.length);
        assertThat(order.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("trailer");
    }

    @Test
    void aSecondSendWithoutQueueOutputThrowsAndTheFileCountsAsQueuedOutput() throws Exception {
        byte[] content = random(4 * 1024 * 1024, 4);
        FileChannel f = file(content);
        Connection c = connect(collection, StateOptions.builder().name("file-1").build(), 4096);
        LinkedBlockingQueue<Long> sent = new LinkedBlockingQueue<>();
        c.state().sendFile(f, 0, content.length, (s, file, n) -> sent.add(n));
        assertThat(c.state().isWriting()).isTrue();
        assertThat(c.state().queuedOutput()).isPositive();
        assertThatThrownBy(() -> c.state().sendFile(f, 0, 1, null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("file-1").hasMessageContaining("queueOutput is off");
        byte[] got = c.peer().readExactly(content.length);
        assertThat(Arrays.equals(got, content)).isTrue();
        assertThat(sent.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo((long) content.length);
    }

    @Test
    void aFileThatIsClosedOrNotReadableIsRefusedAtTheCallAndNothingIsQueued() throws Exception {
        Path p = dir.resolve("write-only");
        Files.write(p, new byte[100]);
        FileChannel writeOnly = track(FileChannel.open(p, StandardOpenOption.WRITE));
        FileChannel closed = FileChannel.open(p, StandardOpenOption.READ);
        closed.close();
        Connection c = connect(StateOptions.builder().name("file-3").queueOutput(true).build());

        assertThatThrownBy(() -> c.state().sendFile(writeOnly, 0, 100, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not open for reading");
        assertThatThrownBy(() -> c.state().sendFile(closed, 0, 100, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("the file is closed");

        assertThat(c.state().queuedOutput()).isZero();
        c.state().writeBuffer(bytes("still fine"), null);
        assertThat(c.peer().readString(10)).isEqualTo("still fine");
    }

    @Test
    void anEmptyFileOrASendOfNoBytesAtTheEndCompletesOk() throws Exception {
        FileChannel empty = file(new byte[0]);
        FileChannel ten = file(new byte[10]);
        Connection c = connect(StateOptions.builder().queueOutput(true).build());
        LinkedBlockingQueue<Sent> sent = new LinkedBlockingQueue<>();
        FileSendCallback record = (s, file, n) -> sent.add(new Sent(n, s.writeStatus(), file, null));

        c.state().sendFile(empty, 0, 0, record);
        Sent first = sent.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        c.state().sendFile(ten, 10, 0, record);
        Sent second = sent.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);

        assertThat(first).isNotNull();
        assertThat(first.status()).isEqualTo(IoStatus.OK);
        assertThat(first.count()).isZero();
        assertThat(second).isNotNull();
        assertThat(second.status()).isEqualTo(IoStatus.OK);
        assertThat(c.state().writeFailure()).isNull();
    }

    @Test
    void aFileClosedDuringTheSendEndsItWithAnErrorThatSaysSo() throws Exception {
        byte[] content = random(8 * 1024 * 1024, 6);
        FileChannel f = file(content);
        Connection c = connect(collection, StateOptions.builder().queueOutput(true).build(), 4096);
        LinkedBlockingQueue<Sent> sent = new LinkedBlockingQueue<>();
        c.state().sendFile(f, 0, content.length, (s, file, n) -> sent.add(new Sent(n, s.writeStatus(), file, null)));
        c.peer().readExactly(1000); // under way, and stuck on the peer that does not read on
        f.close();

        java.io.InputStream in = c.peer().socket().getInputStream();
        byte[] sink = new byte[64 * 1024];
        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> {
            // Reading on makes the socket writable again: the next transfer finds the file closed.
            if (in.available() > 0) {
                in.read(sink);
            }
            return !sent.isEmpty();
        });

        Sent done = sent.poll();
        assertThat(done.status()).isEqualTo(IoStatus.ERROR);
        assertThat(done.count()).isLessThan(content.length);
        assertThat(c.state().writeFailure()).hasMessageContaining("file of a sendFile was closed");
    }
}
