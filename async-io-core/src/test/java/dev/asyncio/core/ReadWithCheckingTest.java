package dev.asyncio.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * {@code readWithChecking}: undiscarded data is presented again, {@code discard}/{@code finish} consume it,
 * {@code oldLength} says how much the previous call saw, and what {@code finish} leaves stays buffered.
 */
class ReadWithCheckingTest extends LoopTestSupport {

    /** What one read-with-checking callback invocation saw. */
    record Seen(String data, int end, int oldLength, IoStatus status) {
    }

    @Test
    void undiscardedDataIsPresentedAgainWithOldLength() throws Exception {
        Connection c = connect();
        LinkedBlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
        c.state().readWithChecking((s, b, end) -> {
            seen.add(new Seen(text(b, 0, end), end, s.oldLength(), s.readStatus()));
            if (end >= 6) {
                s.finish();
            }
        });
        c.peer().send("abc");
        Seen first = poll(seen);
        assertThat(first.data()).isEqualTo("abc");
        assertThat(first.oldLength()).as("oldLength is 0 on the first call of an operation").isZero();

        c.peer().send("def");
        Seen last = first;
        while (last.end() < 6) {
            Seen next = poll(seen);
            assertThat(next.oldLength()).as("oldLength is what the previous call saw").isEqualTo(last.end());
            last = next;
        }
        assertThat(last.data()).isEqualTo("abcdef");
        org.awaitility.Awaitility.await().until(() -> !c.state().isReading()); // finish() runs after the record
    }

    @Test
    void discardDropsTheFrontAndOldLengthIsTheRetainedLength() throws Exception {
        Connection c = connect();
        LinkedBlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
        CompletableFuture<Integer> remaining = new CompletableFuture<>();
        c.state().readWithChecking((s, b, end) -> {
            seen.add(new Seen(text(b, 0, end), end, s.oldLength(), s.readStatus()));
            String data = text(b, 0, end);
            if (data.startsWith("12345") && !remaining.isDone()) {
                remaining.complete(s.discard(2));
            } else if (data.contains("XY")) {
                s.finish();
            }
        });
        c.peer().send("12345");
        Seen first = poll(seen);
        while (!first.data().equals("12345")) {
            first = poll(seen);
        }
        assertThat(remaining.get(10, TimeUnit.SECONDS)).as("discard returns the remaining length").isEqualTo(3);

        c.peer().send("XY");
        Seen next = poll(seen);
        assertThat(next.data()).startsWith("345");
        assertThat(next.oldLength()).as("after a discard, oldLength is the retained part of what was seen").isEqualTo(3);
        while (!next.data().contains("XY")) {
            next = poll(seen);
        }
        assertThat(next.data()).isEqualTo("345XY");
    }

    @Test
    void finishWithACountLeavesTheRestBufferedForGetBufferedData() throws Exception {
        Connection c = connect();
        CompletableFuture<Integer> remaining = new CompletableFuture<>();
        c.state().readWithChecking((s, b, end) -> {
            if (end >= 11) {
                remaining.complete(s.finish(6));
            }
        });
        c.peer().send("hello world");
        assertThat(remaining.get(10, TimeUnit.SECONDS)).as("finish returns the remaining length").isEqualTo(5);
        assertThat(c.state().isReading()).isFalse();
        assertThat(c.state().bufferedDataLength()).isEqualTo(5);

        byte[] into = new byte[10];
        assertThat(c.state().getBufferedData(into, 2, 5)).as("copies as much as fits").isEqualTo(3);
        assertThat(text(into, 2, 5)).isEqualTo("wor");
        assertThat(c.state().bufferedDataLength()).isEqualTo(2);
        assertThat(c.state().getBufferedData(into)).isEqualTo(2);
        assertThat(text(into, 0, 2)).isEqualTo("ld");
        assertThat(c.state().bufferedDataLength()).isZero();
    }

    @Test
    void leftoverDataIsConsumedByTheNextReadBuffer() throws Exception {
        Connection c = connect();
        CompletableFuture<Void> finished = new CompletableFuture<>();
        c.state().readWithChecking((s, b, end) -> {
            if (end >= 11) {
                s.finish(6);
                finished.complete(null);
            }
        });
        c.peer().send("hello world");
        finished.get(10, TimeUnit.SECONDS);

        CallRecorder read = new CallRecorder();
        c.state().readBuffer(new byte[5], read); // served from the buffer: the peer sends nothing more
        Call call = read.next();
        assertThat(call.text()).isEqualTo("world");
        assertThat(c.state().bufferedDataLength()).isZero();
    }

    @Test
    void leftoverDataIsPresentedFirstToTheNextReadWithChecking() throws Exception {
        Connection c = connect();
        CompletableFuture<Void> finished = new CompletableFuture<>();
        c.state().readWithChecking((s, b, end) -> {
            if (end >= 11) {
                s.finish(6);
                finished.complete(null);
            }
        });
        c.peer().send("hello world");
        finished.get(10, TimeUnit.SECONDS);

        LinkedBlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
        c.state().readWithChecking((s, b, end) -> {
            seen.add(new Seen(text(b, 0, end), end, s.oldLength(), s.readStatus()));
            s.finish(end);
        });
        Seen first = poll(seen);
        assertThat(first.data()).isEqualTo("world");
        assertThat(first.oldLength()).as("oldLength starts at 0 for every new operation").isZero();
    }

    @Test
    void closeReturnsTheBufferedLength() throws Exception {
        Connection c = connect();
        CompletableFuture<Void> finished = new CompletableFuture<>();
        c.state().readWithChecking((s, b, end) -> {
            if (end >= 7) {
                s.finish(3);
                finished.complete(null);
            }
        });
        c.peer().send("abcdefg");
        finished.get(10, TimeUnit.SECONDS);
        assertThat(c.state().close()).isEqualTo(4);
        assertThat(c.state().isOpen()).isFalse();
    }

    @Test
    void maxReadLimitsHowMuchEachCallSeesAndIsSticky() throws Exception {
        Connection c = connect();
        List<Integer> ends = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Void> done = new CompletableFuture<>();
        c.state().readWithChecking((s, b, end) -> {
            ends.add(end);
            if (end >= 10) {
                s.finish();
                done.complete(null);
            }
        }, OperationOptions.builder().maxRead(4).build());
        assertThat(c.state().maxRead()).isEqualTo(4);
        c.peer().send("0123456789");
        done.get(10, TimeUnit.SECONDS);

        int previous = 0;
        for (int end : ends) {
            assertThat(end - previous).as("bytes added between two calls, ends " + ends).isBetween(0, 4);
            previous = end;
        }
        assertThat(ends.size()).isGreaterThanOrEqualTo(3);
        assertThat(c.state().maxRead()).as("maxRead is sticky").isEqualTo(4);
        c.state().setMaxRead(1000);
        assertThat(c.state().maxRead()).isEqualTo(1000);
    }

    @Test
    void eofIsReportedToTheCallbackWithTheUndiscardedData() throws Exception {
        Connection c = connect();
        LinkedBlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
        c.state().readWithChecking((s, b, end) -> {
            seen.add(new Seen(text(b, 0, end), end, s.oldLength(), s.readStatus()));
            if (s.readStatus() != IoStatus.OK) {
                s.finish();
            }
        });
        c.peer().send("tail");
        c.peer().shutdownOutput();
        Seen last = poll(seen);
        while (last.status() == IoStatus.OK) {
            last = poll(seen);
        }
        assertThat(last.status()).isEqualTo(IoStatus.EOF);
        assertThat(last.data()).isEqualTo("tail");
    }

    @Test
    void aTimeoutIsReportedToTheCallback() throws Exception {
        Connection c = connect();
        LinkedBlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
        c.state().readWithChecking((s, b, end) -> {
            seen.add(new Seen(text(b, 0, end), end, s.oldLength(), s.readStatus()));
            if (s.readStatus() != IoStatus.OK) {
                s.finish();
            }
        }, OperationOptions.timeout(Duration.ofMillis(150)));
        Seen last = poll(seen);
        assertThat(last.status()).isEqualTo(IoStatus.TIMEOUT);
        assertThat(last.end()).isZero();
        assertThat(c.state().readTimeout()).isEqualTo(Duration.ofMillis(150));
    }

    @Test
    void anUndiscardedFloodFailsTheReadWithInputLimitExceeded() throws Exception {
        Connection c = connect(StateOptions.builder().maxBufferedInput(1024).build());
        CallRecorder error = new CallRecorder();
        c.state().readWithChecking((s, b, end) -> { }, OperationOptions.errorCallback(error));
        c.peer().send(new byte[4096]);
        Call call = error.next();
        assertThat(call.readStatus()).isEqualTo(IoStatus.ERROR);
        assertThat(c.state().readFailure()).isInstanceOf(InputLimitExceededException.class);
    }

    @Test
    void discardAndFinishOutsideTheCallbackThrowNamingTheRule() throws Exception {
        Connection c = connect(StateOptions.builder().name("checker").build());
        assertThatThrownBy(() -> c.state().discard(1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("checker").hasMessageContaining("read-with-checking");
        assertThatThrownBy(() -> c.state().finish()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("checker").hasMessageContaining("only inside a read-with-checking callback");

        // Also while a read-with-checking is active, but from outside its callback.
        CompletableFuture<Void> called = new CompletableFuture<>();
        c.state().readWithChecking((s, b, end) -> called.complete(null));
        assertThatThrownBy(() -> c.state().discard(1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("checker");
        assertThatThrownBy(() -> c.state().finish(1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void discardingMoreThanTheBufferHoldsIsRejected() throws Exception {
        Connection c = connect();
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        c.state().readWithChecking((s, b, end) -> {
            try {
                s.discard(end + 1);
                thrown.complete(null);
            } catch (Throwable t) {
                thrown.complete(t);
            }
            s.finish();
        });
        c.peer().send("abc");
        assertThat(thrown.get(10, TimeUnit.SECONDS)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void getBufferedDataWhileAnOperationIsActiveThrows() throws Exception {
        Connection c = connect(StateOptions.builder().name("busy").build());
        c.state().readBuffer(new byte[4], new CallRecorder());
        assertThatThrownBy(() -> c.state().getBufferedData(new byte[4])).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("busy").hasMessageContaining("not allowed while a read operation is active");
    }

    @Test
    void aNewReadMayStartFromTheCallbackAfterFinish() throws Exception {
        Connection c = connect();
        CallRecorder second = new CallRecorder();
        c.state().readWithChecking((s, b, end) -> {
            if (end >= 3) {
                s.finish(3);
                s.readBuffer(new byte[2], second);
            }
        });
        c.peer().send("abcde");
        assertThat(second.next().text()).isEqualTo("de");
    }

    private static Seen poll(LinkedBlockingQueue<Seen> seen) throws InterruptedException {
        Seen s = seen.poll(10, TimeUnit.SECONDS);
        assertThat(s).as("a read-with-checking callback within 10 s").isNotNull();
        return s;
    }

    @Test
    void eofEndsTheOperationWithoutFinishAndKeepsUndiscardedInputBuffered() throws Exception {
        Connection c = connect();
        LinkedBlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
        c.state().readWithChecking((s, b, end) -> seen.add(new Seen(text(b, 0, end), end, s.oldLength(),
                s.readStatus())));
        c.peer().send("rest");
        c.peer().shutdownOutput();
        Seen last = poll(seen);
        while (last.status() == IoStatus.OK) {
            last = poll(seen);
        }
        assertThat(last.status()).isEqualTo(IoStatus.EOF);
        org.awaitility.Awaitility.await().until(() -> !c.state().isReading());
        assertThat(c.state().bufferedDataLength()).isEqualTo(4);
        byte[] into = new byte[4];
        assertThat(c.state().getBufferedData(into)).isEqualTo(4);
        assertThat(text(into, 0, 4)).isEqualTo("rest");
        roundTrip();
        assertThat(seen).as("no callback after the EOF call").isEmpty();
    }

    @Test
    void aReadBufferLargerThanTheLeftoverTakesTheLeftoverThenTheSocket() throws Exception {
        Connection c = connect();
        CompletableFuture<Void> finished = new CompletableFuture<>();
        c.state().readWithChecking((s, b, end) -> {
            if (end >= 11) {
                s.finish(6);
                finished.complete(null);
            }
        });
        c.peer().send("hello world");
        finished.get(10, TimeUnit.SECONDS);

        CallRecorder read = new CallRecorder();
        c.state().readBuffer(new byte[8], read);
        roundTrip();
        read.assertNoCall();
        c.peer().send("!!!");
        assertThat(read.next().text()).isEqualTo("world!!!");
    }

    @Test
    void eofWhileALeftoverOnlyPartlyFillsAReadBufferGivesThePartialCount() throws Exception {
        Connection c = connect();
        CompletableFuture<Void> finished = new CompletableFuture<>();
        c.state().readWithChecking((s, b, end) -> {
            if (end >= 11) {
                s.finish(6);
                finished.complete(null);
            }
        });
        c.peer().send("hello world");
        finished.get(10, TimeUnit.SECONDS);
        c.peer().shutdownOutput();

        CallRecorder read = new CallRecorder();
        byte[] into = new byte[8];
        c.state().readBuffer(into, read);
        Call call = read.next();
        assertThat(call.count()).isEqualTo(5);
        assertThat(call.readStatus()).isEqualTo(IoStatus.EOF);
        assertThat(text(into, 0, 5)).isEqualTo("world");
    }

    @Test
    void aLargeUndiscardedInputIsPresentedIntact() throws Exception {
        Connection c = connect();
        byte[] sent = new byte[1024 * 1024 + 3];
        new java.util.Random(21).nextBytes(sent);
        CompletableFuture<byte[]> seen = new CompletableFuture<>();
        c.state().readWithChecking((s, b, end) -> {
            if (end >= sent.length) {
                seen.complete(java.util.Arrays.copyOf(b, end));
                s.finish(end);
            }
        });
        c.peer().send(sent);
        assertThat(seen.get(10, TimeUnit.SECONDS)).isEqualTo(sent);
        assertThat(c.state().bufferedDataLength()).isZero();
    }

    @Test
    void randomDiscardsConsumeTheStreamExactlyOnceAndInOrder() throws Exception {
        Connection c = connect();
        byte[] sent = new byte[2 * 1024 * 1024];
        new java.util.Random(22).nextBytes(sent);
        java.util.Random r = new java.util.Random(23);
        java.io.ByteArrayOutputStream consumed = new java.io.ByteArrayOutputStream();
        CompletableFuture<Void> done = new CompletableFuture<>();
        int[] lastEnd = {0};
        c.state().readWithChecking((s, b, end) -> {
            if (s.oldLength() != lastEnd[0]) {
                done.completeExceptionally(new AssertionError("oldLength " + s.oldLength() + " but "
                        + lastEnd[0] + " bytes were kept from the previous call"));
                s.finish();
                return;
            }
            // Sometimes keep everything (to be shown again); once all input is here, take the rest.
            int take = consumed.size() + end == sent.length ? end : r.nextInt(4) == 0 ? 0 : 1 + r.nextInt(end);
            consumed.write(b, 0, take);
            if (consumed.size() == sent.length) {
                s.finish(take);
                done.complete(null);
                return;
            }
            lastEnd[0] = take == 0 ? end : (take == end ? 0 : end - take);
            if (take > 0) {
                s.discard(take);
            }
        }, OperationOptions.builder().maxRead(3000).build());
        c.peer().send(sent);
        done.get(20, TimeUnit.SECONDS);
        assertThat(consumed.toByteArray()).isEqualTo(sent);
    }

    @Test
    void anIoErrorGoesToTheErrorCallbackAndEndsTheOperation() throws Exception {
        Connection c = connect();
        CallRecorder checks = new CallRecorder();
        CallRecorder errors = new CallRecorder();
        c.state().readWithChecking(checks, OperationOptions.errorCallback(errors));
        c.peer().send("kept");
        Call first = checks.next();
        assertThat(first.readStatus()).isEqualTo(IoStatus.OK);
        c.peer().reset();
        Call error = errors.next();
        assertThat(error.readStatus()).isEqualTo(IoStatus.ERROR);
        assertThat(error.text()).as("the undiscarded input comes along").startsWith("kept");
        await().until(() -> !c.state().isReading());
        assertThat(c.state().readFailure()).isNotNull();
        roundTrip();
        assertThat(checks.all()).allSatisfy(call -> assertThat(call.readStatus()).isEqualTo(IoStatus.OK));
    }

    @Test
    void aReadWithCheckingStartedFromTheCallbackGetsTheLeftoverAfterTheCallbackReturns() throws Exception {
        Connection c = connect();
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<String> second = new CompletableFuture<>();
        c.state().readWithChecking((s, b, end) -> {
            if (end >= 6) {
                events.add("first-start");
                s.finish(3);
                s.readWithChecking((s2, b2, end2) -> {
                    events.add("second");
                    second.complete(text(b2, 0, end2));
                    s2.finish(end2);
                });
                events.add("first-end");
            }
        });
        c.peer().send("abcdef");
        assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo("def");
        assertThat(events).containsExactly("first-start", "first-end", "second");
    }
}
