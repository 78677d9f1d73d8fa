package dev.asyncio.core.udp;

import dev.asyncio.core.AsyncIoState;
import dev.asyncio.core.IoStatus;
import dev.asyncio.core.MessageCallback;
import dev.asyncio.core.OperationOptions;
import java.util.Arrays;

/**
 * An unconnected UDP state that answers every datagram to its sender (LispWorks' UDP server pattern: receive with
 * the sender's address, reply with send-message-to-address, re-arm the receive).
 */
final class UdpEchoServer {

    private final AsyncIoState state;
    private final byte[] buffer = new byte[1500];

    private UdpEchoServer(AsyncIoState state) {
        this.state = state;
    }

    /** Starts echoing on {@code state} (an unconnected, bound UDP state) and returns it. */
    static AsyncIoState start(AsyncIoState state) {
        new UdpEchoServer(state).receive();
        return state;
    }

    private void receive() {
        MessageCallback echo = (s, b, n, from) -> {
            if (s.readStatus() == IoStatus.OK && from != null) {
                s.sendMessageToAddress(from, Arrays.copyOf(b, n), 0, n, null, OperationOptions.NONE);
            }
            if (s.isOpen()) {
                receive();
            }
        };
        state.receiveMessage(buffer, 0, buffer.length, echo);
    }
}
