package dev.asyncio.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncio.bench.server.AsyncIoDirectEcho;
import dev.asyncio.core.AcceptOptions;
import dev.asyncio.core.AcceptingHandle;
import dev.asyncio.core.WaitStateCollection;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The direct-buffer echo handler returns every byte in order under each load shape the benchmark uses, and allocates
 * no more buffers than it has in flight.
 */
class AsyncIoDirectEchoTest {

    private WaitStateCollection collection;
    private AcceptingHandle handle;

    @BeforeEach
    void start() {
        collection = WaitStateCollection.builder("direct-echo-test").daemon(true).createAndRun();
        handle = collection.acceptTcpConnections(0, (h, state) -> AsyncIoDirectEcho.start(state),
                AcceptOptions.builder().address("127.0.0.1").queueOutput(true).initTimeout(Duration.ZERO).build());
    }

    @AfterEach
    void stop() {
        collection.close();
    }

    @Test
    void echoesEveryByteUnderEveryScenario() throws Exception {
        for (String mode : new String[] {"pingpong --conns 4", "pingpong --conns 4 --depth 16", "stream --conns 2",
            "churn --conns 4", "idle --conns 100"}) {
            LoadOptions o = LoadOptions.parse((mode + " --port " + handle.localPort() + " --warmup 0.05 --seconds 0.3")
                    .split(" "));
            Result r = switch (o.mode()) {
                case "pingpong" -> new MessageScenario(o, false).run();
                case "stream" -> new StreamScenario(o).run();
                case "churn" -> new ChurnScenario(o).run();
                default -> new IdleScenario(o).run();
            };
            assertThat(r.errors()).as(mode + ": " + r.format()).isZero();
            if (mode.startsWith("stream")) {
                // Up to WRITES_IN_FLIGHT writes and one read per connection hold a buffer, for the 2 connections.
                // (Churn closes connections with writes in flight: those buffers go to the garbage collector, so
                // the count is only bounded before it.)
                assertThat(collection.bufferPool().allocated())
                        .isLessThanOrEqualTo((dev.asyncio.bench.server.AsyncIoEcho.WRITES_IN_FLIGHT + 1L) * 2);
            }
        }
    }
}
