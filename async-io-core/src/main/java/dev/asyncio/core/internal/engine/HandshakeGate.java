package dev.asyncio.core.internal.engine;

import dev.asyncio.core.ConnectCallback;
import dev.asyncio.core.IoStatus;
import dev.asyncio.core.TlsHandshakeTimeoutException;
import dev.asyncio.core.TlsOptions;
import dev.asyncio.core.TlsSide;
import dev.asyncio.core.internal.loop.Timeouts;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The TLS handshakes of one accepting handle ({@link TlsOptions#maxConcurrentHandshakes()}): at most that many run
 * at once; the connections beyond wait, in the order their clients started to speak, up to
 * {@link TlsOptions#maxQueuedHandshakes()}; one more is refused (closed at once, counted by the caller). Without a
 * bound, a storm of handshakes shares the CPU (and the engine's task threads) so thinly that every handshake, a
 * legitimate client's included, slows down and many run into their timeout: work done for nothing.
 *
 * <p>A connection takes a slot only once its client has sent its first bytes: a slot is for a handshake's work,
 * and silent connections must not be able to take them all and lock every other client out for a handshake
 * timeout at a time (a slow client that sends a little and stalls still holds one, up to its timeout).
 *
 * <p>The handshake timeout counts from the accept, time silent or queued included: a client has one budget, and
 * the queue cannot hold a connection longer than the timeout. A connection whose time runs out before its turn
 * fails as a handshake timeout without its engine ever being made (it holds its socket, not an engine).
 *
 * <p>Any thread: with {@code spreadOver} the handle's connections live on several loops, and a slot freed on one
 * loop starts the next handshake on the next connection's own loop.
 */
public final class HandshakeGate {

    private final int maxConcurrent;
    private final int maxQueued;
    private final ArrayDeque<Waiting> queue = new ArrayDeque<>();
    private int running;
    private final AtomicLong queuedTotal = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong timedOutQueued = new AtomicLong();

    /** @param tls the handle's TLS options, whose limits it applies */
    public HandshakeGate(TlsOptions tls) {
        this.maxConcurrent = tls.maxConcurrentHandshakes();
        this.maxQueued = tls.maxQueuedHandshakes();
    }

    /**
     * Takes a new connection's handshake in hand; the state's loop thread. As a server it waits for the client's
     * first bytes without a slot (a silent connection costs no slot and no engine, only its handshake timeout);
     * then (at once when the handle plays the client) it starts the handshake if a slot is free, else queues it,
     * else refuses the connection.
     *
     * @param state the new connection
     * @param tls the handle's TLS options
     * @param callback told of the handshake's outcome, as {@link TlsAttachment#attachFromLoop} tells it (a
     *        {@link TlsHandshakeTimeoutException} if the time ran out before the handshake started)
     * @param refuse closes and counts a connection refused because the queue is full
     */
    public void admit(StateEngine state, TlsOptions tls, ConnectCallback callback, Runnable refuse) {
        Waiting waiting = new Waiting(state, tls, callback, refuse, state.loop().now());
        waiting.armTimeout();
        ReadSide read = state.read();
        boolean clientSpeaksFirst = tls.side() == null || tls.side() == TlsSide.SERVER;
        if (clientSpeaksFirst && read.tryClaim()) {
            read.start(read.waitForInputOp().set(s -> waiting.clientSpoke()));
        } else {
            waiting.enter();
        }
    }

    private void start(StateEngine state, TlsOptions tls, ConnectCallback callback) {
        AtomicBoolean held = new AtomicBoolean(true);
        Runnable slot = () -> {
            if (held.compareAndSet(true, false)) {
                release();
            }
        };
        state.kind().tls("accept", "a TCP state").attachFromLoop(tls, TlsSide.SERVER, null, 0, callback,
                slot);
    }

    /** A handshake ended (or never started): its slot goes to the longest-waiting connection. Any thread. */
    private void release() {
        Waiting next;
        synchronized (this) {
            do {
                next = queue.pollFirst();
            } while (next != null && !next.state.isOpen());
            if (next == null) {
                running--;
                return;
            }
        }
        // The slot passes to it as it is: 'running' stays.
        Waiting handedTo = next;
        if (!handedTo.state.loop().submitIfOpen(handedTo::begin)) {
            release();
        }
    }

    private synchronized boolean dequeue(Waiting w) {
        return queue.remove(w);
    }

    /** @return connections that waited for a slot, in total */
    public long queuedTotal() {
        return queuedTotal.get();
    }

    /** @return connections refused because the queue was full */
    public long refused() {
        return refused.get();
    }

    /** @return connections whose handshake timeout ran out before their handshake started */
    public long timedOutQueued() {
        return timedOutQueued.get();
    }

    /** @return handshakes running now */
    public synchronized int running() {
        return running;
    }

    /** @return connections waiting for a slot now */
    public synchronized int waiting() {
        return queue.size();
    }

    /** Where a connection is on its way to its handshake. */
    private enum Phase {
        /** Waiting for the client's first bytes: no slot, no place in the queue. */
        SILENT,
        /** In the queue, waiting for a slot. */
        QUEUED,
        /** Its handshake started (or it failed): the engine's own timer, or nothing, is left. */
        STARTED
    }

    /** A new connection on its way to its handshake, with the handshake timeout that already runs for it. */
    private final class Waiting extends StateTimer {
        private final StateEngine state;
        private final TlsOptions tls;
        private final ConnectCallback callback;
        private final Runnable refuse;
        private final long acceptedAt;
        /** Loop thread. */
        private Phase phase = Phase.SILENT;

        Waiting(StateEngine state, TlsOptions tls, ConnectCallback callback, Runnable refuse, long acceptedAt) {
            super(state);
            this.state = state;
            this.tls = tls;
            this.callback = callback;
            this.refuse = refuse;
            this.acceptedAt = acceptedAt;
        }

        void armTimeout() {
            Duration t = tls.handshakeTimeout();
            if (t != null) {
                state.loop().deadlines().schedule(this, acceptedAt + Timeouts.toNanos(t));
            }
        }

        /** The client sent its first bytes (or closed), or went silent past the state's read timeout. */
        void clientSpoke() {
            if (!state.isOpen() || phase != Phase.SILENT) {
                return;
            }
            if (state.status().readStatus() == IoStatus.TIMEOUT) {
                timedOut("sent nothing within its read timeout");
                return;
            }
            enter();
        }

        /** Takes a slot, or a place in the queue, or is refused; loop thread. */
        void enter() {
            boolean slot = false;
            boolean queued = false;
            synchronized (HandshakeGate.this) {
                if (running < maxConcurrent) {
                    running++;
                    slot = true;
                } else if (queue.size() < maxQueued) {
                    phase = Phase.QUEUED;
                    queue.addLast(this);
                    queued = true;
                }
            }
            if (slot) {
                begin();
            } else if (queued) {
                queuedTotal.incrementAndGet();
            } else {
                phase = Phase.STARTED;
                state.loop().deadlines().cancel(this);
                refused.incrementAndGet();
                refuse.run();
            }
        }

        /** It holds a slot now; its loop thread. */
        void begin() {
            phase = Phase.STARTED;
            state.loop().deadlines().cancel(this);
            if (!state.isOpen()) {
                release();
                return;
            }
            Duration t = tls.handshakeTimeout();
            if (t == null) {
                start(state, tls, callback);
                return;
            }
            long left = acceptedAt + Timeouts.toNanos(t) - state.loop().now();
            if (left <= 0) {
                release();
                timedOut("waited for a handshake slot for all of it");
                return;
            }
            start(state, tls.toBuilder().handshakeTimeout(Duration.ofNanos(left)).build(), callback);
        }

        @Override
        protected void fire(long now) {
            if (phase == Phase.SILENT) {
                phase = Phase.STARTED;
                timedOut("the client sent nothing");
            } else if (phase == Phase.QUEUED && dequeue(this)) {
                phase = Phase.STARTED;
                timedOut("waited for a handshake slot for all of it");
            }
        }

        private void timedOut(String why) {
            phase = Phase.STARTED;
            timedOutQueued.incrementAndGet();
            TlsHandshakeTimeoutException e = new TlsHandshakeTimeoutException(state.owner()
                    + ": Handshake timed out before it started: " + why);
            state.status().readStatus(IoStatus.TIMEOUT, e);
            state.counters().failure(IoStatus.TIMEOUT);
            state.call(callback, e);
        }
    }
}
