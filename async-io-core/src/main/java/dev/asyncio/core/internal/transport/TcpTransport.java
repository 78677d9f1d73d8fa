package dev.asyncio.core.internal.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/** Plain TCP: reads and writes go straight to the socket. */
public final class TcpTransport implements Transport {
    private final SocketChannel channel;

    /** @param channel the connected socket */
    public TcpTransport(SocketChannel channel) {
        this.channel = channel;
    }

    /** @return the socket */
    public SocketChannel channel() {
        return channel;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return channel.read(dst);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return channel.write(src);
    }

    @Override
    public void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    @Override
    public void shutdownInput() throws IOException {
        channel.shutdownInput();
    }
}
