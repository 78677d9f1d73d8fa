package dev.asyncio.sample.kv.command;

import dev.asyncio.sample.kv.KeyValueStore;

/**
 * The server-wide facts commands read or change: the store, the memory limit, and the counters {@code INFO} reports.
 *
 * <p>Confined to the loop thread that serves the key-value connections, like the store. The counters are plain
 * fields; {@link #snapshotConnectedClients()} may be read from other threads for display (it is volatile).
 */
public final class ServerState {

    /** The Redis version this server answers like; clients look at it to choose features. */
    public static final String REDIS_COMPATIBLE_VERSION = "7.2.0";

    private final KeyValueStore store;
    private final long maxMemory;
    private final long startedAt;
    private volatile int connectedClients;
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

    /** Counts a new client. */
    public void clientConnected() {
        connectedClients++;
        totalConnections++;
    }

    /** Counts a client gone. */
    public void clientDisconnected() {
        connectedClients--;
    }

    /** Counts a connection refused (for example from a second collection). */
    public void connectionRejected() {
        rejectedConnections++;
    }

    /** @return clients connected now; safe to read from any thread */
    public int snapshotConnectedClients() {
        return connectedClients;
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
