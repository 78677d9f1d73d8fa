package dev.asyncio.core.internal.loop;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * Reads and writes of a connected stream socket that a native transport makes itself, on the channel's descriptor,
 * instead of through {@link SocketChannel#read}/{@link SocketChannel#write} (their locks, blocking bookkeeping and
 * state checks cost more than the system call on a loop that serves many small messages). Same contract as those
 * methods for non-blocking channels: bytes moved, 0 when the socket has no room or no data, -1 at end of input,
 * {@link java.nio.channels.ClosedChannelException} on a closed channel. Heap buffers go through the channel.
 *
 * <p>One instance per loop; loop thread, between two selects, while the channel is registered with the loop (the
 * JDK closes the descriptor of a registered channel only once a select has deregistered it, on the loop thread,
 * so the descriptor cannot be reused under a read).
 */
public interface DirectSocketIo {

    /**
     * @param channel a connected, non-blocking socket registered with the calling loop
     * @param dst where the bytes go
     * @return bytes read, 0, or -1 at end of input
     * @throws IOException as {@link SocketChannel#read(ByteBuffer)}
     */
    int read(SocketChannel channel, ByteBuffer dst) throws IOException;

    /**
     * @param channel a connected, non-blocking socket registered with the calling loop
     * @param src what to write
     * @return bytes written, or 0 when the socket buffer is full
     * @throws IOException as {@link SocketChannel#write(ByteBuffer)}
     */
    int write(SocketChannel channel, ByteBuffer src) throws IOException;
}
