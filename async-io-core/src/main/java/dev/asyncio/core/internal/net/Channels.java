package dev.asyncio.core.internal.net;

import java.io.IOException;
import java.nio.channels.Channel;

/** Closing sockets best effort, for every package that opens them (binding, accepting, states). Any thread. */
public final class Channels {

    private Channels() {
    }

    /** @param channel closed, best effort: the descriptor is released either way; {@code null} is ignored */
    public static void closeQuietly(Channel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException | RuntimeException ignored) {
            // Closing is best effort.
        }
    }
}
