package dev.asyncio.bench.server;

import dev.asyncio.core.AsyncIoState;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The benchmark file opened for one connection of the file server, with its size read once.
 *
 * @param channel the file, open for reading
 * @param size its size in bytes
 */
record SentFile(FileChannel channel, long size) {

    /**
     * Opens {@code path} for {@code state}; a file that cannot be opened closes the state (and says why on stderr).
     *
     * @param state the connection that is to get the file
     * @param path the file
     * @return the opened file, or {@code null} when the state was closed instead
     */
    static SentFile openFor(AsyncIoState state, Path path) {
        try {
            FileChannel file = FileChannel.open(path, StandardOpenOption.READ);
            return new SentFile(file, file.size());
        } catch (IOException e) {
            System.err.println("file server: cannot open " + path + ": " + e);
            state.close();
            return null;
        }
    }
}
