package dev.asyncio.nativeio.internal;

import dev.asyncio.core.internal.loop.DirectSocketIo;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;

/**
 * {@code read(2)} and {@code write(2)} on a socket's descriptor for direct buffers, through the foreign-function
 * API: what {@code SocketChannelImpl} does for them, without its read/write locks, its blocking bookkeeping and its
 * state lock. One per loop: {@code errno} is captured into a segment of the loop thread's (another thread gets a
 * segment of its own per call). The safety argument (the descriptor cannot be closed and reused under a read) is on
 * {@link DirectSocketIo}.
 */
final class NativeSocketIo implements DirectSocketIo {

    private static final int EBADF = 9;
    private static final int EPIPE = 32;
    private static final int ECONNRESET = 104;
    private static final int ETIMEDOUT = 110;

    private final MemorySegment errno = Linux.errnoSegment(Arena.ofAuto());
    private volatile Thread owner;
    /**
     * The last buffer read into and written from, and their addresses: the loop reads into and writes from the
     * same two direct buffers over and over, and {@code MemorySegment.ofBuffer} costs a scope lookup per call.
     * Holding them keeps them alive, so the addresses stay valid. Loop thread (another thread does not cache).
     */
    private ByteBuffer readBuf;
    private long readBase;
    private ByteBuffer writeBuf;
    private long writeBase;

    @Override
    public int read(SocketChannel channel, ByteBuffer dst) throws IOException {
        int rem = dst.remaining();
        if (!channel.isOpen()) {
            throw new ClosedChannelException();
        }
        if (rem == 0) {
            return 0;
        }
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("Read-only buffer");
        }
        int fd = NioInternals.fd(channel);
        MemorySegment capture = capture();
        MemorySegment buf;
        if (capture == errno) {
            if (dst != readBuf) {
                readBase = baseAddress(dst);
                readBuf = dst;
            }
            buf = MemorySegment.ofAddress(readBase + dst.position());
        } else {
            buf = MemorySegment.ofBuffer(dst); // from the position, remaining() long
        }
        while (true) {
            long n = Linux.read(capture, fd, buf, rem);
            if (n > 0) {
                dst.position(dst.position() + (int) n);
                return (int) n;
            }
            if (n == 0) {
                return -1;
            }
            int e = Linux.errno(capture);
            if (e == Linux.EAGAIN) {
                return 0;
            }
            if (e != Linux.EINTR) {
                throw failure(channel, e, "read");
            }
        }
    }

    @Override
    public int write(SocketChannel channel, ByteBuffer src) throws IOException {
        int rem = src.remaining();
        if (!channel.isOpen()) {
            throw new ClosedChannelException();
        }
        if (rem == 0) {
            return 0;
        }
        int fd = NioInternals.fd(channel);
        MemorySegment capture = capture();
        MemorySegment buf;
        if (capture == errno) {
            if (src != writeBuf) {
                writeBase = baseAddress(src);
                writeBuf = src;
            }
            buf = MemorySegment.ofAddress(writeBase + src.position());
        } else {
            buf = MemorySegment.ofBuffer(src);
        }
        while (true) {
            long n = Linux.writeCapturing(capture, fd, buf, rem);
            if (n >= 0) {
                src.position(src.position() + (int) n);
                return (int) n;
            }
            int e = Linux.errno(capture);
            if (e == Linux.EAGAIN) {
                return 0;
            }
            if (e != Linux.EINTR) {
                throw failure(channel, e, "write");
            }
        }
    }

    /** @return the address of {@code b}'s element 0 */
    private static long baseAddress(ByteBuffer b) {
        return MemorySegment.ofBuffer(b).address() - b.position();
    }

    private MemorySegment capture() {
        Thread t = Thread.currentThread();
        Thread o = owner;
        if (o == t) {
            return errno;
        }
        if (o == null) {
            owner = t; // the loop thread, on its first read or write
            return errno;
        }
        return Linux.errnoSegment(Arena.ofAuto());
    }

    /** The exceptions NIO throws for the same errors, so that statuses and logs read the same on both transports. */
    private static IOException failure(SocketChannel channel, int errno, String op) {
        return switch (errno) {
            case ECONNRESET -> new SocketException("Connection reset");
            case EPIPE -> new SocketException("Broken pipe");
            case ETIMEDOUT -> new SocketException("Connection timed out");
            case EBADF -> new ClosedChannelException();
            default -> channel.isOpen() ? new IOException(op + " failed, errno " + errno)
                    : new ClosedChannelException();
        };
    }
}
