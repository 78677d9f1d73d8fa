package dev.asyncio.sample.kvproxy;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;

import dev.asyncio.core.AsyncIoState;
import dev.asyncio.core.IoStatus;
import dev.asyncio.core.LoopTimer;
import dev.asyncio.sample.kv.resp.RespProtocolException;

/**
 * One pipelined connection to the Redis-protocol server: commands are written as they come, and each complete
 * reply ({@link RespReplyScanner}) answers the oldest command without one, FIFO, as Redis answers a pipeline.
 *
 * <p>Failures end in an error reply for each command concerned, never a hang:
 * <ul>
 *   <li>no connection and the {@link UpstreamConnector} is backing off: the command fails at once
 *       ({@code ERR upstream unavailable: …});</li>
 *   <li>no connection yet: commands wait while one is opened (bounded by the connect timeout and
 *       {@code maxPending}), then go out in order or fail together;</li>
 *   <li>the connection breaks (EOF, I/O error, a reply that is not RESP, a reply with no command) or the oldest
 *       command has had no reply for {@code replyTimeout}: the connection is closed and every command on it fails
 *       with {@code ERR upstream connection lost …} — a reply can never be given to the wrong command, because a
 *       connection whose replies are in doubt is never reused.</li>
 * </ul>
 *
 * <p>Confined to the loop thread of the connector's collection; {@link LinkedKvUpstream} hops there.
 */
final class UpstreamLink {

    /** A command waiting for its reply. */
    private record Pending(KvUpstream.Reply reply, long sentNanos) {
    }

    private final UpstreamConnector connector;
    private final RespReplyScanner scanner;
    private final int maxPending;
    private final long replyTimeoutNanos;
    private final ArrayDeque<Pending> inFlight = new ArrayDeque<>();
    /** Commands waiting for a connection being opened. */
    private final ArrayDeque<byte[]> waitingCommands = new ArrayDeque<>();
    private final ArrayDeque<KvUpstream.Reply> waitingReplies = new ArrayDeque<>();
    private AsyncIoState state;
    private boolean connecting;
    private LoopTimer watchdog;

    /**
     * @param connector     where connections come from
     * @param maxReplyBytes the longest reply accepted
     * @param maxPending    commands in flight or waiting on this link before new ones fail at once
     * @param replyTimeout  how long the oldest command may wait for its reply; {@code null} = for ever
     */
    UpstreamLink(UpstreamConnector connector, long maxReplyBytes, int maxPending, Duration replyTimeout) {
        this.connector = connector;
        this.scanner = new RespReplyScanner(maxReplyBytes);
        this.maxPending = maxPending;
        this.replyTimeoutNanos = replyTimeout == null ? 0 : replyTimeout.toNanos();
    }

    /** Sends one command. Loop thread. */
    void send(byte[] command, KvUpstream.Reply reply) {
        if (inFlight.size() + waitingCommands.size() >= maxPending) {
            reply.failed("ERR upstream busy: " + maxPending + " commands already wait on this upstream connection");
            return;
        }
        if (state != null && (!state.isOpen() || state.isClosing())) {
            // Closed behind the link's back (the client's disconnect, the collection): its commands are lost.
            lose(state, "the connection was closed");
        }
        if (state != null) {
            write(command, reply);
            return;
        }
        if (!connecting) {
            String down = connector.unavailable();
            if (down != null) {
                reply.failed(down);
                return;
            }
            connecting = true;
            connector.connect(this::connected);
        }
        // connect() may have failed synchronously (connecting is false again) and told nobody yet.
        if (!connecting && state == null) {
            String down = connector.unavailable();
            reply.failed(down != null ? down : "ERR upstream unavailable");
            return;
        }
        if (state != null) {
            write(command, reply);
            return;
        }
        waitingCommands.add(command);
        waitingReplies.add(reply);
    }

    /** @return commands written and not answered, plus commands waiting for a connection */
    int pending() {
        return inFlight.size() + waitingCommands.size();
    }

    /** @return whether the link has an open connection */
    boolean connected() {
        return state != null;
    }

    /** Closes the connection; everything pending fails. Loop thread. */
    void close(String why) {
        if (watchdog != null) {
            watchdog.cancel();
            watchdog = null;
        }
        if (state != null) {
            AsyncIoState s = state;
            state = null;
            s.close();
            connector.lost(s, why);
        }
        failAll("ERR upstream connection closed: " + why);
    }

    private void connected(AsyncIoState connection, String failure) {
        connecting = false;
        if (connection == null) {
            failWaiting(failure);
            return;
        }
        state = connection;
        scanner.reset();
        connection.readWithChecking(this::received);
        if (replyTimeoutNanos > 0 && watchdog == null) {
            long period = Math.max(10_000_000L, Math.min(replyTimeoutNanos / 4, 1_000_000_000L));
            watchdog = connector.collection().scheduleAtFixedRate(Duration.ofNanos(period),
                    Duration.ofNanos(period), this::checkReplyTimeout);
        }
        while (!waitingCommands.isEmpty() && state == connection) {
            write(waitingCommands.poll(), waitingReplies.poll());
        }
    }

    private void write(byte[] command, KvUpstream.Reply reply) {
        AsyncIoState s = state;
        inFlight.add(new Pending(reply, System.nanoTime()));
        try {
            s.writeBuffer(command, 0, command.length, (written, buffer, count) -> {
                if (written.writeStatus() != IoStatus.OK && state == written) {
                    lose(written, "write failed: " + failure(written.writeFailure(), written.writeStatus()));
                }
            });
        } catch (RuntimeException e) {
            // Closing or over its output limit: the stream is no longer trustworthy.
            lose(s, "write refused: " + TcpUpstreamConnector.describe(e));
        }
    }

    private void received(AsyncIoState s, byte[] buffer, int end) {
        if (s != state) {
            s.finish();
            return;
        }
        int pos = 0;
        try {
            while (pos < end) {
                int replyEnd = scanner.scan(buffer, pos, end);
                if (replyEnd < 0) {
                    break;
                }
                Pending head = inFlight.poll();
                if (head == null) {
                    s.finish();
                    lose(s, "the server sent a reply to no command");
                    return;
                }
                connector.completed(s, System.nanoTime() - head.sentNanos(), null, false);
                head.reply().replied(Arrays.copyOfRange(buffer, pos, replyEnd));
                pos = replyEnd;
            }
        } catch (RespProtocolException e) {
            s.finish();
            lose(s, e.getMessage());
            return;
        }
        IoStatus status = s.readStatus();
        if (status != IoStatus.OK) {
            s.finish();
            lose(s, status == IoStatus.EOF ? "the server closed the connection"
                    : failure(s.readFailure(), status));
            return;
        }
        if (pos > 0) {
            s.discard(pos);
        }
    }

    private void checkReplyTimeout() {
        Pending head = inFlight.peek();
        if (state != null && head != null && System.nanoTime() - head.sentNanos() > replyTimeoutNanos) {
            lose(state, "no reply within " + Duration.ofNanos(replyTimeoutNanos).toMillis() + " ms", true);
        }
    }

    private void lose(AsyncIoState s, String cause) {
        lose(s, cause, false);
    }

    private void lose(AsyncIoState s, String cause, boolean timedOut) {
        state = null;
        scanner.reset();
        String error = "ERR upstream connection lost before the reply: " + cause;
        long now = System.nanoTime();
        for (Pending p : inFlight) {
            // Counted before the lease is closed: the client forgets a closed lease.
            connector.completed(s, now - p.sentNanos(), error, timedOut);
        }
        s.close();
        connector.lost(s, cause);
        failAll(error);
    }

    private void failAll(String error) {
        Pending p;
        while ((p = inFlight.poll()) != null) {
            p.reply().failed(error);
        }
        failWaiting(error);
    }

    private void failWaiting(String error) {
        waitingCommands.clear();
        KvUpstream.Reply r;
        while ((r = waitingReplies.poll()) != null) {
            r.failed(error);
        }
    }

    private static String failure(Throwable cause, IoStatus status) {
        return cause == null ? status.toString() : TcpUpstreamConnector.describe(cause);
    }
}
