package dev.asyncio.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * What follows a write that failed or timed out: a write started from its callback is a fresh write that really
 * goes out, and states over sockets that are not connected are refused up front.
 */
class WriteRecoveryTest extends LoopTestSupport {

    @Test
    void aWriteStartedFromATimedOutWritesCallbackIsWrittenForReal() throws Exception {
        Connection c = connect(collection, StateOptions.builder().writeTimeout(Duration.ofMillis(200)).build(),
                64 * 1024);
        byte[] big = new byte[8 << 20];
        byte[] retry = "retry".getBytes();
        CompletableFuture<String> first = new CompletableFuture<>();
        CompletableFuture<String> second = new CompletableFuture<>();
        c.state().writeBuffer(big, 0, big.length, (s, b, n) -> {
            first.complete(s.writeStatus() + " " + (n < big.length));
            s.writeBuffer(retry, 0, retry.length, (s2, b2, n2) -> second.complete(s2.writeStatus() + " " + n2));
        });
        // The peer reads nothing until the first write timed out...
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("TIMEOUT true");
        // ...then everything: the retry must then complete with all its bytes, not be reported done unwritten.
        Thread reader = new Thread(() -> {
            try (InputStream in = c.peer().socket().getInputStream()) {
                byte[] sink = new byte[64 * 1024];
                while (in.read(sink) >= 0) {
                    // discard
                }
            } catch (Exception closed) {
                // the test is over
            }
        }, "peer-reader");
        reader.setDaemon(true);
        reader.start();
        assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo("OK 5");
    }

    @Test
    void createStateRefusesASocketThatIsNotConnected() throws Exception {
        SocketChannel unconnected = track(SocketChannel.open());
        assertThatThrownBy(() -> collection.createState(unconnected))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("connected");
    }
}
