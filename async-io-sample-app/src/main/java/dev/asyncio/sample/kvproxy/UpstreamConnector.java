package dev.asyncio.sample.kvproxy;

import dev.asyncio.core.AsyncIoState;
import dev.asyncio.core.WaitStateCollection;

/**
 * How an {@link UpstreamLink} gets a connection to the Redis-protocol server, and whether it should try now. The
 * link does the RESP pipelining on the connection; the connector owns addresses, connect timeouts and the backoff
 * between failed attempts. {@link TcpUpstreamConnector} connects with the core's {@code connectTcp}; a connector
 * over the async-io client (raw leases of {@code AsyncIoClient}) can replace it without touching the link.
 *
 * <p>Every method runs on the loop thread of {@link #collection()}.
 */
public interface UpstreamConnector {

    /** @return the collection whose loop runs the links and their connections */
    WaitStateCollection collection();

    /**
     * @return {@code null} when a connection attempt may be made now; otherwise the RESP error text (no {@code -})
     *         a command gets at once, e.g. {@code ERR upstream unavailable: Connection refused (retrying in 400 ms)}
     */
    String unavailable();

    /**
     * Opens a connection.
     *
     * @param callback told once, on the loop thread: the connected state (with {@code queueOutput} on), or
     *                 {@code null} and why not
     */
    void connect(Connected callback);

    /**
     * A connection this connector gave broke (EOF, I/O error, a malformed reply, a reply timeout).
     *
     * @param state the connection, already closed or about to be
     * @param cause what happened, for the next errors and the health
     */
    void lost(AsyncIoState state, String cause);

    /**
     * One command on a connection this connector gave has its reply, or failed with the connection, so that the
     * client's statistics, meters and health count the traffic. The default does nothing.
     *
     * @param state     the connection
     * @param tookNanos from writing the command to its outcome
     * @param failure   {@code null} for a reply, else the error text the command got
     * @param timedOut  whether it failed because no reply came in time
     */
    default void completed(AsyncIoState state, long tookNanos, String failure, boolean timedOut) {
    }

    /** The outcome of {@link #connect}. */
    @FunctionalInterface
    interface Connected {
        /**
         * @param state   the connection, or {@code null} when it failed
         * @param failure {@code null} on success, else why (used in the commands' error replies)
         */
        void call(AsyncIoState state, String failure);
    }
}
