package dev.asyncio.bench.load;

import dev.asyncio.bench.server.AsyncIoEcho;
import dev.asyncio.bench.server.EchoBufferPool;
import org.junit.jupiter.api.Test;

/**
 * The async-io echo handler returns every byte in order under each load shape the benchmark uses: single and
 * pipelined messages, bulk streaming (which fills the writes in flight and exercises the pause/resume path), churn.
 */
class AsyncIoEchoTest {

    @Test
    void echoesEveryByteUnderEveryScenario() throws Exception {
        EchoBufferPool pool = new EchoBufferPool();
        try (EchoScenarioRunner runner = new EchoScenarioRunner("echo-test",
                (h, state) -> AsyncIoEcho.start(state, pool))) {
            runner.runAll(mode -> { });
        }
    }
}
