package dev.asyncio.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** {@code readBuffer}: fills the whole range, or ends early with the partial count on EOF, timeout or error. */
class ReadBufferTest extends LoopTestSupport {

    @Test
    void completesOnlyWhenTheWholeRangeIsFilled() throws Exception {
        Connection c = connect();
        byte[] buffer = bytes("##########");
        CallRecorder read = new CallRecorder();
        c.state().readBuffer(buffer, 2, 8, read);
        assertThat(c.state().isReading()).isTrue();

        c.peer().send("ab");
        roundTrip();
        c.peer().send("cd");
        roundTrip();
        read.assertNoCall();
        c.peer().send("ef");

        Call call = read.next();
        assertThat(call.state()).isSameAs(c.state());
        assertThat(call.buffer()).isSameAs(buffer);
        assertThat(call.count()).isEqualTo(6);
        assertThat(call.readStatus()).isEqualTo(IoStatus.OK);
        assertOnLoop(call, loopThreadName());
        assertThat(text(buffer, 0, 10)).isEqualTo("##abcdef##");
        assertThat(c.state().isReading()).isFalse();
    }

    @Test
    void bytesBeyondTheRangeStayForTheNextRead() throws Exception {
        Connection c = connect();
        c.peer().send("hello world");
        CallRecorder read = new CallRecorder();
        byte[] first = new byte[5];
        c.state().readBuffer(first, read);
        assertThat(read.next().text()).isEqualTo("hello");
        byte[] second = new byte[6];
        c.state().readBuffer(second, read);
        assertThat(read.next().text()).isEqualTo(" world");
    }

    @Test
    void peerCloseEndsTheReadWithThePartialCountAndEof() throws Exception {
        Connection c = connect();
        CallRecorder read = new CallRecorder();
        c.state().readBuffer(new byte[10], read);
        c.peer().send("abc");
        c.peer().shutdownOutput();

        Call call = read.next();
        assertThat(call.count()).isEqualTo(3);
        assertThat(call.text()).isEqualTo("abc");
        assertThat(call.readStatus()).isEqualTo(IoStatus.EOF);
        assertThat(c.state().readStatus()).isEqualTo(IoStatus.EOF);
        assertThat(c.state().readFailure()).isNull();
    }

    @Test
    void aReadTimeoutEndsTheReadWithThePartialCountAndTimeout() throws Exception {
        Connection c = connect();
        CallRecorder read = new CallRecorder();
        c.peer().send("abc"); // sent first, so a slow machine cannot turn this into a timeout with nothing read
        c.state().readBuffer(new byte[10], 0, 10, read, OperationOptions.timeout(Duration.ofMillis(200)));

        Call call = read.next();
        assertThat(call.count()).isEqualTo(3);
        assertThat(call.text()).isEqualTo("abc");
        assertThat(call.readStatus()).isEqualTo(IoStatus.TIMEOUT);
        assertThat(collection.statistics().timeouts()).isEqualTo(1);
        assertThat(c.state().isOpen()).as("a timeout does not close the state").isTrue();
    }

    @Test
    void theOperationTimeoutIsStickyForLaterReads() throws Exception {
        Connection c = connect();
        assertThat(c.state().readTimeout()).isNull();
        CallRecorder read = new CallRecorder();
        c.state().readBuffer(new byte[1], 0, 1, read, OperationOptions.timeout(Duration.ofMillis(150)));
        assertThat(c.state().readTimeout()).isEqualTo(Duration.ofMillis(150));
        assertThat(read.next().readStatus()).isEqualTo(IoStatus.TIMEOUT);

        c.state().readBuffer(new byte[1], read); // no options: the state's timeout still applies
        Call second = read.next();
        assertThat(second.readStatus()).isEqualTo(IoStatus.TIMEOUT);
        assertThat(second.count()).isZero();

        c.state().setReadTimeout(null);
        c.state().readBuffer(new byte[1], read);
        c.peer().send("z");
        Call third = read.next();
        assertThat(third.readStatus()).isEqualTo(IoStatus.OK);
        assertThat(third.text()).isEqualTo("z");
    }

    @Test
    void theStateOptionsTimeoutApplies() throws Exception {
        Connection c = connect(StateOptions.builder().readTimeout(Duration.ofMillis(100)).build());
        assertThat(c.state().readTimeout()).isEqualTo(Duration.ofMillis(100));
        CallRecorder read = new CallRecorder();
        c.state().readBuffer(new byte[4], read);
        Call call = read.next();
        assertThat(call.readStatus()).isEqualTo(IoStatus.TIMEOUT);
        assertThat(call.count()).isZero();
    }

    @Test
    void userInfoGivenToAnOperationIsSticky() throws Exception {
        Connection c = connect(StateOptions.builder().userInfo("initial").build());
        assertThat(c.state().userInfo()).isEqualTo("initial");
        CallRecorder read = new CallRecorder();
        c.state().readBuffer(new byte[1], 0, 1, read, OperationOptions.builder().userInfo("from-read").build());
        assertThat(c.state().userInfo()).isEqualTo("from-read");
        c.peer().send("x");
        read.next();
        assertThat(c.state().userInfo()).isEqualTo("from-read");
        c.state().setUserInfo(42);
        assertThat(c.state().userInfo()).isEqualTo(42);
    }

    @Test
    void anIoErrorGoesToTheErrorCallbackWhenOneIsGiven() throws Exception {
        Connection c = connect();
        CallRecorder read = new CallRecorder();
        CallRecorder error = new CallRecorder();
        byte[] buffer = new byte[10];
        c.state().readBuffer(buffer, 0, 10, read, OperationOptions.errorCallback(error));
        c.peer().send("ab");
        roundTrip();
        c.peer().reset();

        Call call = error.next();
        assertThat(call.buffer()).isSameAs(buffer);
        assertThat(call.count()).isBetween(0, 2);
        assertThat(call.readStatus()).isEqualTo(IoStatus.ERROR);
        assertThat(c.state().readFailure()).isNotNull();
        assertOnLoop(call, loopThreadName());
        roundTrip();
        read.assertNoCall();
        assertThat(collection.statistics().errors()).isEqualTo(1);
    }

    @Test
    void anIoErrorGoesToTheCallbackWithoutAnErrorCallback() throws Exception {
        Connection c = connect();
        CallRecorder read = new CallRecorder();
        c.state().readBuffer(new byte[10], read);
        c.peer().reset();
        Call call = read.next();
        assertThat(call.readStatus()).isEqualTo(IoStatus.ERROR);
        assertThat(c.state().readFailure()).isNotNull();
    }

    @Test
    void aSecondReadWhileOneIsActiveThrowsNamingTheStateAndTheRule() throws Exception {
        Connection c = connect(StateOptions.builder().name("reader-1").build());
        CallRecorder read = new CallRecorder();
        c.state().readBuffer(new byte[4], read);

        assertThatThrownBy(() -> c.state().readBuffer(new byte[4], read))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("reader-1")
                .hasMessageContaining("one read-direction operation at a time");
        assertThatThrownBy(() -> c.state().readWithChecking(read))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("reader-1");
        assertThatThrownBy(() -> c.state().waitForInput(read))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("reader-1")
                .hasMessageContaining("waitForInput");

        // The first read is unaffected.
        c.peer().send("data");
        assertThat(read.next().text()).isEqualTo("data");
    }

    @Test
    void badRangesAreRejected() throws Exception {
        Connection c = connect();
        CallRecorder cb = new CallRecorder();
        byte[] b = new byte[8];
        assertThatThrownBy(() -> c.state().readBuffer(b, -1, 4, cb)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> c.state().readBuffer(b, 5, 4, cb)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("start <= end");
        assertThatThrownBy(() -> c.state().readBuffer(b, 0, 9, cb)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("9");
        assertThatThrownBy(() -> c.state().writeBuffer(b, 3, 2, cb)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> c.state().writeBuffer(b, 0, 100, cb)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("100");
        assertThatThrownBy(() -> c.state().getBufferedData(b, 4, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThat(c.state().isReading()).isFalse();
        assertThat(c.state().isWriting()).isFalse();

        // Nothing was started: a valid read still works.
        c.state().readBuffer(b, 0, 2, cb);
        c.peer().send("ok");
        assertThat(cb.next().text()).isEqualTo("ok");
    }

    @Test
    void anEmptyRangeCompletesAtOnce() throws Exception {
        Connection c = connect();
        CallRecorder read = new CallRecorder();
        c.state().readBuffer(new byte[4], 2, 2, read);
        Call call = read.next();
        assertThat(call.count()).isZero();
        assertThat(call.readStatus()).isEqualTo(IoStatus.OK);
    }

    @Test
    void theStateKnowsItsAddressesAndName() throws Exception {
        Connection c = connect(StateOptions.builder().name("named").build());
        assertThat(c.state().name()).isEqualTo("named");
        assertThat(c.state().collection()).isSameAs(collection);
        assertThat(c.state().channel()).isSameAs(c.channel());
        assertThat(c.state().handle()).isNull();
        assertThat(c.state().peerAddress().getPort()).isEqualTo(c.peer().localPort());
        assertThat(c.state().localAddress().getPort()).isEqualTo(c.peer().socket().getPort());
        assertThat(c.state().toString()).contains("named");
        c.state().setName("renamed");
        assertThat(c.state().name()).isEqualTo("renamed");

        Connection unnamed = connect();
        assertThat(unnamed.state().name()).as("a generated name").isNotBlank();
    }

    @Test
    void readsChainedFromCallbacksSeeEveryByteInOrder() throws Exception {
        Connection c = connect();
        byte[] sent = new byte[100_000];
        new java.util.Random(11).nextBytes(sent);
        java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
        java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
        java.util.Random sizes = new java.util.Random(12);
        BufferCallback[] chain = new BufferCallback[1];
        chain[0] = (s, b, n) -> {
            got.write(b, 0, n);
            if (s.readStatus() != IoStatus.OK || got.size() >= sent.length) {
                done.complete(null);
                return;
            }
            int size = Math.min(sent.length - got.size(), 1 + sizes.nextInt(3000));
            s.readBuffer(new byte[size], chain[0]);
        };
        c.state().readBuffer(new byte[1], chain[0]);
        c.peer().send(sent);
        done.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(got.toByteArray()).isEqualTo(sent);
    }

    @Test
    void eofIsReportedOnlyAfterEveryByteWasRead() throws Exception {
        Connection c = connect();
        c.peer().send("abcdef");
        c.peer().close();
        CallRecorder read = new CallRecorder();
        c.state().readBuffer(new byte[3], read);
        Call first = read.next();
        assertThat(first.readStatus()).isEqualTo(IoStatus.OK);
        assertThat(first.text()).isEqualTo("abc");
        c.state().readBuffer(new byte[3], read);
        Call second = read.next();
        assertThat(second.readStatus()).isEqualTo(IoStatus.OK);
        assertThat(second.text()).isEqualTo("def");
        c.state().readBuffer(new byte[3], read);
        Call third = read.next();
        assertThat(third.readStatus()).isEqualTo(IoStatus.EOF);
        assertThat(third.count()).isZero();
    }

    @Test
    void maxReadMustBePositive() throws Exception {
        Connection c = connect();
        assertThatThrownBy(() -> c.state().setMaxRead(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxRead");
        assertThatThrownBy(() -> c.state().setReadTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
