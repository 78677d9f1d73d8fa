package dev.asyncio.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.Socket;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

/**
 * A handle's listing ({@link AcceptingHandle#states()}) may be read from any thread while connections arrive, and
 * every state it hands out is whole. A state used to be listed from inside its own construction, before it stored
 * its engine: another thread that called one of its methods right then failed with a NullPointerException (seen as
 * a rare failure of {@code HandshakeLimitTest}, which polls the listing).
 */
class StatesListingRaceTest extends LoopTestSupport {

    private static final int CONNECTIONS = 400;

    @Test
    void everyListedStateIsUsableWhileConnectionsArrive() throws Exception {
        AcceptingHandle h = collection.acceptTcpConnections(0, (hd, s) -> { },
                AcceptOptions.builder().address("127.0.0.1").build());
        track(h::close);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicBoolean done = new AtomicBoolean();
        Thread lister = new Thread(() -> {
            try {
                while (!done.get() && failure.get() == null) {
                    for (AsyncIoState s : h.states()) {
                        s.isOpen();
                    }
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "states lister");
        lister.start();
        try {
            for (int i = 0; i < CONNECTIONS && failure.get() == null; i++) {
                track(new Socket(LOOPBACK, h.localPort()));
            }
            await().until(() -> h.connectionCount() == CONNECTIONS || failure.get() != null);
        } finally {
            done.set(true);
            lister.join(WAIT.toMillis());
        }
        assertThat(failure.get()).as("a listed state failed").isNull();
    }
}
