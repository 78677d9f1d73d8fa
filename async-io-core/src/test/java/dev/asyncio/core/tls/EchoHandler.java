package dev.asyncio.core.tls;

import dev.asyncio.core.AsyncIoState;
import dev.asyncio.core.ConnectionFunction;
import dev.asyncio.core.IoStatus;
import java.util.Arrays;

/**
 * Echoes everything a state reads, with the LispWorks framed-reading pattern: a read-with-checking that stays active
 * for the whole connection, copying and discarding what arrived; at EOF the state closes after its output is written.
 * The state must queue output.
 */
final class EchoHandler {

    private EchoHandler() {
    }

    /** @return a connection function that echoes on every accepted state */
    static ConnectionFunction connectionFunction() {
        return (handle, state) -> start(state);
    }

    /** Starts echoing on {@code state}. */
    static void start(AsyncIoState state) {
        state.readWithChecking((s, buf, end) -> {
            if (end > 0) {
                byte[] copy = Arrays.copyOf(buf, end);
                s.discard(end);
                s.writeBuffer(copy, null);
            }
            if (s.readStatus() != IoStatus.OK) {
                s.closeGracefully(null, null);
            }
        });
    }
}
