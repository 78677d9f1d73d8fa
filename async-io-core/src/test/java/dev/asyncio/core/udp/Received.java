package dev.asyncio.core.udp;

import dev.asyncio.core.AsyncIoState;
import dev.asyncio.core.IoStatus;
import dev.asyncio.core.OperationOptions;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * The arguments a receive callback got, with the status and failure it saw, so that a test thread can assert on a
 * datagram that arrived on the loop thread.
 */
record Received(byte[] buffer, int count, InetSocketAddress sender, IoStatus status, Throwable failure) {

    /** @return the {@code count} bytes received at {@code start} of the buffer, as UTF-8 */
    String text(int start) {
        return new String(buffer, start, count, StandardCharsets.UTF_8);
    }

    /**
     * Starts a receive that asks for the sender's address (LispWorks {@code :needs-address t}).
     *
     * @return completed with what the receive's callback got
     */
    static CompletableFuture<Received> receive(AsyncIoState state, byte[] buffer, int start, int end,
                                               OperationOptions options) {
        CompletableFuture<Received> got = new CompletableFuture<>();
        state.receiveMessage(buffer, start, end, (s, b, n, from) ->
                got.complete(new Received(b, n, from, s.readStatus(), s.readFailure())), options);
        return got;
    }
}
