package dev.asyncio.core.internal.loop;

import java.io.IOException;
import java.nio.channels.Selector;

/**
 * The service a native transport module provides (found with {@link java.util.ServiceLoader}): a {@link Selector}
 * that the event loop uses instead of the JDK's. The channels stay the JDK's own NIO channels, so TLS, UDP, Unix
 * sockets, file sends, socket options and closing are unchanged; only how the loop waits for them differs. Not API:
 * the {@code async-io-native} module implements it.
 */
public interface PollerProvider {

    /** @return the transport's short name, as the start-up log and the endpoint show it (for example "epoll") */
    String name();

    /**
     * Checked once per process; must not throw.
     *
     * @param forced whether the user asked for the native transport explicitly (a forced choice may accept what
     *               automatic selection avoids, such as the JVM's warning about native access)
     * @return why this transport cannot run in this JVM and OS, or {@code null} if it can
     */
    String unavailableReason(boolean forced);

    /**
     * @return a new selector; closing it releases everything it holds
     * @throws IOException if the OS refuses one (out of descriptors)
     */
    Selector openSelector() throws IOException;

    /**
     * @return a new reader and writer of direct buffers for the sockets of one loop, or {@code null} to leave
     *         reads and writes to the NIO channels
     */
    default DirectSocketIo socketIo() {
        return null;
    }
}
