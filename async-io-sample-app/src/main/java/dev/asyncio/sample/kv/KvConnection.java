package dev.asyncio.sample.kv;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.List;

import dev.asyncio.core.AsyncIoState;
import dev.asyncio.core.IoStatus;
import dev.asyncio.sample.connection.FlowControlledOutput;
import dev.asyncio.sample.kv.command.ClientSession;
import dev.asyncio.sample.kv.command.CommandTable;
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
 * <p>Every method runs on the loop thread of the state's collection.
 */
final class KvConnection {

    private static final Logger LOG = System.getLogger(KvConnection.class.getName());
    /** Replies collected before they are written even in the middle of a batch. */
    private static final int FLUSH_THRESHOLD = 64 * 1024;

    private final AsyncIoState state;
    private final CommandTable commands;
    private final RespRequestParser parser;
    private final ReplyBuffer replies;
    private final ClientSession session;
    private final FlowControlledOutput output;
    private boolean paused;
    private boolean closing;

    KvConnection(AsyncIoState state, CommandTable commands, KvSettings settings) {
        this.state = state;
        this.commands = commands;
        this.parser = new RespRequestParser(settings.limits());
        this.replies = new ReplyBuffer(settings.maxReplyBytes());
        this.session = new ClientSession(describe(state.peerAddress()), describe(state.localAddress()),
                commands.server().store().now());
        this.output = new FlowControlledOutput(state, this::resume, settings.closeTimeout());
    }

    ClientSession session() {
        return session;
    }

    void start() {
        state.readWithChecking(this::received);
    }

    private void received(AsyncIoState s, byte[] buffer, int end) {
        int consumed = 0;
        if (end > 0 && !closing) {
            try {
                consumed = parser.parse(buffer, 0, end, this::execute);
            } catch (RespProtocolException e) {
                replies.error("ERR " + e.getMessage());
                closeAfterReplies();
                s.finish();
                return;
            } catch (ReplyLimitExceededException e) {
                LOG.log(Level.WARNING, () -> s + ": closing client " + session.address() + ": " + e.getMessage());
                replies.clear();
                s.close();
                return;
            }
            flush();
        }
        if (closing) {
            s.finish();
            return;
        }
        IoStatus status = s.readStatus();
        if (status != IoStatus.OK) {
            // EOF: answer what was complete, then close once written. Timeout or error: nothing more to say.
            s.finish(consumed);
            if (status == IoStatus.EOF) {
                closeAfterReplies();
            } else {
                s.close();
            }
            return;
        }
        if (output.shouldPause()) {
            paused = true;
            s.finish(consumed);
        } else if (consumed > 0) {
            s.discard(consumed);
        }
    }

    /** The parser's sink: runs one command; false stops parsing (closing, or output to drain first). */
    private boolean execute(List<byte[]> arguments) {
        commands.execute(session, arguments, replies);
        if (session.closeAfterReply()) {
            closeAfterReplies();
            return false;
        }
        if (replies.size() >= FLUSH_THRESHOLD) {
            flush();
            return !output.shouldPause();
        }
        return true;
    }

    private void flush() {
        if (!replies.isEmpty()) {
            output.write(replies.take());
        }
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
