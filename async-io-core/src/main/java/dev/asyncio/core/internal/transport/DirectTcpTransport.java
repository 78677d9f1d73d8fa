package dev.asyncio.core.internal.transport;

import dev.asyncio.core.internal.loop.DirectSocketIo;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * Plain TCP on a native transport: single-buffer reads and writes of direct buffers (the loop's own, on the hot
 * path) go through the loop's {@link DirectSocketIo}; gathering writes, file sends, shutdowns and heap buffers
 * through the channel, as in {@link TcpTransport}. Loop thread.
 */
final class DirectTcpTransport extends TcpTransport {
    private final DirectSocketIo io;
    /** NIO answers -1 at once after shutdownInput; the socket itself would still hand out what it had buffered. */
    private boolean inputShut;

    DirectTcpTransport(SocketChannel channel, DirectSocketIo io) {
        super(channel);
        this.io = io;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (inputShut || !dst.isDirect()) {
            return channel.read(dst);
        }
        return io.read(channel, dst);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return src.isDirect() ? io.write(channel, src) : channel.write(src);
    }

    @Override
    public void shutdownInput() throws IOException {
        super.shutdownInput();
        inputShut = true;
    }
}
