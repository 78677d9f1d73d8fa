package dev.asyncio.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** {@code abort}, {@code abortAndClose} and {@code close}, and what a closed state refuses. */
class AbortAndCloseTest extends LoopTestSupport {

    @Test
    void abortInputCallsTheAbortCallbackWithTheReadsArguments() throws Exception {
        Connection c = connect();
        CallRecorder read = new CallRecorder();
        CallRecorder abort = new CallRecorder();
        byte[] buffer = new byte[10];
        c.state().readBuffer(buffer, read);
        c.peer().send("abc");
        await().until(() -> c.state().snapshot().bytesRead() == 3);

        c.state().abort(abort);

        Call call = abort.next();
        assertThat(call.state()).isSameAs(c.state());
        assertThat(call.buffer()).as("the read's buffer").isSameAs(buffer);
        assertThat(call.count()).as("the read's partial count").isEqualTo(3);
        assertOnLoop(call, loopThreadName());
        assertThat(c.state().isReading()).isFalse();
        roundTrip();
        read.assertNoCall();
        assertThat(c.state().isOpen()).as("abort does not close").isTrue();

        // The state can be reused after an abort.
        c.state().readBuffer(new byte[2], read);
        c.peer().send("de");
        assertThat(read.next().text()).isEqualTo("de");
    }

    @Test
    void abortWithNothingActiveCallsBackWithStateAndNulls() throws Exception {
        Connection c = connect();
        CallRecorder abort = new CallRecorder();
        c.state().abort(Direction.INPUT, abort);
        Call call = abort.next();
        assertThat(call.state()).isSameAs(c.state());
        assertThat(call.buffer()).isNull();
        assertThat(call.count()).isZero();
    }

    @Test
    void abortOutputCallsBackWithTheWritesArguments() throws Exception {
        Connection c = connect(collection, StateOptions.DEFAULTS, 4096);
        CallRecorder write = new CallRecorder();
        CallRecorder abort = new CallRecorder();
        byte[] big = new byte[4 * 1024 * 1024];
        c.state().writeBuffer(big, write); // the peer does not read: the write stays active
        await().until(() -> c.state().isWriting() && c.state().snapshot().bytesWritten() > 0);

        c.state().abort(Direction.OUTPUT, abort);
        Call call = abort.next();
        assertThat(call.buffer()).isSameAs(big);
        assertThat(call.count()).isBetween(1, big.length - 1);
        assertThat(c.state().isWriting()).isFalse();
        roundTrip();
        write.assertNoCall();
    }

    @Test
    void abortIoCallsBackWithJustTheState() throws Exception {
        Connection c = connect();
        CallRecorder read = new CallRecorder();
        CallRecorder abort = new CallRecorder();
        c.state().readBuffer(new byte[10], read);
        c.state().abort(Direction.IO, abort);
        Call call = abort.next();
        assertThat(call.state()).isSameAs(c.state());
        assertThat(call.buffer()).isNull();
        assertThat(call.count()).isZero();
        assertThat(c.state().isReading()).isFalse();
        roundTrip();
        read.assertNoCall();
    }

    @Test
    void abortOfAReadWithCheckingMayDiscardInTheAbortCallback() throws Exception {
        Connection c = connect();
        CompletableFuture<Integer> seenEnd = new CompletableFuture<>();
        c.state().readWithChecking((s, b, end) -> {
            if (end >= 6) {
                seenEnd.complete(end);
            }
        });
        c.peer().send("abcdef");
        assertThat(seenEnd.get(10, TimeUnit.SECONDS)).isEqualTo(6);

        CompletableFuture<Integer> afterDiscard = new CompletableFuture<>();
        CompletableFuture<Integer> abortCount = new CompletableFuture<>();
        c.state().abort((s, b, n) -> {
            abortCount.complete(n);
            afterDiscard.complete(s.discard(2));
        });
        assertThat(abortCount.get(10, TimeUnit.SECONDS)).isEqualTo(6);
        assertThat(afterDiscard.get(10, TimeUnit.SECONDS)).isEqualTo(4);
        await().until(() -> !c.state().isReading());
        assertThat(c.state().bufferedDataLength()).isEqualTo(4);
    }

    @Test
    void anAbortFromInsideTheStatesCallbackWaitsUntilTheCallbackReturns() throws Exception {
        Connection c = connect();
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Void> aborted = new CompletableFuture<>();
        c.state().readWithChecking((s, b, end) -> {
            events.add("callback-start");
            s.abort((s2, b2, n2) -> {
                events.add("abort-callback");
                aborted.complete(null);
            });
            events.add("callback-end");
        });
        c.peer().send("x");
        aborted.get(10, TimeUnit.SECONDS);
        assertThat(events).containsExactly("callback-start", "callback-end", "abort-callback");
        assertThat(c.state().isReading()).isFalse();
    }

    @Test
    void anAbortFromAnotherThreadWhileTheStatesCallbackRunsIsDeferred() throws Exception {
        Connection c = connect();
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch inCallback = new CountDownLatch(1);
        CountDownLatch abortRequested = new CountDownLatch(1);
        CompletableFuture<Void> aborted = new CompletableFuture<>();
        c.state().readWithChecking((s, b, end) -> {
            events.add("callback-start");
            inCallback.countDown();
            try {
                // Holding the loop briefly and boundedly: the test thread aborts meanwhile.
                abortRequested.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            events.add("callback-end");
        });
        c.peer().send("x");
        assertThat(inCallback.await(10, TimeUnit.SECONDS)).isTrue();
        c.state().abort((s, b, n) -> {
            events.add("abort-callback");
            aborted.complete(null);
        });
        abortRequested.countDown();
        aborted.get(10, TimeUnit.SECONDS);
        assertThat(events).containsSubsequence("callback-start", "callback-end", "abort-callback");
        assertThat(events.indexOf("abort-callback")).isEqualTo(events.lastIndexOf("callback-end") + 1);
    }

    @Test
    void abortAndCloseClosesTheSocketAndCallsTheCloseCallback() throws Exception {
        Connection c = connect();
        CallRecorder read = new CallRecorder();
        CallRecorder closed = new CallRecorder();
        c.state().readBuffer(new byte[10], read);
        c.state().abortAndClose(false, closed);
        Call call = closed.next();
        assertThat(call.state()).isSameAs(c.state());
        assertOnLoop(call, loopThreadName());
        assertThat(c.state().isOpen()).isFalse();
        assertThat(c.channel().isOpen()).isFalse();
        assertThat(c.peer().seesEof()).isTrue();
        roundTrip();
        read.assertNoCall();
        assertThat(collection.states()).doesNotContain(c.state());
    }

    @Test
    void abortAndCloseWithKeepAliveLeavesTheChannelOpen() throws Exception {
        Connection c = connect();
        CallRecorder closed = new CallRecorder();
        c.state().readBuffer(new byte[10], new CallRecorder());
        c.state().abortAndClose(true, closed);
        closed.next();
        assertThat(c.state().isOpen()).isFalse();
        assertThat(c.channel().isOpen()).isTrue();
        writeDirectly(c.channel(), "still here");
        assertThat(c.peer().readString(10)).isEqualTo("still here");
    }

    @Test
    void closeWithKeepAliveReturnsTheBufferedLengthAndLeavesTheChannelUsable() throws Exception {
        Connection c = connect();
        CompletableFuture<Void> finished = new CompletableFuture<>();
        c.state().readWithChecking((s, b, end) -> {
            if (end >= 5) {
                s.finish(2);
                finished.complete(null);
            }
        });
        c.peer().send("12345");
        finished.get(10, TimeUnit.SECONDS);

        assertThat(c.state().close(true)).isEqualTo(3);
        assertThat(c.state().isOpen()).isFalse();
        assertThat(c.channel().isOpen()).isTrue();
        assertThat(collection.states()).doesNotContain(c.state());
        writeDirectly(c.channel(), "bye");
        assertThat(c.peer().readString(3)).isEqualTo("bye");
    }

    @Test
    void closeWithoutKeepAliveClosesTheSocket() throws Exception {
        Connection c = connect();
        assertThat(c.state().close()).isZero();
        assertThat(c.state().isOpen()).isFalse();
        assertThat(c.channel().isOpen()).isFalse();
        assertThat(c.peer().seesEof()).isTrue();
        c.state().close(); // closing twice is harmless
    }

    @Test
    void operationsOnAClosedStateThrowNamingTheStateAndTheRule() throws Exception {
        Connection c = connect(StateOptions.builder().name("gone").build());
        c.state().close();
        CallRecorder cb = new CallRecorder();
        assertThatThrownBy(() -> c.state().readBuffer(new byte[1], cb)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("gone").hasMessageContaining("readBuffer on a closed state");
        assertThatThrownBy(() -> c.state().writeBuffer(new byte[1], cb)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("gone").hasMessageContaining("closed");
        assertThatThrownBy(() -> c.state().readWithChecking(cb)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> c.state().waitForInput(cb)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        roundTrip();
        cb.assertNoCall();
    }

    @Test
    void closeOfAStateWithAnActiveReadCallsNoCallback() throws Exception {
        Connection c = connect();
        CallRecorder read = new CallRecorder();
        c.state().readBuffer(new byte[10], read);
        c.state().close();
        assertThat(c.peer().seesEof()).isTrue();
        roundTrip();
        read.assertNoCall();
    }

    private static void writeDirectly(SocketChannel channel, String text) throws Exception {
        ByteBuffer b = ByteBuffer.wrap(bytes(text));
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (b.hasRemaining() && System.nanoTime() < deadline) {
            channel.write(b); // may be non-blocking: a few bytes always fit an empty socket buffer
        }
        assertThat(b.hasRemaining()).isFalse();
    }

    @Test
    void abortOutputDropsQueuedWrites() throws Exception {
        Connection c = connect(collection, StateOptions.builder().queueOutput(true).build(), 4096);
        CallRecorder writes = new CallRecorder();
        CallRecorder abort = new CallRecorder();
        byte[] first = new byte[1024 * 1024];
        c.state().writeBuffer(first, writes);
        c.state().writeBuffer(new byte[100], writes);
        c.state().writeBuffer(new byte[100], writes);
        await().until(() -> c.state().snapshot().bytesWritten() > 0);
        c.state().abort(Direction.OUTPUT, abort);
        Call call = abort.next();
        assertThat(call.buffer()).isSameAs(first);
        await().until(() -> !c.state().isWriting());
        assertThat(c.state().queuedOutput()).isZero();
        roundTrip();
        writes.assertNoCall();
    }

    @Test
    void abortAndCloseOnAClosedStateOnlyRunsTheCallback() throws Exception {
        Connection c = connect();
        c.state().close();
        CallRecorder closed = new CallRecorder();
        c.state().abortAndClose(false, closed);
        assertThat(closed.next().state()).isSameAs(c.state());
    }

    @Test
    void getBufferedDataStillWorksAfterClose() throws Exception {
        Connection c = connect();
        CompletableFuture<Void> finished = new CompletableFuture<>();
        c.state().readWithChecking((s, b, end) -> {
            if (end >= 6) {
                s.finish(3);
                finished.complete(null);
            }
        });
        c.peer().send("abcdef");
        finished.get(10, TimeUnit.SECONDS);
        assertThat(c.state().close()).isEqualTo(3);
        byte[] into = new byte[3];
        assertThat(c.state().getBufferedData(into)).isEqualTo(3);
        assertThat(text(into, 0, 3)).isEqualTo("def");
    }

    @Test
    void closeGracefullyWritesEverythingAcceptedThenClosesAndCallsBack() throws Exception {
        Connection c = connect(collection, StateOptions.builder().queueOutput(true).build(), 4096);
        byte[] payload = new byte[1024 * 1024];
        new java.util.Random(3).nextBytes(payload);
        c.state().writeBuffer(payload, 0, 500_000, null);
        c.state().writeBuffer(payload, 500_000, payload.length, null);
        CallRecorder closed = new CallRecorder();
        c.state().closeGracefully(java.time.Duration.ofSeconds(30), closed);

        assertThat(c.peer().readExactly(payload.length)).isEqualTo(payload);
        assertThat(c.peer().seesEof()).isTrue();
        c.peer().close(); // the state drains input until the peer's EOF (at most 2 s) before it closes
        Call call = closed.next();
        assertThat(call.state()).isSameAs(c.state());
        assertOnLoop(call, loopThreadName());
        assertThat(c.state().isOpen()).isFalse();
    }

    @Test
    void closeGracefullyClosesAnywayWhenThePeerDoesNotReadInTime() throws Exception {
        Connection c = connect(collection, StateOptions.DEFAULTS, 4096);
        c.state().writeBuffer(new byte[4 * 1024 * 1024], null);
        CallRecorder closed = new CallRecorder();
        c.state().closeGracefully(java.time.Duration.ofMillis(200), closed);
        closed.next();
        assertThat(c.state().isOpen()).isFalse();
        assertThat(c.channel().isOpen()).isFalse();
    }

    @Test
    void aStateMayCloseItselfFromItsOwnCallback() throws Exception {
        Connection c = connect();
        CompletableFuture<Integer> closedWith = new CompletableFuture<>();
        c.state().readWithChecking((s, b, end) -> {
            if (end >= 5) {
                s.finish(2);
                closedWith.complete(s.close());
            }
        });
        c.peer().send("quit!");
        assertThat(closedWith.get(10, TimeUnit.SECONDS)).isEqualTo(3);
        assertThat(c.peer().seesEof()).isTrue();
        assertThat(c.state().isOpen()).isFalse();
    }

    @Test
    void closingTheCollectionFromACallbackClosesItAfterTheCallback() throws Exception {
        Connection c = connect();
        CompletableFuture<String> afterClose = new CompletableFuture<>();
        c.state().readBuffer(new byte[1], (s, b, n) -> {
            collection.close(); // on the loop thread: must not wait for itself
            afterClose.complete("callback went on after close()");
        });
        c.peer().send("x");
        assertThat(afterClose.get(10, TimeUnit.SECONDS)).isNotNull();
        assertThat(collection.awaitTermination(WAIT)).isTrue();
        assertThat(collection.isClosed()).isTrue();
        assertThat(c.state().isOpen()).isFalse();
        assertThat(c.peer().seesEof()).isTrue();
    }

    @Test
    void closeGracefullyEndsAnActiveReadWithoutItsCallback() throws Exception {
        Connection c = connect();
        CallRecorder read = new CallRecorder();
        c.state().readBuffer(new byte[10], read);
        CallRecorder closed = new CallRecorder();
        c.state().closeGracefully(null, closed);
        assertThat(c.peer().seesEof()).isTrue();
        c.peer().close();
        closed.next();
        roundTrip();
        read.assertNoCall();
        assertThat(c.state().isOpen()).isFalse();
    }

    @Test
    void closeGracefullyDrainsUnreadInputSoThePeerGetsAllOutputWithoutAReset() throws Exception {
        Connection c = connect(collection, StateOptions.builder().queueOutput(true).build(), 4096);
        byte[] payload = new byte[512 * 1024];
        new java.util.Random(5).nextBytes(payload);
        c.state().writeBuffer(payload, null);
        CallRecorder closed = new CallRecorder();
        c.state().closeGracefully(java.time.Duration.ofSeconds(30), closed);
        // Input the state never reads: closing with it unread would make the kernel reset the connection.
        c.peer().send(new byte[64 * 1024]);
        assertThat(c.peer().readExactly(payload.length)).isEqualTo(payload);
        assertThat(c.peer().seesEof()).isTrue();
        c.peer().close();
        closed.next();
        assertThat(c.state().isOpen()).isFalse();
    }

    @Test
    void abortOnAClosedStateThrowsAndNamesAreRequired() throws Exception {
        Connection c = connect(StateOptions.builder().name("shut").build());
        assertThatThrownBy(() -> c.state().setName(null)).isInstanceOfAny(NullPointerException.class,
                IllegalArgumentException.class);
        assertThat(c.state().name()).isEqualTo("shut");
        c.state().close();
        assertThatThrownBy(() -> c.state().abort(new CallRecorder())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("shut").hasMessageContaining("closed");
    }

    @Test
    void aReplyAndACloseGracefullyFromTheSameCallbackDeliverTheReply() throws Exception {
        Connection c = connect();
        c.state().readBuffer(new byte[4], (s, b, n) -> {
            s.writeBuffer(bytes("bye!"), null);
            s.closeGracefully(null, null);
        });
        c.peer().send("quit");
        assertThat(c.peer().readString(4)).isEqualTo("bye!");
        assertThat(c.peer().seesEof()).isTrue();
        c.peer().close();
        await().until(() -> !c.state().isOpen());
    }

    @Test
    void aClosingStateRefusesNewOperationsAndRepeatedGracefulClosesAllCallBack() throws Exception {
        Connection c = connect(collection, StateOptions.builder().name("closing").build(), 4096);
        c.state().writeBuffer(new byte[1024 * 1024], null); // the peer does not read yet: the close must wait
        CallRecorder closed = new CallRecorder();
        c.state().closeGracefully(null, closed);
        await().until(() -> c.state().isClosing());
        assertThatThrownBy(() -> c.state().writeBuffer(bytes("more"), null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closing").hasMessageContaining("closeGracefully");
        assertThatThrownBy(() -> c.state().readBuffer(new byte[1], new CallRecorder())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closing");
        c.state().closeGracefully(null, closed);

        assertThat(c.peer().readExactly(1024 * 1024)).hasSize(1024 * 1024);
        assertThat(c.peer().seesEof()).isTrue();
        c.peer().close();
        closed.next();
        closed.next();
        assertThat(c.state().isClosing()).isFalse();
        assertThat(c.state().isOpen()).isFalse();
    }
}
