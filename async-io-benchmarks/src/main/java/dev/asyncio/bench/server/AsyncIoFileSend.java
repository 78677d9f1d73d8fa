package dev.asyncio.bench.server;

import dev.asyncio.core.AsyncIoState;
import dev.asyncio.core.FileSendCallback;
import dev.asyncio.core.IoStatus;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The file server's async-io handler on the zero-copy path: opens the file for the connection and sends it whole with
 * {@link AsyncIoState#sendFile} ({@code FileChannel.transferTo} on plain TCP, chunked through the engine over TLS),
 * in pieces of at most {@code maxChunk} bytes because one call takes at most {@link Integer#MAX_VALUE}. Once the last
 * piece is out it closes the file and {@linkplain AsyncIoState#closeGracefully closes gracefully}: the output is shut
 * down, so the client reads to EOF, and the state closes when the client does. Loop thread only; any write failure
 * closes the state and the file.
 */
public final class AsyncIoFileSend {

    /** The largest piece the benchmark hands to one {@code sendFile} call: 1 GiB, so a 1 GiB file is one call. */
    public static final long MAX_CHUNK = 1L << 30;

    private static final FileSendCallback SENT = (state, file, count) ->
            ((AsyncIoFileSend) state.userInfo()).sent(state, count);

    private final FileChannel file;
    private final long size;
    private final long maxChunk;
    private long position;

    private AsyncIoFileSend(FileChannel file, long size, long maxChunk) {
        this.file = file;
        this.size = size;
        this.maxChunk = maxChunk;
    }

    /**
     * Starts sending {@code path} on {@code state}; use as (part of) a connection function. Takes over the state's
     * {@code userInfo}.
     *
     * @param state a TCP state (TLS or not) whose options have {@code queueOutput} on
     * @param path the file to send
     * @param maxChunk the most one {@code sendFile} call sends, 1 to {@link Integer#MAX_VALUE}
     */
    public static void start(AsyncIoState state, Path path, long maxChunk) {
        SentFile f = SentFile.openFor(state, path);
        if (f == null) {
            return;
        }
        AsyncIoFileSend send = new AsyncIoFileSend(f.channel(), f.size(), maxChunk);
        state.setUserInfo(send);
        send.next(state);
    }

    private void next(AsyncIoState state) {
        if (position == size) {
            closeFile();
            state.closeGracefully(Duration.ofSeconds(30), null);
            return;
        }
        state.sendFile(file, position, Math.min(maxChunk, size - position), SENT);
    }

    private void sent(AsyncIoState state, long count) {
        position += count;
        if (state.writeStatus() != IoStatus.OK) {
            closeFile();
            state.close();
            return;
        }
        next(state);
    }

    private void closeFile() {
        try {
            file.close();
        } catch (IOException e) {
            // a read-only file: nothing can be lost by a failed close
        }
    }
}
