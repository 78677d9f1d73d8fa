package dev.asyncio.core;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The memory budget with real sockets: what states hold is charged and given back, writes past the hard mark are
 * refused, the soft mark pauses reads from the biggest holders, the hard mark closes them biggest first, and the
 * budget may be shared by collections.
 */
class MemoryBudgetTest extends LoopTestSupport {

    private static final int KB = 1024;

    private WaitStateCollection withBudget(MemoryBudget budget) {
        return track(WaitStateCollection.builder(collectionName + "-budget").memoryBudget(budget).daemon(true)
                .createAndRun());
    }

    @Test
    void aCollectionWithoutABudgetSharesTheProcessDefault() {
        assertThat(collection.memoryBudget()).isSameAs(MemoryBudget.processDefault());
        assertThat(MemoryBudget.processDefault().hardLimit())
                .isEqualTo((long) (Runtime.getRuntime().maxMemory() * MemoryBudget.DEFAULT_HEAP_FRACTION));
    }

    @Test
    void queuedOutputAndEachStateAreChargedAndGivenBackWhenClosed() throws Exception {
        MemoryBudget budget = MemoryBudget.ofBytes("t", 64L * 1024 * 1024);
        WaitStateCollection c = withBudget(budget);
        Connection conn = connect(c, StateOptions.builder().queueOutput(true).build(), 4096);
        await().atMost(10, TimeUnit.SECONDS).until(() -> budget.used() > 0);
        long idle = budget.used();
        conn.state().writeBuffer(new byte[512 * KB], null);
        await().atMost(10, TimeUnit.SECONDS).until(() -> conn.state().queuedOutput() < 512 * KB);
        assertThat(budget.used() - idle).as("the queued bytes are charged").isBetween(1L,
                512L * KB + 64);
        assertThat(budget.used() - idle).isGreaterThanOrEqualTo(conn.state().queuedOutput());

        conn.state().close();
        assertThat(budget.used()).isZero();
    }

    @Test
    void aWritePastTheHardMarkIsRefusedClearly() throws Exception {
        MemoryBudget budget = MemoryBudget.of("small", 600 * KB, 1024 * KB);
        WaitStateCollection c = withBudget(budget);
        Connection conn = connect(c, StateOptions.builder().queueOutput(true).maxQueuedOutput(64L << 20).build(),
                4096);
        conn.state().writeBuffer(new byte[900 * KB], null);

        assertThatThrownBy(() -> conn.state().writeBuffer(new byte[300 * KB], null))
                .isInstanceOf(OutputLimitExceededException.class)
                .hasMessageContaining("memory budget 'small'").hasMessageContaining("hard limit 1048576");
        assertThat(budget.statistics().refusedWrites()).isEqualTo(1);
        assertThat(conn.state().isOpen()).as("refusing a write closes nothing").isTrue();
    }

    @Test
    void overTheSoftMarkTheBiggestHolderStopsBeingReadUntilRelieved() throws Exception {
        MemoryBudget budget = MemoryBudget.of("soft", 256 * KB, 4096 * KB);
        WaitStateCollection c = withBudget(budget);
        Connection greedy = connect(c, StateOptions.builder().queueOutput(true).build(), 4096);
        Connection normal = connect(c, StateOptions.DEFAULTS, 0);
        greedy.state().writeBuffer(new byte[512 * KB], null);
        await().atMost(10, TimeUnit.SECONDS).until(() -> budget.statistics().softCrossings() == 1);

        // The greedy state is paused: what its peer sends is not read; the normal state is served.
        List<Integer> greedyRead = new ArrayList<>();
        greedy.state().readBuffer(new byte[1], (s, b, n) -> greedyRead.add(n));
        greedy.peer().send("g");
        java.util.concurrent.CompletableFuture<String> normalRead = new java.util.concurrent.CompletableFuture<>();
        normal.state().readBuffer(new byte[1], (s, b, n) -> normalRead.complete(text(b, 0, n)));
        normal.peer().send("n");
        assertThat(normalRead.get(10, TimeUnit.SECONDS)).isEqualTo("n");
        roundTrip();
        assertThat(onLoop(c, () -> greedyRead.size())).isZero();

        // The peer reads everything: usage falls, the pause ends and the byte waiting is read.
        greedy.peer().readExactly(512 * KB);
        await().atMost(10, TimeUnit.SECONDS).until(() -> onLoop(c, () -> greedyRead.size()) == 1);
    }

    @Test
    void overTheHardMarkTheBiggestHoldersAreClosedFirstAndCounted() throws Exception {
        // Soft and hard marks equal, and a sender whose bytes alone pass the hard mark: whatever sizes the reads
        // come in (the buffer doubles from the first read's size), the growth that crosses one mark crosses the
        // other. With the soft mark below, a doubling could land between the marks and only pause the reader.
        MemoryBudget budget = MemoryBudget.of("hard", 2048 * KB, 2048 * KB);
        WaitStateCollection c = withBudget(budget);
        StateOptions keepsInput = StateOptions.builder().maxBufferedInput(8 << 20).build();
        Connection small = connect(c, keepsInput, 0);
        Connection big = connect(c, keepsInput, 0);
        Connection bigger = connect(c, keepsInput, 0);
        // A read-with-checking that never discards: everything read stays buffered, charged to the budget.
        for (Connection conn : List.of(small, big, bigger)) {
            conn.state().readWithChecking((s, b, end) -> { });
        }
        small.peer().send(new byte[64 * KB]);
        await().atMost(10, TimeUnit.SECONDS).until(() -> small.state().bufferedDataLength() == 64 * KB);
        big.peer().send(new byte[300 * KB]);
        await().atMost(10, TimeUnit.SECONDS).until(() -> big.state().bufferedDataLength() == 300 * KB);
        try {
            bigger.peer().send(new byte[2100 * KB]);
        } catch (java.net.SocketException shedMidSend) {
            // The loop reads fast enough to shed the state while this send is still going: the reset ends it.
        }

        await().atMost(10, TimeUnit.SECONDS).until(() -> !bigger.state().isOpen());
        assertThat(bigger.state().readFailure()).isInstanceOf(MemoryBudgetExceededException.class)
                .hasMessageContaining("memory budget 'hard'");
        assertThat(((MemoryBudgetExceededException) bigger.state().readFailure()).reason())
                .isEqualTo(ShedReason.BUFFERED_INPUT);
        assertThat(bigger.state().readStatus()).isEqualTo(IoStatus.ERROR);
        assertThat(small.state().isOpen()).isTrue();
        assertThat(big.state().isOpen()).isTrue();
        assertThat(budget.used()).isLessThanOrEqualTo(budget.hardLimit());
        MemoryStatistics stats = budget.statistics();
        assertThat(stats.hardCrossings()).isGreaterThanOrEqualTo(1);
        assertThat(stats.shed().get(ShedReason.BUFFERED_INPUT)).isGreaterThanOrEqualTo(1);
        assertThat(bigger.peer().seesEof()).isTrue();
    }

    @Test
    void twoCollectionsMayShareOneBudget() throws Exception {
        MemoryBudget shared = MemoryBudget.ofBytes("shared", 64L << 20);
        WaitStateCollection a = withBudget(shared);
        WaitStateCollection b = track(WaitStateCollection.builder(collectionName + "-b").memoryBudget(shared)
                .daemon(true).createAndRun());
        Connection ca = connect(a, StateOptions.builder().queueOutput(true).build(), 4096);
        Connection cb = connect(b, StateOptions.builder().queueOutput(true).build(), 4096);
        ca.state().writeBuffer(new byte[300 * KB], null);
        cb.state().writeBuffer(new byte[300 * KB], null);
        await().atMost(10, TimeUnit.SECONDS).until(() -> shared.used() > 2 * 200L * KB);
        assertThat(b.memoryBudget()).isSameAs(a.memoryBudget());
        ca.state().close();
        cb.state().close();
        assertThat(shared.used()).isZero();
    }

    @Test
    void aBadBudgetIsRefusedNamingIt() {
        assertThatThrownBy(() -> MemoryBudget.of("x", 10, 5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'x'").hasMessageContaining("soft limit");
        assertThatThrownBy(() -> MemoryBudget.ofHeapFraction("y", 1.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'y'");
    }
}
