package dev.asyncio.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import org.junit.jupiter.api.Test;

/**
 * Issue 13, smaller item: {@code readWithChecking} takes a {@code null} callback, as LispWorks allows {@code nil}:
 * input is only buffered, for {@code getBufferedData} or the next read operation.
 */
class ReadWithCheckingNullCallbackFidelityTest extends LoopTestSupport {

    @Test
    void aNullCallbackBuffersInputUntilEofThenGetBufferedDataHasIt() throws Exception {
        Connection c = connect();
        // Old code: NullPointerException("callback").
        c.state().readWithChecking(null);
        c.peer().send("buffered");
        c.peer().shutdownOutput();
        await().until(() -> c.state().readStatus() == IoStatus.EOF);

        assertThat(c.state().bufferedDataLength()).isEqualTo(8);
        byte[] out = new byte[16];
        int n = c.state().getBufferedData(out);
        assertThat(text(out, 0, n)).isEqualTo("buffered");
    }

    @Test
    void anAbortedNullCallbackReadLeavesItsInputToTheNextRead() throws Exception {
        Connection c = connect();
        c.state().readWithChecking(null);
        c.peer().send("early");
        await().until(() -> c.state().bufferedDataLength() == 5);

        CallRecorder aborted = new CallRecorder();
        c.state().abort(Direction.INPUT, aborted);
        Call abort = aborted.next();
        assertThat(abort.text()).as("the abort callback sees the buffered input").isEqualTo("early");

        CallRecorder read = new CallRecorder();
        c.state().readBuffer(new byte[8], read);
        c.peer().send("!!!");
        assertThat(read.next().text()).isEqualTo("early!!!");
    }
}
