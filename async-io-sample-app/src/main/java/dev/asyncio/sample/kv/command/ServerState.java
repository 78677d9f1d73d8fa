package dev.asyncio.sample.kv.command;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.LongSupplier;

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
    /** Redis' {@code requirepass}; {@code null} = no authentication. */
    private final byte[] password;
    // Written on the loop thread, read by the metrics from any thread.
    private volatile long outputLimitDisconnections;
    private volatile long requestDeadlineDisconnections;
    private volatile long pendingBudgetDisconnections;
    private volatile long outputBudgetDisconnections;
    /** What clients hold besides the data (unsent replies, unfinished requests); same thread as the store. */
    private LongSupplier clientMemory = () -> 0;

    /**
     * A server without a password.
     *
     * @param store     the data
     * @param maxMemory the estimated bytes above which writes are refused with {@code OOM}; positive
     */
    public ServerState(KeyValueStore store, long maxMemory) {
        this(store, maxMemory, null);
    }

    /**
     * @param store     the data
     * @param maxMemory the estimated bytes above which writes are refused with {@code OOM}; positive
     * @param password  what clients must give {@code AUTH} before any other command; {@code null} or empty = none
     */
    public ServerState(KeyValueStore store, long maxMemory, String password) {
        if (maxMemory <= 0) {
            throw new IllegalArgumentException("maxMemory must be positive, got " + maxMemory);
        }
        this.store = store;
        this.maxMemory = maxMemory;
        this.startedAt = store.now();
        this.password = password == null || password.isEmpty() ? null : password.getBytes(StandardCharsets.UTF_8);
    }

    /** @return whether clients must authenticate ({@code AUTH}) before other commands */
    public boolean requiresPassword() {
        return password != null;
    }

    /**
     * @param candidate what a client gave {@code AUTH}
     * @return whether it is the password; compared in constant time so the timing does not reveal a prefix
     */
    boolean passwordMatches(byte[] candidate) {
        return password != null && MessageDigest.isEqual(password, candidate);
    }

    /** @return the data */
    public KeyValueStore store() {
        return store;
    }

    /**
     * Charges what clients hold to the same account as the data, as Redis' {@code used_memory} does: writes are
     * refused once data and client buffers together pass {@code maxmemory}.
     *
     * @param clientMemory heap bytes of unsent replies and unfinished requests of all clients, read on the loop thread
     */
    public void setClientMemory(LongSupplier clientMemory) {
        this.clientMemory = clientMemory;
    }

    /** @return heap bytes of client buffers (unsent replies, unfinished requests) */
    public long clientMemory() {
        return clientMemory.getAsLong();
    }

    /** @return heap bytes of the data plus the client buffers: what {@code maxmemory} limits */
    public long usedMemory() {
        return store.usedMemory() + clientMemory();
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

    /** Counts a client disconnected for holding more unread replies than its output limit allows. */
    public void outputLimitDisconnection() {
        outputLimitDisconnections++;
    }

    /** @return clients disconnected by the output limit (Redis' {@code client_output_buffer_limit_disconnections}) */
    public long outputLimitDisconnections() {
        return outputLimitDisconnections;
    }

    /** Counts a client disconnected because a request did not arrive whole within the request deadline. */
    public void requestDeadlineDisconnection() {
        requestDeadlineDisconnections++;
    }

    /** @return clients disconnected by the request deadline */
    public long requestDeadlineDisconnections() {
        return requestDeadlineDisconnections;
    }

    /** Counts a client disconnected as the biggest holder while unread replies of all clients exceeded their budget. */
    public void outputBudgetDisconnection() {
        outputBudgetDisconnections++;
    }

    /** @return clients disconnected by the budget of unread replies of all clients */
    public long outputBudgetDisconnections() {
        return outputBudgetDisconnections;
    }

    /** Counts a client refused because unfinished requests of all clients exceeded their budget. */
    public void pendingBudgetDisconnection() {
        pendingBudgetDisconnections++;
    }

    /** @return clients refused by the pending-request budget */
    public long pendingBudgetDisconnections() {
        return pendingBudgetDisconnections;
    }

    void commandProcessed() {
        totalCommands++;
    }
}
