package dev.asyncio.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncio.bench.server.AsyncIoDirectEcho;
import dev.asyncio.bench.server.AsyncIoEcho;
import org.junit.jupiter.api.Test;

/**
 * The direct-buffer echo handler returns every byte in order under each load shape the benchmark uses, and allocates
 * no more buffers than it has in flight.
 */
class AsyncIoDirectEchoTest {

    @Test
    void echoesEveryByteUnderEveryScenario() throws Exception {
        try (EchoScenarioRunner runner = new EchoScenarioRunner("direct-echo-test",
                (h, state) -> AsyncIoDirectEcho.start(state))) {
            runner.runAll(mode -> {
                if (mode.startsWith("stream")) {
                    // Up to WRITES_IN_FLIGHT writes and one read per connection hold a buffer, for the 2
                    // connections. (Churn closes connections with writes in flight: those buffers go to the
                    // garbage collector, so the count is only bounded before it.)
                    assertThat(runner.collection().bufferPool().allocated())
                            .isLessThanOrEqualTo((AsyncIoEcho.WRITES_IN_FLIGHT + 1L) * 2);
                }
            });
        }
    }
}
