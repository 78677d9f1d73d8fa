package dev.asyncio.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncio.bench.server.AsyncIoEcho;
import dev.asyncio.bench.server.EchoBufferPool;
import dev.asyncio.core.AcceptOptions;
import dev.asyncio.core.AcceptingHandle;
import dev.asyncio.core.WaitStateCollection;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The async-io echo handler returns every byte in order under each load shape the benchmark uses: single and
 * pipelined messages, bulk streaming (which fills both output arrays and exercises the pause/resume path), churn.
 */
class AsyncIoEchoTest {

    private WaitStateCollection collection;
    private AcceptingHandle handle;

    @BeforeEach
    void start() {
        collection = WaitStateCollection.builder("echo-test").daemon(true).createAndRun();
        EchoBufferPool pool = new EchoBufferPool();
        handle = collection.acceptTcpConnections(0, (h, state) -> AsyncIoEcho.start(state, pool),
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
        }
    }
}
