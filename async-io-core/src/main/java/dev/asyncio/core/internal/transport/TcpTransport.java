package dev.asyncio.core.internal.transport;

import dev.asyncio.core.internal.loop.DirectSocketIo;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;

/** Plain TCP: reads and writes go straight to the socket. */
public class TcpTransport implements Transport {
    /** The socket. */
    protected final SocketChannel channel;

    /** @param channel the connected socket */
    public TcpTransport(SocketChannel channel) {
        this.channel = channel;
    }

    /**
     * @param channel the connected socket
     * @param io the native transport's reads and writes of direct buffers, or {@code null} for the channel's own
     * @return the transport for {@code channel}: a {@link DirectTcpTransport} with {@code io}, else a plain one (so
     *         that a state on NIO holds nothing more than before)
     */
    public static TcpTransport of(SocketChannel channel, DirectSocketIo io) {
        return io == null ? new TcpTransport(channel) : new DirectTcpTransport(channel, io);
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
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        return channel.write(srcs, offset, length);
    }

    @Override
    public boolean transfersFiles() {
        return true;
    }

    @Override
    public long transferFrom(FileChannel file, long position, long count) throws IOException {
        return file.transferTo(position, count, channel);
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
