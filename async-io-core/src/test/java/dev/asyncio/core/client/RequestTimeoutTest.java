package dev.asyncio.core.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** Reply timeouts, late replies and frames with no request: no reply ever reaches the wrong request. */
class RequestTimeoutTest extends ClientTestSupport {

    @Test
    void byDefaultATimeoutClosesTheConnectionAndFailsWhatIsBehindIt() throws Exception {
        LineServer server = server("close");
        Recorder recorder = new Recorder();
        AsyncIoClient c = client("close", lines(server.address()).requestTimeout(Duration.ofMillis(200))
                .listener(recorder).build()).start();
        await().until(() -> c.state() == ClientState.CONNECTED);

        CompletableFuture<byte[]> silent = c.request(bytes("silent"));
        CompletableFuture<byte[]> behind = c.request(bytes("hold-behind"));
        ClientException timeout = failure(silent);
        assertThat(timeout.kind()).isEqualTo(ClientException.Kind.REQUEST_TIMEOUT);
        assertThat(timeout.getMessage()).contains("requestTimeout");
        ClientException lost = failure(behind);
        assertThat(lost.kind()).as("a request behind a timeout may be answered out of place: it fails")
                .isIn(ClientException.Kind.CONNECTION_LOST, ClientException.Kind.REQUEST_TIMEOUT);

        await().until(() -> c.state() == ClientState.CONNECTED && c.statistics().connects() == 2);
        assertThat(ask(c, "fresh")).isEqualTo("fresh");
        assertThat(c.statistics().requestTimeouts()).isGreaterThanOrEqualTo(1);
        assertThat(recorder.events).anyMatch(e -> e.startsWith("disconnected") && !e.endsWith("planned"));
    }

    @Test
    void keptConnectionsGiveTheLateReplyToTheHookNeverToTheNextRequest() throws Exception {
        LineServer server = server("keep");
        Recorder recorder = new Recorder();
        List<String> late = new CopyOnWriteArrayList<>();
        AsyncIoClient c = client("keep", lines(server.address()).requestTimeout(Duration.ofMillis(200))
                .requestTimeoutAction(RequestTimeoutAction.KEEP_CONNECTION).listener(recorder)
                .unsolicitedFrameHandler((conn, frame, isLate) -> {
                    byte[] b = new byte[frame.remaining()];
                    frame.get(b);
                    late.add((isLate ? "late " : "unsolicited ") + text(b));
                }).build()).start();
        await().until(() -> c.state() == ClientState.CONNECTED);

        CompletableFuture<byte[]> slow = c.request(bytes("hold-slow"));
        assertThat(failure(slow).kind()).isEqualTo(ClientException.Kind.REQUEST_TIMEOUT);
        // Sent after the timeout: the server answers it after the slow one.
        CompletableFuture<byte[]> next = c.request(bytes("next"));
        await().until(() -> server.heldCount() == 2);
        server.releaseHeld();

        assertThat(text(next.get(10, TimeUnit.SECONDS))).isEqualTo("next");
        await().until(() -> late.size() == 1);
        assertThat(late).containsExactly("late hold-slow");
        assertThat(c.statistics().lateReplies()).isEqualTo(1);
        assertThat(c.statistics().connects()).as("the connection was kept").isEqualTo(1);
        assertThat(recorder.events).contains("late");
    }

    @Test
    void aFrameWithNoRequestGoesToTheHook() throws Exception {
        LineServer server = server("dup");
        List<String> seen = new CopyOnWriteArrayList<>();
        AsyncIoClient c = client("dup", lines(server.address()).unsolicitedFrameHandler((conn, frame, isLate) -> {
            byte[] b = new byte[frame.remaining()];
            frame.get(b);
            seen.add((isLate ? "late " : "unsolicited ") + text(b) + " on " + conn.address().port());
        }).build()).start();
        await().until(() -> c.state() == ClientState.CONNECTED);

        assertThat(ask(c, "dup-1")).isEqualTo("dup-1");
        await().until(() -> seen.size() == 1);
        assertThat(seen).containsExactly("unsolicited dup-1 on " + server.port());
        assertThat(c.statistics().unsolicitedFrames()).isEqualTo(1);
    }
}
