package dev.asyncio.core.client;

import org.jspecify.annotations.Nullable;

import dev.asyncio.core.AsyncIoState;
import dev.asyncio.core.FrameReader;
import dev.asyncio.core.IoStatus;
import dev.asyncio.core.LoopTimer;
import dev.asyncio.core.OutputLimitExceededException;

import java.io.EOFException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeoutException;

/**
 * One connection of a client: its state, the frame reader that owns the read direction (framed clients), and the
 * FIFO of requests waiting for their replies. Loop thread only, except {@link #state} and {@link #address}.
 *
 * <p>Correlation is by position: the n-th frame read answers the n-th request written. A request that times out
 * keeps its place ({@link Pending#timedOut}) until its reply comes or the connection closes, so a late reply is
 * recognised as its own and never handed to the next request.
 */
final class Connection {
    private final ClientCore core;
    final ClientAddress address;
    final long createdNanos = System.nanoTime();
    /** The state: set by the dialer as soon as the connect starts. */
    volatile @Nullable AsyncIoState state;
    private final ArrayDeque<Pending> fifo = new ArrayDeque<>();
    private @Nullable FrameReader reader;
    private boolean established;
    private boolean closed;
    /** Handed to the mode (initialized): only then does its close concern the mode and the listeners. */
    boolean ready;
    /** Handed out by an acquire (pool: exclusively). */
    boolean leased;
    /** Per use: carries one request and closes after its reply. */
    boolean singleUse;
    /** When it last became idle (no lease, nothing in flight), for idle eviction. */
    long idleSinceNanos = createdNanos;
    /** Why it ends, as far as we know before the close callback; {@code null} = closed on purpose. */
    private @Nullable Throwable endCause;
    private boolean planned;
    private @Nullable LoopTimer timer;
    private long timerAt;

    Connection(ClientCore core, ClientAddress address) {
        this.core = core;
        this.address = address;
    }

    /** The connect (and TLS handshake) succeeded: start reading frames. */
    void opened(AsyncIoState s) {
        established = true;
        if (core.options().framing() != null) {
            reader = FrameReader.start(s, core.options().framing(), this::frame, this::ended);
        }
    }

    boolean established() {
        return established;
    }

    /** @return whether requests may go on it and it may be handed out */
    boolean usable() {
        AsyncIoState s = state;
        return established && !closed && s != null && s.isOpen() && !s.isClosing()
                && (reader == null || !reader.hasEnded());
    }

    /** @return requests in its FIFO (timed-out ones kept in place included) */
    int pending() {
        return fifo.size();
    }

    /** Writes the request and queues it for its reply; fails it (through the core) if that cannot be done. */
    void send(ByteBuffer payload, Pending p) {
        if (!usable()) {
            core.fail(p, ClientException.Kind.CONNECTION_LOST, "the connection to " + address + " is closed", endCause);
            return;
        }
        if (fifo.size() >= core.options().maxPendingRequests()) {
            core.fail(p, ClientException.Kind.TOO_MANY_PENDING_REQUESTS, core.options().maxPendingRequests()
                    + " requests are already pending on the connection to " + address + " (maxPendingRequests)", null);
            return;
        }
        try {
            core.writer().write(state, payload, null);
        } catch (OutputLimitExceededException e) {
            core.fail(p, ClientException.Kind.TOO_MANY_PENDING_REQUESTS, "the output queue of the connection to "
                    + address + " is full", e);
            return;
        } catch (IllegalStateException e) {
            core.fail(p, ClientException.Kind.CONNECTION_LOST, "the connection to " + address + " is closing", e);
            return;
        }
        fifo.add(p);
        core.counters().pendingRequests++;
        if (p.deadlineNanos != Long.MAX_VALUE) {
            arm(p.deadlineNanos);
        }
    }

    /** A frame arrived: the reply of the oldest request, or a frame no request waits for. */
    private void frame(AsyncIoState s, ByteBuffer frame) {
        Pending p = fifo.poll();
        if (p == null) {
            core.unsolicited(this, frame, false);
            return;
        }
        core.counters().pendingRequests--;
        if (p.timedOut) {
            core.unsolicited(this, frame, true);
        } else {
            core.replied(p, frame);
        }
        core.requestDone(this);
    }

    /** The reader ended: end of stream, an I/O error or a bad frame. The connection is of no further use. */
    private void ended(AsyncIoState s, IoStatus status, @Nullable Throwable failure) {
        if (endCause == null && !planned) {
            endCause = failure != null ? failure
                    : new EOFException("the server at " + address + " closed the connection (" + status + ")");
        }
        if (s.isOpen() && !s.isClosing()) {
            s.close();
        }
    }

    /**
     * Closes it.
     *
     * @param cause why, for the requests that fail and the listeners; {@code null} = on purpose (eviction,
     *              release of a per-use connection, disconnect, close)
     */
    void close(@Nullable Throwable cause) {
        if (closed) {
            return;
        }
        if (cause == null) {
            planned = true;
        } else if (endCause == null) {
            endCause = cause;
        }
        AsyncIoState s = state;
        if (s != null && s.isOpen()) {
            s.close();
        }
    }

    /**
     * The state's close callback (any close: ours, the peer's, the collection's). Fails what is in flight and tells
     * the client once.
     */
    void closed(AsyncIoState s) {
        if (!established || closed) {
            return;   // a failed connect is reported by the connect callback
        }
        closed = true;
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
        Throwable cause = planned ? null
                : endCause != null ? endCause : new EOFException("the connection to " + address + " closed");
        if (!fifo.isEmpty()) {
            ClientException lost = core.closed()
                    ? new ClientException(ClientException.Kind.CLOSED, core.name(), "closed with the request in flight",
                            null)
                    : new ClientException(ClientException.Kind.CONNECTION_LOST, core.name(),
                    "the connection to " + address + " closed with the request in flight"
                            + (cause != null ? ": " + cause.getMessage() : ""), cause);
            Pending p;
            while ((p = fifo.poll()) != null) {
                core.counters().pendingRequests--;
                if (!p.done) {
                    core.fail(p, lost);
                }
            }
        }
        if (ready) {
            core.connectionClosed(this, cause);
        }
    }

    private void arm(long deadline) {
        if (timer != null) {
            if (timerAt <= deadline) {
                return;   // it fires first and re-arms for what is left
            }
            timer.cancel();
        }
        timerAt = deadline;
        timer = core.schedule(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())), this::expire);
    }

    /** The timer: times out every request past its deadline, re-arms for the earliest of the others. */
    private void expire() {
        timer = null;
        if (closed) {
            return;
        }
        long now = System.nanoTime();
        long next = Long.MAX_VALUE;
        java.util.List<Pending> expired = null;
        for (Pending p : fifo) {
            if (p.timedOut) {
                continue;
            }
            if (p.deadlineNanos - now <= 0) {
                p.timedOut = true;
                if (expired == null) {
                    expired = new java.util.ArrayList<>();
                }
                expired.add(p);
            } else {
                next = Math.min(next, p.deadlineNanos);
            }
        }
        if (expired == null) {
            if (next != Long.MAX_VALUE) {
                arm(next);
            }
            return;
        }
        // Callbacks run after the scan: one may send another request on this connection.
        for (Pending p : expired) {
            core.timedOut(p, address);
        }
        if (closed) {
            return;
        }
        if (core.options().requestTimeoutAction() == RequestTimeoutAction.CLOSE_CONNECTION) {
            close(new TimeoutException("a request to " + address + " timed out, and the connection was closed so that"
                    + " no later reply is taken for another request's (requestTimeoutAction CLOSE_CONNECTION)"));
            return;
        }
        if (next != Long.MAX_VALUE) {
            arm(next);
        }
        core.requestDone(this);
    }

    @Override
    public String toString() {
        return "Connection[" + address + " pending=" + fifo.size() + (leased ? " leased" : "")
                + (closed ? " closed" : "") + "]";
    }
}
