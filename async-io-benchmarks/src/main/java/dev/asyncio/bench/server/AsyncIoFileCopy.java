package dev.asyncio.bench.server;

import dev.asyncio.core.AsyncIoState;
import dev.asyncio.core.ByteBufferCallback;
import dev.asyncio.core.IoStatus;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The file server's yardstick handler: the same file sent through async-io's ordinary write path, so the table shows
 * what {@code sendFile}'s zero copy buys. It reads the file in {@value #CHUNK}-byte chunks into direct buffers
 * ({@code FileChannel.read}: one copy from the page cache into user space) and {@code writeBuffer}s them (the
 * buffer goes to the socket as it is: the second copy is the kernel's, into the socket). It writes a chunk only while
 * the state {@linkplain AsyncIoState#isWritable() is writable}, so at most one chunk sits above the low water mark,
 * and goes on from the writability callback or a write's callback; with its {@value #BUFFERS} buffers the memory per
 * connection is fixed. Once the last chunk is written it closes gracefully, as {@link AsyncIoFileSend} does. Loop
 * thread only; a read or write failure closes the state.
 */
public final class AsyncIoFileCopy {

    /** Bytes per chunk: large enough that the two system calls per chunk are not what the run measures. */
    static final int CHUNK = 256 * 1024;

    /** Buffers per connection: one being written, one queued behind it once the queue drains to the low mark. */
    static final int BUFFERS = 2;

    private static final ByteBufferCallback WRITTEN = (state, buffer, count) ->
            ((AsyncIoFileCopy) state.userInfo()).written(state, buffer);

    private final FileChannel file;
    private final long size;
    private final ByteBuffer[] free = new ByteBuffer[BUFFERS];
    private int freeCount;
    private long position;
    private int inFlight;
    private boolean done;

    private AsyncIoFileCopy(FileChannel file, long size) {
        this.file = file;
        this.size = size;
        for (int i = 0; i < BUFFERS; i++) {
            free[freeCount++] = ByteBuffer.allocateDirect(CHUNK);
        }
    }

    /**
     * Starts sending {@code path} on {@code state}; takes over the state's {@code userInfo} and its writability
     * callback.
     *
     * @param state a TCP state whose options have {@code queueOutput} on
     * @param path the file to send
     */
    public static void start(AsyncIoState state, Path path) {
        SentFile f = SentFile.openFor(state, path);
        if (f == null) {
            return;
        }
        AsyncIoFileCopy copy = new AsyncIoFileCopy(f.channel(), f.size());
        state.setUserInfo(copy);
        state.setWritabilityCallback(copy::pump);
        copy.pump(state);
    }

    /** Writes chunks while there are file bytes left, a free buffer and room under the high water mark. */
    private void pump(AsyncIoState state) {
        while (!done && position < size && freeCount > 0 && state.isWritable()) {
            ByteBuffer b = free[--freeCount];
            b.clear().limit((int) Math.min(CHUNK, size - position));
            try {
                while (b.hasRemaining()) {
                    if (file.read(b, position + b.position()) < 0) {
                        throw new java.io.EOFException("the file ended at " + (position + b.position()));
                    }
                }
            } catch (IOException e) {
                System.err.println("file server: reading the file failed: " + e);
                finish(state, false);
                return;
            }
            position += b.limit();
            inFlight++;
            state.writeBuffer(b.flip(), WRITTEN);
        }
        if (!done && position == size && inFlight == 0) {
            finish(state, true);
        }
    }

    private void written(AsyncIoState state, ByteBuffer buffer) {
        inFlight--;
        free[freeCount++] = buffer;
        if (state.writeStatus() != IoStatus.OK) {
            finish(state, false);
            return;
        }
        pump(state);
    }

    private void finish(AsyncIoState state, boolean ok) {
        if (done) {
            return; // a failed write fails every write queued behind it: the first one ends the connection
        }
        done = true;
        try {
            file.close();
        } catch (IOException e) {
            // a read-only file: nothing can be lost by a failed close
        }
        if (ok) {
            state.closeGracefully(Duration.ofSeconds(30), null);
        } else {
            state.close();
        }
    }
}
