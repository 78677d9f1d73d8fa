package dev.asyncio.core.testing;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;

/** Fills the listen backlog of a Unix socket server that never accepts: the state a full-backlog probe must see. */
public final class UnixBacklog {

    private UnixBacklog() {
    }

    /**
     * Connects without blocking until the kernel refuses more.
     *
     * @param path the server's socket file
     * @param queued gets every connection that was queued (the caller closes them)
     * @throws IOException if a channel cannot be opened
     * @throws AssertionError if the backlog takes 1,000 connections and is still not full
     */
    public static void fill(Path path, List<SocketChannel> queued) throws IOException {
        for (int i = 0; i < 1000; i++) {
            SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
            c.configureBlocking(false);
            try {
                c.connect(UnixDomainSocketAddress.of(path));
                queued.add(c);
            } catch (IOException full) {
                c.close();
                return;
            }
        }
        throw new AssertionError("the backlog never filled up");
    }
}
