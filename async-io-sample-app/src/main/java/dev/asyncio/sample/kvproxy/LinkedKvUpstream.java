package dev.asyncio.sample.kvproxy;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;

import dev.asyncio.core.WaitStateCollection;

/**
 * The real {@link KvUpstream}: a fixed set of pipelined connections ({@link UpstreamLink}s) to one Redis-protocol
 * server, like twemproxy's {@code server_connections}. A lane always maps to the same link, so one client's commands
 * stay in order on one connection; different clients spread over the links. Every link runs on the connector's loop;
 * a command sent from another thread hops there (one queued task; the loop wakes once per burst).
 *
 * <p>{@link #close()} closes the connections and fails whatever is pending; later commands fail at once.
 */
public final class LinkedKvUpstream implements KvUpstream, AutoCloseable {

    private final UpstreamConnector connector;
    private final UpstreamLink[] links;
    private volatile boolean closed;

    /**
     * @param connector     where connections come from (its collection runs the links)
     * @param connections   how many pipelined connections, at least 1
     * @param maxReplyBytes the longest reply accepted; a longer one breaks its connection
     * @param maxPending    commands pending per connection before new ones fail at once
     * @param replyTimeout  how long a command may wait for its reply before its connection is dropped;
     *                      {@code null} = no limit
     */
    public LinkedKvUpstream(UpstreamConnector connector, int connections, long maxReplyBytes, int maxPending,
            Duration replyTimeout) {
        if (connections < 1) {
            throw new IllegalArgumentException("connections must be at least 1, got " + connections);
        }
        this.connector = connector;
        this.links = new UpstreamLink[connections];
        for (int i = 0; i < connections; i++) {
            links[i] = new UpstreamLink(connector, maxReplyBytes, maxPending, replyTimeout);
        }
    }

    @Override
    public void send(int lane, byte[] command, Reply reply) {
        if (closed) {
            reply.failed("ERR upstream closed: kv-proxy is shutting down");
            return;
        }
        UpstreamLink link = links[Math.floorMod(lane, links.length)];
        WaitStateCollection collection = connector.collection();
        if (collection.inLoopThread()) {
            link.send(command, reply);
            return;
        }
        try {
            collection.apply(() -> link.send(command, reply));
        } catch (RejectedExecutionException e) {
            reply.failed("ERR upstream closed: its event loop has stopped");
        }
    }

    /** @return the connector (address, failures, last error) */
    public UpstreamConnector connector() {
        return connector;
    }

    /** @return how many pipelined connections this upstream uses at most */
    public int connections() {
        return links.length;
    }

    /** Closes every connection; pending commands fail. Any thread; idempotent. */
    @Override
    public void close() {
        closed = true;
        try {
            connector.collection().apply(() -> {
                for (UpstreamLink link : links) {
                    link.close("kv-proxy is shutting down");
                }
            });
        } catch (RejectedExecutionException e) {
            // The loop is gone, and the connections with it.
        }
    }
}
