package dev.asyncio.sample.kvproxy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

import dev.asyncio.core.AsyncIoState;
import dev.asyncio.core.IoStatus;
import dev.asyncio.core.WaitStateCollection;
import dev.asyncio.sample.connection.FlowControlledOutput;
import dev.asyncio.sample.kv.resp.RespProtocolException;
import dev.asyncio.sample.kv.resp.RespRequestParser;

/**
 * One client of {@code kv-proxy}: reads commands with {@code readWithChecking}, forwards each complete one to the
 * {@link KvUpstream} (multi-bulk commands as the bytes the client sent, inline ones re-encoded), and writes the
 * replies back <b>in the order of the commands</b>, whatever order they complete in: every command takes a slot in a
 * FIFO, and a reply is written only once every slot before it has its reply. Commands the proxy refuses
 * ({@link ProxyCommandPolicy}) and upstream failures take a slot too, so their errors come back in order.
 *
 * <p>Bounded: at most {@link KvProxySettings#maxPipelineDepth()} commands and
 * {@link KvProxySettings#maxPendingBytes()} bytes (commands in flight plus replies waiting for an earlier one) per
 * client; at either bound, or while the client does not read its replies (the state's write water mark), the proxy
 * stops reading it, and the unread commands stay in the state's input buffer (charged to the async-io memory budget)
 * until replies drain. A pipelining client therefore never makes the proxy hold more than those bounds plus one read.
 *
 * <p>Replies that complete in one loop iteration are written with one write: completion marks the slot and queues
 * one flush task on the loop ({@link WaitStateCollection#apply} never runs synchronously).
 *
 * <p>Closing, as Redis does: after a protocol error the error is the last reply and the connection closes; after
 * {@code QUIT}, {@code +OK}; after the client's EOF, the replies of every complete command first. A read timeout or
 * error closes at once and late replies are dropped.
 *
 * <p>Threads: every method but the {@link Slot} callbacks runs on the state's loop thread; the callbacks may run on
 * any thread and hop to it.
 */
final class KvProxyConnection {

    private static final byte[] OK = "+OK\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NOAUTH = "-NOAUTH Authentication required.\r\n".getBytes(StandardCharsets.US_ASCII);
    /** How often a client paused by the shared budget alone looks whether it may read again. */
    private static final java.time.Duration BUDGET_RECHECK = java.time.Duration.ofMillis(20);

    private final AsyncIoState state;
    private final WaitStateCollection loop;
    private final KvUpstream upstream;
    private final int lane;
    private final KvProxySettings settings;
    private final KvProxyStatistics statistics;
    private final KvProxyBudget budget;
    private final RespCommandScanner scanner;
    private final FlowControlledOutput output;
    private final ArrayDeque<Slot> slots = new ArrayDeque<>();
    /** Made on the first inline command: most clients never send one. */
    private RespRequestParser inlineParser;
    /** Bytes of commands in flight and of replies waiting for an earlier slot. */
    private long pendingBytes;
    private boolean readPaused;
    /** No more commands are read; the connection closes once every slot is answered and written. */
    private boolean closing;
    private boolean flushScheduled;
    /** Whether the client may send commands: at once without a password, after {@code AUTH} with one. */
    private boolean authenticated;

    KvProxyConnection(AsyncIoState state, KvUpstream upstream, int lane, KvProxySettings settings,
            KvProxyStatistics statistics, KvProxyBudget budget) {
        this.budget = budget;
        this.state = state;
        this.loop = state.collection();
        this.upstream = upstream;
        this.lane = lane;
        this.settings = settings;
        this.statistics = statistics;
        this.scanner = new RespCommandScanner(settings.limits());
        this.output = new FlowControlledOutput(state, this::maybeResume, settings.closeTimeout());
        this.authenticated = settings.password() == null;
    }

    void start() {
        state.readWithChecking(this::received);
    }

    /** @return commands forwarded or answered and not yet written back */
    int inFlight() {
        return slots.size();
    }

    private void received(AsyncIoState s, byte[] buffer, int end) {
        int pos = 0;
        if (end > 0 && !closing) {
            try {
                while (pos < end && !closing && !overLimit()) {
                    int commandEnd = scanner.scan(buffer, pos, end);
                    if (commandEnd < 0) {
                        break;
                    }
                    dispatch(buffer, pos, commandEnd);
                    pos = commandEnd;
                }
            } catch (RespProtocolException e) {
                statistics.protocolError();
                answer(error("ERR " + e.getMessage()));
                closing = true;
            }
        }
        if (closing) {
            s.finish();
            flushSoon();
            return;
        }
        IoStatus status = s.readStatus();
        if (status == IoStatus.EOF) {
            // Answer every complete command, then close (flush closes once the last slot is written).
            s.finish(pos);
            closing = true;
            flushSoon();
            return;
        }
        if (status != IoStatus.OK) {
            s.finish();
            s.close();
            return;
        }
        if (overLimit() || output.shouldPause()) {
            readPaused = true;
            s.finish(pos);
            if (budget.over()) {
                // The shared budget frees as other clients' replies go out, which tells this one nothing: look again.
                recheckLater();
            }
        } else if (pos > 0) {
            s.discard(pos);
        }
    }

    private void dispatch(byte[] buffer, int start, int end) throws RespProtocolException {
        String name = scanner.name();
        if (name == null) {
            return;
        }
        ProxyCommandPolicy.Action action = ProxyCommandPolicy.action(name);
        List<byte[]> arguments = null;
        if (scanner.inline() || action == ProxyCommandPolicy.Action.REFUSE_IF_BLOCK) {
            arguments = arguments(buffer, start, end);
            if (arguments.isEmpty()) {
                return;
            }
            if (scanner.inline()) {
                // The first word as typed may have been quoted; decide on the argument itself.
                name = new String(arguments.get(0), StandardCharsets.ISO_8859_1).toUpperCase(java.util.Locale.ROOT);
                action = ProxyCommandPolicy.action(name);
            }
            if (action == ProxyCommandPolicy.Action.REFUSE_IF_BLOCK) {
                action = ProxyCommandPolicy.blocks(arguments) ? ProxyCommandPolicy.Action.REFUSE
                        : ProxyCommandPolicy.Action.FORWARD;
            }
        }
        if (settings.password() != null && "AUTH".equals(name)) {
            answer(authenticate(arguments != null ? arguments : arguments(buffer, start, end)));
            return;
        }
        if (!authenticated && action != ProxyCommandPolicy.Action.QUIT) {
            answer(NOAUTH);
            return;
        }
        switch (action) {
            case QUIT -> {
                answer(OK);
                closing = true;
            }
            case REFUSE -> {
                statistics.refused();
                answer(error(ProxyCommandPolicy.refusal(name)));
            }
            default -> forward(scanner.inline() ? encode(arguments) : Arrays.copyOfRange(buffer, start, end));
        }
    }

    /** {@code AUTH password} or {@code AUTH default password}, answered by the proxy itself, as Redis words it. */
    private byte[] authenticate(List<byte[]> arguments) {
        if (arguments.size() < 2 || arguments.size() > 3) {
            return error("ERR wrong number of arguments for 'auth' command");
        }
        String user = arguments.size() == 3 ? new String(arguments.get(1), StandardCharsets.UTF_8) : "default";
        byte[] given = arguments.get(arguments.size() - 1);
        if ("default".equals(user) && java.security.MessageDigest.isEqual(given,
                settings.password().getBytes(StandardCharsets.UTF_8))) {
            authenticated = true;
            return OK;
        }
        return error("WRONGPASS invalid username-password pair or user is disabled.");
    }

    private List<byte[]> arguments(byte[] buffer, int start, int end) throws RespProtocolException {
        if (inlineParser == null) {
            inlineParser = new RespRequestParser(settings.limits());
        }
        List<byte[]>[] parsed = new List[1];
        inlineParser.parse(buffer, start, end, command -> {
            parsed[0] = command;
            return false;
        });
        return parsed[0] == null ? List.of() : parsed[0];
    }

    private void forward(byte[] command) {
        Slot slot = new Slot(command.length);
        slots.add(slot);
        addPending(command.length);
        statistics.forwarded();
        upstream.send(lane, command, slot);
    }

    /** A reply the proxy gives itself, in order after the slots before it. */
    private void answer(byte[] reply) {
        Slot slot = new Slot(0);
        slots.add(slot);
        slot.completedOnLoop(reply);
    }

    private void addPending(long delta) {
        pendingBytes += delta;
        budget.add(delta);
    }

    /**
     * Closes at once: the replies this client has not taken (waiting here or unsent) passed the hard limit, which
     * only a client that pipelines big replies and does not read them reaches (Redis' client-output-buffer-limit).
     */
    private void disconnect() {
        statistics.outputLimitDisconnection();
        closing = true;
        slots.clear();
        addPending(-pendingBytes);
        state.close();
    }

    private boolean overLimit() {
        return slots.size() >= settings.maxPipelineDepth() || pendingBytes >= settings.maxPendingBytes()
                || budget.over();
    }

    private void flushSoon() {
        if (flushScheduled) {
            return;
        }
        flushScheduled = true;
        try {
            loop.apply(this::flush);
        } catch (RejectedExecutionException e) {
            // The loop is closing, and the connection with it.
            flushScheduled = false;
        }
    }

    /** Writes the answered slots at the head, in order, as one write; closes or resumes reading as due. */
    private void flush() {
        flushScheduled = false;
        if (!state.isOpen()) {
            slots.clear();
            addPending(-pendingBytes);
            return;
        }
        int bytes = 0;
        int count = 0;
        for (Slot slot : slots) {
            if (slot.reply == null) {
                break;
            }
            bytes += slot.reply.length;
            count++;
        }
        if (count > 0) {
            byte[] batch = new byte[bytes];
            int at = 0;
            for (int i = 0; i < count; i++) {
                Slot slot = slots.poll();
                System.arraycopy(slot.reply, 0, batch, at, slot.reply.length);
                at += slot.reply.length;
                addPending(-(slot.commandBytes + slot.reply.length));
            }
            output.write(batch);
        }
        if (closing) {
            if (slots.isEmpty()) {
                output.closeWhenWritten();
            }
            return;
        }
        maybeResume();
    }

    private void recheckLater() {
        try {
            loop.schedule(BUDGET_RECHECK, () -> {
                maybeResume();
                if (readPaused && budget.over() && state.isOpen()) {
                    recheckLater();
                }
            });
        } catch (IllegalStateException | RejectedExecutionException e) {
            // The loop is closing, and the connection with it.
        }
    }

    /** Reads again once the client is under its bounds and its replies drained; unread input is presented first. */
    private void maybeResume() {
        if (readPaused && !closing && state.isOpen() && !state.isClosing() && !overLimit()
                && !output.shouldPause()) {
            readPaused = false;
            state.readWithChecking(this::received);
        }
    }

    static byte[] error(String text) {
        return ("-" + text.replace('\r', ' ').replace('\n', ' ') + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Encodes arguments as a multi-bulk command. */
    static byte[] encode(List<byte[]> arguments) {
        int size = 16;
        for (byte[] a : arguments) {
            size += a.length + 16;
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(size);
        out.writeBytes(("*" + arguments.size() + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] a : arguments) {
            out.writeBytes(("$" + a.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(a);
            out.write('\r');
            out.write('\n');
        }
        return out.toByteArray();
    }

    /** One command's place in the reply order; the upstream completes it from any thread. */
    private final class Slot implements KvUpstream.Reply {

        final int commandBytes;
        /** Written on the loop thread only. */
        byte[] reply;

        Slot(int commandBytes) {
            this.commandBytes = commandBytes;
        }

        @Override
        public void replied(byte[] bytes) {
            complete(bytes);
        }

        @Override
        public void failed(String error) {
            statistics.upstreamError();
            complete(error(error));
        }

        private void complete(byte[] bytes) {
            if (loop.inLoopThread()) {
                completedOnLoop(bytes);
                return;
            }
            try {
                loop.apply(() -> completedOnLoop(bytes));
            } catch (RejectedExecutionException e) {
                // The client's loop is closed: nobody is left to answer.
            }
        }

        void completedOnLoop(byte[] bytes) {
            if (reply != null) {
                return;
            }
            reply = bytes;
            if (!state.isOpen()) {
                // Closed meanwhile (by the client, a failed write, a drain): give its share of the budget back.
                slots.clear();
                addPending(-pendingBytes);
                return;
            }
            addPending(bytes.length);
            if (pendingBytes + output.retainedBytes() > settings.clientOutputHardLimit()) {
                disconnect();
                return;
            }
            flushSoon();
        }
    }
}
