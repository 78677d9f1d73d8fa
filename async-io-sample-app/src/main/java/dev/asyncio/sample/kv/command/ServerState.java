package dev.asyncio.sample.kv.command;

import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

import dev.asyncio.core.AcceptingHandle;
import dev.asyncio.sample.kv.KeyValueStore;

/**
 * The server-wide facts commands read or change: the store, the memory limit, and the counters {@code INFO} reports.
 *
 * <p>Confined to the loop thread that serves the key-value connections, like the store, except
 * {@link #snapshotConnectedClients()}, which any thread may read: it asks the accepting handles, which count their
 * live connections whoever closes them.
 */
public final class ServerState {

    /** The Redis version this server answers like; clients look at it to choose features. */
    public static final String REDIS_COMPATIBLE_VERSION = "7.2.0";

    private final KeyValueStore store;
    private final long maxMemory;
    private final long startedAt;
    private final Set<AcceptingHandle> handles = new CopyOnWriteArraySet<>();
    private long totalConnections;
    private long totalCommands;
    private long rejectedConnections;
    private int port;

    /**
     * @param store     the data
     * @param maxMemory the estimated bytes above which writes are refused with {@code OOM}; positive
     */
    public ServerState(KeyValueStore store, long maxMemory) {
        if (maxMemory <= 0) {
            throw new IllegalArgumentException("maxMemory must be positive, got " + maxMemory);
        }
        this.store = store;
        this.maxMemory = maxMemory;
        this.startedAt = store.now();
    }

    /** @return the data */
    public KeyValueStore store() {
        return store;
    }

    /** @return the memory limit in bytes */
    public long maxMemory() {
        return maxMemory;
    }

    /** @return when the server state was created, in milliseconds */
    public long startedAt() {
        return startedAt;
    }

    /** @return the TCP port clients connect to, 0 when unknown */
    public int port() {
        return port;
    }

    /** @param port the TCP port clients connect to */
    public void setPort(int port) {
        this.port = port;
    }

    /** @param handle the handle that accepted a new client; its live connections count as clients */
    public void clientConnected(AcceptingHandle handle) {
        if (handle != null) {
            handles.add(handle);
        }
        totalConnections++;
    }

    /** Counts a connection refused (for example from a second collection). */
    public void connectionRejected() {
        rejectedConnections++;
    }

    /** @return clients connected now; safe to read from any thread */
    public int snapshotConnectedClients() {
        int clients = 0;
        for (AcceptingHandle handle : handles) {
            clients += handle.connectionCount();
        }
        return clients;
    }

    /** @return connections accepted since start */
    public long totalConnections() {
        return totalConnections;
    }

    /** @return connections refused since start */
    public long rejectedConnections() {
        return rejectedConnections;
    }

    /** @return commands processed since start */
    public long totalCommands() {
        return totalCommands;
    }

    void commandProcessed() {
        totalCommands++;
    }
}
