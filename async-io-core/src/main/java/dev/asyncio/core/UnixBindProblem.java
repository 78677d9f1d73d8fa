package dev.asyncio.core;

/**
 * Why {@link WaitStateCollection#acceptUnixConnections} refused to bind a Unix domain socket path, carried by
 * {@link BindFailedException#unixProblem()} so that a caller can give advice that fits the cause (the Spring
 * starter's start-up report does) without parsing the message. An immutable constant, usable from any thread.
 */
public enum UnixBindProblem {
    /** The path is empty: there is no file to bind. */
    EMPTY_PATH,
    /** Something other than a socket file is at the path (a regular file, a directory, a link); it is left alone. */
    NOT_A_SOCKET,
    /** A server accepts connections on the socket file at the path (or is stuck with a full backlog). */
    LIVE_SERVER,
    /**
     * The socket file at the path could not be probed (permission denied, say), so whether a server listens on it
     * is unknown; it is left alone, since only a refused connect proves a file stale.
     */
    UNKNOWN_OWNER,
    /** A stale socket file (a connect was refused) could not be removed. */
    STALE_FILE_NOT_REMOVABLE,
    /** The bind itself failed: a missing directory, no permission, a path longer than the system allows. */
    BIND_FAILED
}
