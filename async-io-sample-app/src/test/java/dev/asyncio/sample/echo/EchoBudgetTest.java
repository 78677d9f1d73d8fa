package dev.asyncio.sample.echo;

import dev.asyncio.core.AcceptOptions;
import dev.asyncio.core.AcceptingHandle;
import dev.asyncio.core.MemoryBudget;
import dev.asyncio.core.WaitStateCollection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * When the memory budget refuses an echo's write (the peer reads nothing back), the echo closes that connection
 * quietly: it is no callback failure, so nothing floods the log.
 */
class EchoBudgetTest {

    private WaitStateCollection collection;

    @AfterEach
    void stop() {
        collection.close();
    }

    @Test
    void aPeerThatNeverReadsIsClosedWhenTheBudgetRefusesItsEcho() throws Exception {
        MemoryBudget budget = MemoryBudget.of("tiny", 192 * 1024, 256 * 1024);
        collection = WaitStateCollection.builder("echo-budget").memoryBudget(budget).daemon(true).createAndRun();
        AcceptingHandle handle = collection.acceptTcpConnections(0, new EchoConnectionFunction(Duration.ofSeconds(5)),
                AcceptOptions.builder().address("127.0.0.1").queueOutput(true).build());
        java.util.List<Socket> greedy = new java.util.ArrayList<>();
        try {
            for (int c = 0; c < 8; c++) {
                Socket peer = new Socket(InetAddress.getLoopbackAddress(), handle.localPort());
                peer.setReceiveBufferSize(4096);
                greedy.add(peer);
                OutputStream out = peer.getOutputStream();
                Thread writer = new Thread(() -> {
                    byte[] chunk = new byte[64 * 1024];
                    try {
                        for (int i = 0; i < 200; i++) {
                            out.write(chunk);
                        }
                    } catch (Exception closedByTheServer) {
                        // Expected once the echo gives up on this peer.
                    }
                });
                writer.setDaemon(true);
                writer.start();
            }
            // Together the eight hold more than the budget: writes are refused, and the echo closes those peers.
            await().atMost(20, TimeUnit.SECONDS).until(() -> handle.connectionCount() < 8
                    && handle.statistics().accepted() == 8);
            assertThat(collection.statistics().callbackFailures()).isZero();
            assertThat(budget.statistics().refusedWrites()).isPositive();
            assertThat(budget.used()).isLessThanOrEqualTo(budget.hardLimit());
        } finally {
            for (Socket peer : greedy) {
                peer.close();
            }
        }
    }
}
