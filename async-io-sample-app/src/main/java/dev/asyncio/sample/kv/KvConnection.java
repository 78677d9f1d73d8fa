package dev.asyncio.sample.kv;

import java.lang.System.Logger;
import java.net.InetSocketAddress;
import java.util.List;

import dev.asyncio.core.AsyncIoState;
import dev.asyncio.core.IoStatus;
import dev.asyncio.sample.connection.FlowControlledOutput;
import dev.asyncio.sample.logging.RateLimitedLog;
import dev.asyncio.sample.kv.command.ClientSession;
import dev.asyncio.sample.kv.command.CommandTable;
import dev.asyncio.sample.kv.command.ServerState;
import dev.asyncio.sample.kv.resp.ReplyBuffer;
import dev.asyncio.sample.kv.resp.ReplyLimitExceededException;
import dev.asyncio.sample.kv.resp.RespProtocolException;
import dev.asyncio.sample.kv.resp.RespRequestParser;

/**
 * One Redis client connection: reads with {@code readWithChecking}, parses requests incrementally, runs each command
 * in order, and writes the replies of each batch of pipelined commands with one write.
 *
 * <p>Flow control: while more than a high-water mark of replies is waiting to be written the connection stops
 * executing and reading ({@code finish} keeps the unparsed input in the state), and resumes when the output drains.
 * A protocol error is answered with Redis' error text and the connection closes after the reply, as Redis does;
 * {@code QUIT} closes after {@code +OK}; EOF closes after the last reply; a read timeout or error closes at once.
 *
 * <p>Limits on a hostile client, each of which closes only this connection and is counted in {@code INFO stats}:
 * the {@link ClientOutputLimit} (replies it does not read), the {@link RequestDeadline} (a request that trickles in),
 * and two budgets shared by all clients: the {@link PendingRequestBudget} (unfinished requests) and the
 * {@link ClientOutputBudget} (unsent replies; the biggest holders are disconnected first). Disconnections are logged
 * at WARN at most once per {@link KvConnectionFunction#LOG_INTERVAL} for the whole server, with the number of
 * disconnections not logged in between: 2,000 slowloris clients make a few lines, not 2,000.
 *
 * <p>Every method runs on the loop thread of the state's collection.
 */
final class KvConnection {

    /** Where KvConnectionFunction's rate-limited disconnection lines go by default. */
    static final Logger LOG = System.getLogger(KvConnection.class.getName());
    /** Replies collected before they are written even in the middle of a batch. */
    private static final int FLUSH_THRESHOLD = 64 * 1024;

    private final AsyncIoState state;
    private final CommandTable commands;
    private final ServerState server;
    private final RespRequestParser parser;
    private final ReplyBuffer replies;
    private final ClientSession session;
    private final FlowControlledOutput output;
    private final OutputLimitTracker outputLimit;
    private final RequestDeadline deadline;
    /** The capacity of the core's input array, charged to the budget instead of the bytes in it. */
    private final InputBufferModel input = new InputBufferModel();
    private boolean paused;
    private boolean closing;
    /** Set once a limit closed the connection: nothing more is parsed, executed or written. */
    private boolean disconnected;
    /** Commands completed in the batch being parsed; tells the deadline whether a new request began. */
    private int completedInBatch;
    private final PendingRequestBudget pendingRequests;
    /** This connection's share of {@link PendingRequestBudget}; loop thread only. */
    long heldBytes;
    private final ClientOutputBudget outputBudget;
    /** This connection's share of {@link ClientOutputBudget}; loop thread only. */
    long outputShare;

    /** Shared by every connection of one server: a crowd of hostile clients makes a line per interval, not each. */
    private final RateLimitedLog disconnections;

    KvConnection(AsyncIoState state, CommandTable commands, KvSettings settings,
            PendingRequestBudget pendingRequests, ClientOutputBudget outputBudget, RateLimitedLog disconnections) {
        this.disconnections = disconnections;
        this.pendingRequests = pendingRequests;
        this.outputBudget = outputBudget;
        this.state = state;
        this.commands = commands;
        this.server = commands.server();
        this.parser = new RespRequestParser(settings.limits());
        this.replies = new ReplyBuffer(settings.maxReplyBytes());
        this.session = new ClientSession(describe(state.peerAddress()), describe(state.localAddress()),
                commands.server().store().now());
        this.output = new FlowControlledOutput(state, this::resume, settings.closeTimeout());
        this.outputLimit = new OutputLimitTracker(settings.outputLimit());
        this.deadline = new RequestDeadline(settings.requestDeadline());
    }

    ClientSession session() {
        return session;
    }

    void start() {
        state.readWithChecking(this::received);
    }

    boolean isOpen() {
        return state.isOpen();
    }

    /**
     * The watchdog's periodic look, for what causes no event: a request past its deadline, replies above the soft
     * limit for too long.
     *
     * @param nowNanos {@link System#nanoTime()}
     */
    void watch(long nowNanos) {
        if (disconnected || !state.isOpen()) {
            outputBudget.release(this);
            return;
        }
        if (deadline.expired(nowNanos)) {
            server.requestDeadlineDisconnection();
            disconnect("a request did not arrive whole within sample.kv.request-deadline");
            return;
        }
        checkOutputLimit(nowNanos);
    }

    private void received(AsyncIoState s, byte[] buffer, int end) {
        int consumed = 0;
        completedInBatch = 0;
        if (end > 0 && !closing) {
            try {
                consumed = parser.parse(buffer, 0, end, this::execute);
            } catch (RespProtocolException e) {
                pendingRequests.release(this);
                replies.error("ERR " + e.getMessage());
                closeAfterReplies();
                s.finish();
                return;
            } catch (ReplyLimitExceededException e) {
                pendingRequests.release(this);
                disconnections.log(() -> s + ": closing client " + session.address() + ": " + e.getMessage());
                replies.clear();
                s.close();
                return;
            }
            if (disconnected) {
                return;
            }
            flush();
            if (disconnected) {
                return;
            }
        }
        if (closing) {
            pendingRequests.release(this);
            s.finish();
            return;
        }
        IoStatus status = s.readStatus();
        if (status == IoStatus.OK) {
            input.presented(buffer, end - consumed);
        }
        if (status == IoStatus.OK && !pendingRequests.hold(this, input.heapBytes() + parser.heldArgumentHeapBytes())) {
            server.pendingBudgetDisconnection();
            disconnections.log(() -> s + ": closing client " + session.address() + ": unfinished requests of "
                    + "all clients hold more than sample.kv.max-pending-request-bytes");
            replies.error("ERR max memory for unfinished requests of all clients reached; closing the connection");
            closeAfterReplies();
            s.finish();
            return;
        }
        if (status != IoStatus.OK) {
            pendingRequests.release(this);
            // EOF: answer what was complete, then close once written. Timeout or error: nothing more to say.
            s.finish(consumed);
            if (status == IoStatus.EOF) {
                closeAfterReplies();
            } else {
                s.close();
            }
            return;
        }
        long now = System.nanoTime();
        deadline.afterRead(completedInBatch > 0, end - consumed > 0 || parser.inCommand(), now);
        if (output.shouldPause()) {
            paused = true;
            // The input waits because of us, not because the client is slow: no deadline while paused.
            deadline.suspend();
            s.finish(consumed);
        } else if (deadline.expired(now)) {
            server.requestDeadlineDisconnection();
            disconnect("a request did not arrive whole within sample.kv.request-deadline");
        } else if (consumed > 0) {
            s.discard(consumed);
        }
    }

    /** The parser's sink: runs one command; false stops parsing (closing, or output to drain first). */
    private boolean execute(List<byte[]> arguments) {
        completedInBatch++;
        commands.execute(session, arguments, replies);
        if (session.closeAfterReply()) {
            closeAfterReplies();
            return false;
        }
        if (replies.size() >= FLUSH_THRESHOLD) {
            flush();
            return !disconnected && !output.shouldPause();
        }
        return true;
    }

    /** Hands the collected replies to the output, then applies the output limit to what is now unsent. */
    private void flush() {
        if (!replies.isEmpty()) {
            output.write(replies.take());
            checkOutputLimit(System.nanoTime());
        }
    }

    private void checkOutputLimit(long nowNanos) {
        if (disconnected || closing) {
            return;
        }
        // What the heap retains for this client's replies, not what is left to send: a reply array stays whole
        // until its last byte is written.
        long pending = output.retainedBytes() + replies.size();
        String exceeded = outputLimit.check(pending, nowNanos);
        if (exceeded != null) {
            server.outputLimitDisconnection();
            disconnect(exceeded);
            return;
        }
        outputBudget.hold(this, pending);
        for (KvConnection biggest : outputBudget.overBudget()) {
            if (!biggest.isOpen()) {
                // Closed since the watchdog last looked (EOF, the endpoint): its share just had not been released.
                outputBudget.release(biggest);
                continue;
            }
            server.outputBudgetDisconnection();
            biggest.disconnect(biggest.outputShare + " bytes of unread replies, the most of all clients, while "
                    + "unread replies of all clients exceed sample.kv.max-client-output-bytes");
        }
    }

    /** Closes at once, dropping unsent replies: the client broke a limit, and waiting for it is what it wants. */
    private void disconnect(String reason) {
        disconnected = true;
        closing = true;
        pendingRequests.release(this);
        outputBudget.release(this);
        replies.clear();
        disconnections.log(() -> state + ": closing client " + session.address() + ": " + reason);
        state.close();
    }

    private void closeAfterReplies() {
        closing = true;
        flush();
        output.closeWhenWritten();
    }

    /** The output drained: read again; buffered input left by {@code finish} is presented first. */
    private void resume() {
        if (paused && !closing && state.isOpen() && !state.isClosing()) {
            paused = false;
            state.readWithChecking(this::received);
        }
    }

    private static String describe(InetSocketAddress address) {
        return address == null ? "?" : address.getAddress().getHostAddress() + ":" + address.getPort();
    }
}
