package dev.asyncio.sample.kv;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;

import dev.asyncio.core.AcceptingHandle;
import dev.asyncio.core.AsyncIoState;
import dev.asyncio.core.ConnectionFunction;
import dev.asyncio.core.WaitStateCollection;
import dev.asyncio.sample.kv.command.CommandTable;
import dev.asyncio.sample.logging.RateLimitedLog;
import dev.asyncio.sample.kv.command.ServerState;

/**
 * The connection function of the {@code kv} handle: a Redis-protocol (RESP2) in-memory key-value server that
 * {@code redis-cli}, {@code redis-benchmark} and Redis client libraries can talk to.
 *
 * <p><b>Threads.</b> Like Redis, the data lives on one thread: the loop thread of the collection of the first
 * connection. Every later connection must come from the same collection (one handle, or several handles in one
 * collection); a connection from another collection is refused (closed, with a warning) instead of racing on the
 * store. Expired keys are swept periodically on that same thread, and a {@link ClientWatchdog} applies the request
 * deadline and the soft output limit there.
 *
 * <p>{@link #close()} stops the sweeper; Spring calls it when the context closes.
 */
public final class KvConnectionFunction implements ConnectionFunction, AutoCloseable {

    private static final Logger LOG = System.getLogger(KvConnectionFunction.class.getName());
    /** The shortest time between two WARN lines about disconnected or refused clients. */
    public static final Duration LOG_INTERVAL = Duration.ofSeconds(10);

    private final PendingRequestBudget pendingRequests;
    private final ClientOutputBudget outputBudget;

    private final KvSettings settings;
    private final KeyValueStore store;
    private final ServerState server;
    private final CommandTable commands;
    private final ExpirySweeper sweeper;
    private final ClientWatchdog watchdog = new ClientWatchdog();
    private final RateLimitedLog disconnections;
    private final RateLimitedLog refusals;
    private volatile WaitStateCollection owner;

    /** @param settings limits, memory cap and sweep timing */
    public KvConnectionFunction(KvSettings settings) {
        this(settings, KvConnection.LOG, LOG);
    }

    /**
     * @param settings       limits, memory cap and sweep timing
     * @param disconnectLog  where the (rate-limited) lines about disconnected clients go
     * @param refusalLog     where the (rate-limited) lines about refused connections go
     */
    KvConnectionFunction(KvSettings settings, Logger disconnectLog, Logger refusalLog) {
        this.settings = settings;
        this.disconnections = new RateLimitedLog(disconnectLog, Level.WARNING, LOG_INTERVAL);
        this.refusals = new RateLimitedLog(refusalLog, Level.WARNING, LOG_INTERVAL);
        this.store = new KeyValueStore(System::currentTimeMillis);
        this.server = new ServerState(store, settings.maxMemory(), settings.password());
        this.commands = CommandTable.standard(server);
        this.sweeper = new ExpirySweeper(store, settings);
        this.pendingRequests = new PendingRequestBudget(settings.maxPendingRequestBytes());
        this.outputBudget = new ClientOutputBudget(settings.maxClientOutputBytes());
        // One account: data and client buffers together are what maxmemory limits (as in Redis).
        server.setClientMemory(() -> pendingRequests.total() + outputBudget.total());
    }

    /** @return the budget of unfinished requests, for tests */
    PendingRequestBudget pendingRequests() {
        return pendingRequests;
    }

    /** @return the budget of unsent replies, for tests */
    ClientOutputBudget outputBudget() {
        return outputBudget;
    }

    /** @return the server-wide state (connected clients are readable from any thread) */
    public ServerState server() {
        return server;
    }

    /**
     * Serves a new connection. Runs on the loop thread.
     *
     * @param handle the accepting handle
     * @param state  the new connection
     */
    @Override
    public void connected(AcceptingHandle handle, AsyncIoState state) {
        WaitStateCollection collection = state.collection();
        if (owner == null) {
            owner = collection;
            server.setPort(handle.localPort());
            sweeper.start(collection);
            watchdog.start(collection);
        } else if (owner != collection) {
            server.connectionRejected();
            refusals.log(() -> "kv: refusing " + state + " from collection '" + collection.name()
                    + "': the store belongs to collection '" + owner.name() + "'; put every kv handle in one "
                    + "collection");
            state.close();
            return;
        }
        server.clientConnected(handle);
        KvConnection connection = new KvConnection(state, commands, settings, pendingRequests, outputBudget,
                disconnections);
        state.setUserInfo(connection.session());
        watchdog.add(connection);
        connection.start();
    }

    /** Stops the expiry sweeper's and the watchdog's timers; the data stays until the object is dropped. Idempotent, any thread. */
    @Override
    public void close() {
        sweeper.close();
        watchdog.close();
    }
}
