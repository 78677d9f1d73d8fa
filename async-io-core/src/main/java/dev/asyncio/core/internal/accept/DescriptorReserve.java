package dev.asyncio.core.internal.accept;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One spare file descriptor kept open for the whole process (a read-only channel on {@code /dev/null}), so that a
 * handle whose {@code accept} fails for lack of descriptors (EMFILE, ENFILE) can still take the waiting connections
 * off its listen backlog and reset them, instead of leaving them to hang until their own timeout while the listening
 * socket stays readable (libuv's "EMFILE trick"). Shared by every handle: the release, the accepts and the
 * re-opening happen under this object's lock, so two loops never race for the one freed descriptor.
 *
 * <p>Turned off with the system property {@code asyncio.accept.descriptor-reserve=false}; where {@code /dev/null}
 * does not exist (Windows) there is no reserve. Without one, a failing accept only backs off.
 */
final class DescriptorReserve {

    /** The process's reserve. */
    static final DescriptorReserve PROCESS = new DescriptorReserve(Path.of("/dev/null"),
            !"false".equalsIgnoreCase(System.getProperty("asyncio.accept.descriptor-reserve", "true")));

    /** What to do with each connection accepted with the reserve's descriptor: reset it at once. */
    interface Refuser {
        void refuse(SocketChannel channel);
    }

    private final Path path;
    private final boolean enabled;
    private FileChannel spare;

    DescriptorReserve(Path path, boolean enabled) {
        this.path = path;
        this.enabled = enabled;
    }

    /**
     * Opens the spare descriptor unless it is held already; a failure (out of descriptors now, no such file) leaves
     * the reserve empty until the next call.
     *
     * @return whether the reserve holds its descriptor now
     */
    synchronized boolean ensureHeld() {
        if (spare == null && enabled) {
            try {
                spare = FileChannel.open(path, StandardOpenOption.READ);
            } catch (IOException | RuntimeException unavailable) {
                // Out of descriptors, or no such file here: retried when accepting works again.
            }
        }
        return spare != null;
    }

    /** @return whether the spare descriptor is open now */
    synchronized boolean held() {
        return spare != null;
    }

    /**
     * Frees the spare descriptor, accepts up to {@code max} waiting connections and hands each to {@code refuser}
     * (which must close it), then opens the spare again.
     *
     * @param server the listening socket whose accept just failed
     * @param max the most connections to take off the backlog now
     * @param refuser closes each accepted connection
     * @return connections refused; -1 if there was no spare descriptor, or accepting failed even with it
     */
    synchronized int refuseWaiting(ServerSocketChannel server, int max, Refuser refuser) {
        if (spare == null) {
            return -1;
        }
        closeSpare();
        int refused = 0;
        try {
            while (refused < max) {
                SocketChannel ch = server.accept();
                if (ch == null) {
                    break;
                }
                refuser.refuse(ch);
                refused++;
            }
        } catch (IOException | RuntimeException stillFailing) {
            // Not (only) a lack of descriptors: the caller backs off as without a reserve.
            if (refused == 0) {
                refused = -1;
            }
        } finally {
            ensureHeld();
        }
        return refused;
    }

    private void closeSpare() {
        FileChannel s = spare;
        spare = null;
        try {
            s.close();
        } catch (IOException ignored) {
            // The descriptor is released even when close reports an error.
        }
    }
}
