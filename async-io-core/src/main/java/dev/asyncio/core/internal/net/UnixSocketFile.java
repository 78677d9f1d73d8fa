package dev.asyncio.core.internal.net;

import dev.asyncio.core.internal.Loggers;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The socket file an accepting handle listens on, remembered by its identity (device and inode: the
 * {@linkplain BasicFileAttributes#fileKey() file key}) so that closing the handle removes that file only: if
 * someone removed it and another server bound the path meanwhile, that server's file stays. Thread-safe;
 * {@link #release()} acts once.
 *
 * <p>The comparison is sound while the handle's socket is open: a bound Unix socket holds its file's inode, so the
 * number cannot be reused by a new file. Release therefore runs before the listening socket closes.
 */
public final class UnixSocketFile {

    private final Path path;
    /** {@code null} where the file system has no file keys: then the file at the path is removed as before. */
    private final Object fileKey;
    private final AtomicBoolean released = new AtomicBoolean();

    private UnixSocketFile(Path path, Object fileKey) {
        this.path = path;
        this.fileKey = fileKey;
    }

    /**
     * Remembers the file now at {@code path}; call right after binding it.
     *
     * @param path the bound socket file
     * @return the remembered file
     */
    public static UnixSocketFile capture(Path path) {
        return new UnixSocketFile(path, keyOf(path));
    }

    /** @return the path */
    public Path path() {
        return path;
    }

    /**
     * Removes the socket file if it is still the one captured; once, best effort. After it returns the path is free
     * for a new bind (unless another server's file is there, which is left alone).
     *
     * @return whether the file was removed by this call
     */
    public boolean release() {
        if (!released.compareAndSet(false, true)) {
            return false;
        }
        Object now = keyOf(path);
        if (now == null && Files.notExists(path, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        if (fileKey != null && !fileKey.equals(now)) {
            Loggers.ACCEPT.log(Level.DEBUG, () -> path + " is no longer the handle's socket file (another one "
                    + "replaced it); left alone");
            return false;
        }
        try {
            return Files.deleteIfExists(path);
        } catch (IOException | RuntimeException e) {
            // Best effort: the next bind on the path finds a stale file and removes it then.
            return false;
        }
    }

    private static Object keyOf(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "UnixSocketFile[" + path + " " + Objects.toString(fileKey, "no key") + "]";
    }
}
