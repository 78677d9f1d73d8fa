package dev.asyncio.sample.kvproxy;

import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Supplier;

import dev.asyncio.core.AsyncIoState;
import dev.asyncio.core.WaitStateCollection;
import dev.asyncio.core.client.AsyncIoClient;
import dev.asyncio.core.client.ClientConnection;
import dev.asyncio.core.client.ClientException;
import dev.asyncio.core.client.ClientState;
import dev.asyncio.core.client.ClientStatistics;

/**
 * Connections from the async-io client {@code kv-upstream} ({@code async-io.clients.kv-upstream.*}): each
 * {@link UpstreamLink} leases one connection of the client's pool ({@code AsyncIoClient.acquire}) and keeps it while
 * it works; the link reads and pipelines on it itself, because the client has no RESP framing (the client is
 * configured without framing, so the read direction is the lease holder's). The client owns addresses, failover,
 * connect timeouts and the backoff: while it is backing off, an acquire fails at once and so does the command. A
 * connection that broke is closed (never released back), so the pool opens a fresh one.
 *
 * <p>The client starts with the application context after the handles are bound; a command that arrives before it
 * gets {@code ERR upstream unavailable: … not started}. Loop thread of the client's collection.
 */
public final class ClientUpstreamConnector implements UpstreamConnector {

    private final WaitStateCollection collection;
    private final Supplier<AsyncIoClient> client;
    private final String name;
    /** The leases the links hold, by their state. Loop thread only. */
    private final Map<AsyncIoState, ClientConnection> leases = new IdentityHashMap<>();

    /**
     * @param name       the client's name, for error texts
     * @param collection the client's collection (the links run on its loop)
     * @param client     the started client, or {@code null} before it started
     */
    public ClientUpstreamConnector(String name, WaitStateCollection collection, Supplier<AsyncIoClient> client) {
        this.name = name;
        this.collection = collection;
        this.client = client;
    }

    @Override
    public WaitStateCollection collection() {
        return collection;
    }

    @Override
    public String unavailable() {
        AsyncIoClient c = client.get();
        if (c == null) {
            return "ERR upstream unavailable: client '" + name + "' is not started";
        }
        ClientState state = c.state();
        if (state == ClientState.FAILED || state == ClientState.DISCONNECTED || state == ClientState.CLOSED) {
            ClientStatistics s = c.statistics();
            return "ERR upstream unavailable: client '" + name + "' is " + state
                    + (s.lastError() != null ? " (last error: " + s.lastError() + ")" : "");
        }
        return null;
    }

    @Override
    public void connect(Connected callback) {
        AsyncIoClient c = client.get();
        if (c == null) {
            callback.call(null, unavailable());
            return;
        }
        c.acquire((connection, failure) -> {
            if (failure != null) {
                callback.call(null, "ERR upstream unavailable: " + failure.getMessage());
                return;
            }
            leases.put(connection.state(), connection);
            callback.call(connection.state(), null);
        });
    }

    @Override
    public void lost(AsyncIoState state, String cause) {
        ClientConnection lease = leases.remove(state);
        if (lease != null) {
            // Closed, not released: replies on it are in doubt, so the pool must never hand it to anyone again.
            lease.close();
        }
    }

    @Override
    public void completed(AsyncIoState state, long tookNanos, String failure, boolean timedOut) {
        ClientConnection lease = leases.get(state);
        if (lease == null) {
            return;
        }
        lease.reportRequest(Duration.ofNanos(tookNanos), failure == null ? null
                : new ClientException(timedOut ? ClientException.Kind.REQUEST_TIMEOUT
                        : ClientException.Kind.CONNECTION_LOST, name, failure, null));
    }

    /** @return the client, or {@code null} before it started */
    public AsyncIoClient client() {
        return client.get();
    }
}
