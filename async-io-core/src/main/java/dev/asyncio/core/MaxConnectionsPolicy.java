package dev.asyncio.core;

/**
 * What an {@link AcceptingHandle} does with a new connection while {@link AcceptOptions#maxConnections()} of its
 * connections are open ({@link AcceptOptions#maxConnectionsPolicy()}). LispWorks has no connection limit; this is the
 * choice Tomcat ({@code maxConnections}: pause) and Redis ({@code maxclients}: refuse) make differently.
 */
public enum MaxConnectionsPolicy {

    /**
     * Stop accepting until a connection of the handle closes: new clients wait in the listen backlog (and, once it
     * is full, their SYNs are dropped or refused by the kernel). Good for short bursts; a client may wait until its
     * own connect or read timeout. The default.
     */
    PAUSE,

    /**
     * Keep accepting and reset each connection over the limit at once ({@code SO_LINGER 0}, then close: the client
     * sees "connection reset" on its next read or write, as from a port nobody listens on, and the server keeps no
     * {@code TIME_WAIT} socket per refused client). Counted in
     * {@link HandleStatistics#refusedMaxConnections()}. Good when clients fail over or retry elsewhere.
     */
    REFUSE
}
