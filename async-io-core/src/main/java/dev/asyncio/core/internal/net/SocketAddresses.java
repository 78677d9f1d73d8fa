package dev.asyncio.core.internal.net;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SocketChannel;

/** The addresses of a state's socket of any family (TCP, UDP, Unix); any thread. */
public final class SocketAddresses {

    private SocketAddresses() {
    }

    /**
     * @param channel the socket
     * @return its local address, or {@code null} if unknown
     */
    public static SocketAddress local(SelectableChannel channel) {
        try {
            return channel instanceof NetworkChannel n ? n.getLocalAddress() : null;
        } catch (IOException | RuntimeException closed) {
            return null;
        }
    }

    /**
     * @param channel the socket
     * @return its peer's address, or {@code null} if unknown or unconnected
     */
    public static SocketAddress peer(SelectableChannel channel) {
        try {
            if (channel instanceof SocketChannel s) {
                return s.getRemoteAddress();
            }
            if (channel instanceof DatagramChannel d) {
                return d.getRemoteAddress();
            }
            return null;
        } catch (IOException | RuntimeException closed) {
            return null;
        }
    }
}
