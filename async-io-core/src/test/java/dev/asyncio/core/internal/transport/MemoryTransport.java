package dev.asyncio.core.internal.transport;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * One end of an in-memory byte pipe, as the transport below TLS: what one end writes the other reads, at most
 * {@code maxChunk} bytes per read, so a TLS record can be made to arrive in pieces.
 */
final class MemoryTransport implements Transport {
    private final ArrayDeque<Byte> inbound = new ArrayDeque<>();
    private MemoryTransport peer;
    private boolean inboundEnded;
    int maxChunk = Integer.MAX_VALUE;
    int reads;

    static MemoryTransport[] pair() {
        MemoryTransport a = new MemoryTransport();
        MemoryTransport b = new MemoryTransport();
        a.peer = b;
        b.peer = a;
        return new MemoryTransport[] {a, b};
    }

    @Override
    public int read(ByteBuffer dst) {
        reads++;
        if (inbound.isEmpty()) {
            return inboundEnded ? -1 : 0;
        }
        int n = 0;
        while (!inbound.isEmpty() && dst.hasRemaining() && n < maxChunk) {
            dst.put(inbound.poll());
            n++;
        }
        return n;
    }

    @Override
    public int write(ByteBuffer src) {
        int n = src.remaining();
        while (src.hasRemaining()) {
            peer.inbound.add(src.get());
        }
        return n;
    }

    @Override
    public void shutdownOutput() {
        peer.inboundEnded = true;
    }

    @Override
    public void shutdownInput() {
        inboundEnded = true;
        inbound.clear();
    }

    /** @return bytes written by the peer and not read yet */
    int available() {
        return inbound.size();
    }
}
