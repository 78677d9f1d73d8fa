package dev.asyncio.sample.kv;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.asyncio.core.AcceptOptions;
import dev.asyncio.core.AcceptingHandle;
import dev.asyncio.core.WaitStateCollection;
import dev.asyncio.sample.kv.resp.RespLimits;
import dev.asyncio.sample.testing.RespClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Unfinished requests of all clients together are bounded: clients that start large requests and never finish them
 * cannot run the server out of heap; the one that would exceed the budget gets an error and is closed, and the
 * others (and new clients) go on.
 */
class PendingRequestBudgetTest {

    /** 1 MiB values, 16 MiB per request, but only 3 MiB of unfinished requests in all. */
    private static final KvSettings SMALL_BUDGET = new KvSettings(RespLimits.DEFAULTS, 4L * 1024 * 1024,
            64L * 1024 * 1024, Duration.ofMillis(100), 1000, Duration.ofSeconds(5), 3L * 1024 * 1024);

    private WaitStateCollection collection;
    private KvConnectionFunction kv;

    @AfterEach
    void stop() throws Exception {
        if (kv != null) {
            kv.close();
        }
        if (collection != null) {
            collection.close();
        }
    }

    @Test
    void theClientThatWouldExceedTheBudgetIsRefusedAndTheOthersGoOn() throws Exception {
        collection = WaitStateCollection.createAndRun("kv-budget");
        kv = new KvConnectionFunction(SMALL_BUDGET);
        AcceptingHandle handle = collection.acceptTcpConnections(0, kv, AcceptOptions.builder()
                .address("127.0.0.1").handleName("kv").queueOutput(true).build());
        byte[] mib = "x".repeat(1024 * 1024).getBytes();
        List<RespClient> holders = new ArrayList<>();
        // Each client starts a 3-argument SET whose value is 1 MiB and never sends the rest.
        Object refused = null;
        for (int i = 0; i < 5 && refused == null; i++) {
            RespClient c = new RespClient(handle.localPort());
            holders.add(c);
            c.send("*4\r\n$3\r\nSET\r\n$1\r\nk\r\n$" + mib.length + "\r\n");
            c.send(mib);
            c.send("\r\n");
            // A PING from a fresh client is the barrier: by its answer, the loop has taken the bytes above in.
            try (RespClient probe = new RespClient(handle.localPort())) {
                assertThat(probe.call("PING")).isEqualTo("PONG");
            }
            c.socket().setSoTimeout(200);
            try {
                refused = c.read();
            } catch (java.net.SocketTimeoutException stillHeld) {
                // held within the budget: no answer yet, as for any unfinished request
            }
        }
        assertThat(refused).isInstanceOf(RespClient.Error.class);
        assertThat(((RespClient.Error) refused).message()).contains("unfinished requests");
        assertThat(holders.size()).as("clients held before one was refused").isBetween(3, 5);
        try (RespClient fresh = new RespClient(handle.localPort())) {
            assertThat(fresh.call("SET", "a", "b")).isEqualTo("OK");
        }
        for (RespClient c : holders) {
            c.close();
        }
    }
}
