package dev.asyncio.core.internal.net;

import dev.asyncio.core.BindFailedException;
import dev.asyncio.core.UnixBindProblem;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Unix domain sockets (Java 16+): binding a listening socket on a path, with the stale socket file a crashed server
 * leaves behind removed and a live one refused ({@link UnixSocketFile} removes the file when the handle closes). A Unix stream socket
 * is a {@link SocketChannel} like a TCP one, so states use the plain stream transport (and TLS over it) unchanged.
 */
public final class UnixSockets {

    /** {@code S_IFMT} and {@code S_IFSOCK} of {@code stat(2)}: the file type bits, and the socket type. */
    private static final int TYPE_MASK = 0170000;
    private static final int SOCKET_TYPE = 0140000;

    private UnixSockets() {
    }

    /**
     * Binds a listening socket on {@code path}, on the calling thread; never blocks on another process. A socket
     * file already there is probed ({@link UnixSocketProbe}, one non-blocking connect): only a refused connect
     * means a stale file, which is deleted and bound over; a live server (even one with a full backlog), or a probe
     * that fails otherwise (permission denied), is refused and the file left alone. Anything else at the path (a
     * regular file, a directory, a link) is never deleted.
     *
     * @param path the socket file's path (a relative one is relative to the working directory)
     * @param backlog the listen backlog
     * @return the bound channel, still blocking
     * @throws BindFailedException naming the path and the reason ({@link BindFailedException#unixProblem()})
     */
    public static ServerSocketChannel bind(Path path, int backlog) {
        if (path.toString().isEmpty()) {
            throw new BindFailedException(path, UnixBindProblem.EMPTY_PATH, "the path is empty: give the socket "
                    + "file's path", null);
        }
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(path);
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            removeIfStale(path);
        }
        ServerSocketChannel channel = null;
        try {
            channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            channel.bind(address, backlog);
            return channel;
        } catch (IOException e) {
            Channels.closeQuietly(channel);
            throw new BindFailedException(path, UnixBindProblem.BIND_FAILED, e.getMessage(), e);
        }
    }

    /** Deletes the socket file at {@code path} if a probe proves it stale; throws for anything else there. */
    private static void removeIfStale(Path path) {
        if (!isSocketFile(path)) {
            throw new BindFailedException(path, UnixBindProblem.NOT_A_SOCKET, "the path exists and is not a "
                    + "socket file (it is left alone)", null);
        }
        UnixSocketProbe.Result probe = UnixSocketProbe.probe(path);
        switch (probe.outcome()) {
            case LIVE -> throw new BindFailedException(path, UnixBindProblem.LIVE_SERVER, probe.reason(),
                    probe.cause());
            case UNKNOWN -> throw new BindFailedException(path, UnixBindProblem.UNKNOWN_OWNER, probe.reason(),
                    probe.cause());
            case GONE -> {
                // Removed by someone else meanwhile: nothing to delete.
            }
            case STALE -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new BindFailedException(path, UnixBindProblem.STALE_FILE_NOT_REMOVABLE, "cannot remove "
                            + "the stale socket file: " + e.getMessage(), e);
                }
            }
        }
    }

    private static boolean isSocketFile(Path path) {
        try {
            Object mode = Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            return mode instanceof Integer m && (m & TYPE_MASK) == SOCKET_TYPE;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            // No "unix" attribute view: whatever is neither a file, a directory nor a link is taken as a socket.
            return !Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(path,
                    LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(path);
        }
    }

    /** @return a new, unconnected Unix stream socket */
    public static SocketChannel openClient() throws IOException {
        return SocketChannel.open(StandardProtocolFamily.UNIX);
    }

    /**
     * @param address a socket address
     * @return its path if it is a Unix domain socket address with one, else {@code null}
     */
    public static Path pathOf(SocketAddress address) {
        if (address instanceof UnixDomainSocketAddress u && !u.getPath().toString().isEmpty()) {
            return u.getPath();
        }
        return null;
    }

    /**
     * @param channel a listening socket
     * @return its local address, or {@code null} if unbound or closed
     */
    public static SocketAddress localAddressOf(ServerSocketChannel channel) {
        try {
            return channel.getLocalAddress();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

}
