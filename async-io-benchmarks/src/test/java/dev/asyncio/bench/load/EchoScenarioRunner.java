package dev.asyncio.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncio.core.AcceptOptions;
import dev.asyncio.core.AcceptingHandle;
import dev.asyncio.core.ConnectionFunction;
import dev.asyncio.core.WaitStateCollection;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Runs every load shape the benchmark uses (single and pipelined messages, bulk streaming, churn, idle) against one
 * echo handler on a collection of its own, and checks that each scenario saw no error: every echoed byte came back
 * in order. Shared by the tests of the two async-io echo handlers.
 */
final class EchoScenarioRunner implements AutoCloseable {

    private static final String[] SCENARIOS = {"pingpong --conns 4", "pingpong --conns 4 --depth 16",
        "stream --conns 2", "churn --conns 4", "idle --conns 100"};

    private final WaitStateCollection collection;
    private final AcceptingHandle handle;

    /**
     * @param name the collection's name
     * @param echo starts the echo on each accepted connection
     */
    EchoScenarioRunner(String name, ConnectionFunction echo) {
        collection = WaitStateCollection.builder(name).daemon(true).createAndRun();
        handle = collection.acceptTcpConnections(0, echo,
                AcceptOptions.builder().address("127.0.0.1").queueOutput(true).initTimeout(Duration.ZERO).build());
    }

    /** @return the collection the echo runs on */
    WaitStateCollection collection() {
        return collection;
    }

    /**
     * Runs every scenario in turn.
     *
     * @param afterEach told the scenario's mode after it passed, for checks of the handler's own
     */
    void runAll(Consumer<String> afterEach) throws Exception {
        for (String mode : SCENARIOS) {
            LoadOptions o = LoadOptions.parse((mode + " --port " + handle.localPort() + " --warmup 0.05 --seconds 0.3")
                    .split(" "));
            Result r = switch (o.mode()) {
                case "pingpong" -> new MessageScenario(o, false).run();
                case "stream" -> new StreamScenario(o).run();
                case "churn" -> new ChurnScenario(o).run();
                default -> new IdleScenario(o).run();
            };
            assertThat(r.errors()).as(mode + ": " + r.format()).isZero();
            afterEach.accept(mode);
        }
    }

    @Override
    public void close() {
        collection.close();
    }
}
