package dev.asyncio.core.internal.transport;

import dev.asyncio.core.ConnectCallback;
import dev.asyncio.core.IoStatus;
import dev.asyncio.core.TlsHandshakeTimeoutException;
import dev.asyncio.core.TlsOptions;
import dev.asyncio.core.TlsSide;
import dev.asyncio.core.internal.loop.Timeouts;
import dev.asyncio.core.internal.state.StateEngine;
import dev.asyncio.core.internal.state.StateTimer;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The TLS handshakes of one accepting handle ({@link TlsOptions#maxConcurrentHandshakes()}): at most that many run
 * at once; the connections beyond wait, in the order they were accepted, up to
 * {@link TlsOptions#maxQueuedHandshakes()}; one more is refused (closed at once, counted by the caller). Without a
 * bound, a storm of handshakes shares the CPU (and the engine's task threads) so thinly that every handshake, a
 * legitimate client's included, slows to a crawl and many run into their timeout: work done for nothing.
 *
 * <p>The handshake timeout counts from the accept, time queued included: a client has one budget, and the queue
 * cannot hold a connection longer than the timeout. A connection whose time runs out in the queue fails as a
 * handshake timeout without its engine ever being made (a queued connection holds its socket, not an engine).
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
     * Starts the server handshake of a new connection now, queues it, or refuses it; the state's loop thread.
     *
     * @param state the new connection
     * @param tls the handle's TLS options
     * @param callback told of the handshake's outcome, as {@link TlsAttachment#attachFromLoop} tells it (a
     *        {@link TlsHandshakeTimeoutException} if the time ran out in the queue)
     * @param refuse closes and counts a connection refused because the queue is full
     */
    public void admit(StateEngine state, TlsOptions tls, ConnectCallback callback, Runnable refuse) {
        Waiting waiting = null;
        boolean full = false;
        synchronized (this) {
            if (running < maxConcurrent) {
                running++;
            } else if (queue.size() < maxQueued) {
                waiting = new Waiting(state, tls, callback, state.loop().now());
                queue.addLast(waiting);
            } else {
                full = true;
            }
        }
        if (full) {
            refused.incrementAndGet();
            refuse.run();
            return;
        }
        if (waiting == null) {
            start(state, tls, callback);
            return;
        }
        queuedTotal.incrementAndGet();
        // On this loop, before any begin() a freed slot may have queued here: begin() cancels it.
        waiting.armTimeout();
    }

    private void start(StateEngine state, TlsOptions tls, ConnectCallback callback) {
        AtomicBoolean held = new AtomicBoolean(true);
        Runnable slot = () -> {
            if (held.compareAndSet(true, false)) {
                release();
            }
        };
        state.kind().stream("accept", "a TCP state").tls().attachFromLoop(tls, TlsSide.SERVER, null, 0, callback,
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

    /** @return queued connections whose handshake timeout ran out before a slot was free */
    public long timedOutQueued() {
        return timedOutQueued.get();
    }

    /** @return handshakes running now and connections waiting now */
    public synchronized int[] load() {
        return new int[] {running, queue.size()};
    }

    /** A connection waiting for a slot, with the handshake timeout that already runs for it. */
    private final class Waiting extends StateTimer {
        private final StateEngine state;
        private final TlsOptions tls;
        private final ConnectCallback callback;
        private final long acceptedAt;

        Waiting(StateEngine state, TlsOptions tls, ConnectCallback callback, long acceptedAt) {
            super(state);
            this.state = state;
            this.tls = tls;
            this.callback = callback;
            this.acceptedAt = acceptedAt;
        }

        void armTimeout() {
            Duration t = tls.handshakeTimeout();
            if (t != null && !isScheduled()) {
                state.loop().deadlines().schedule(this, acceptedAt + Timeouts.toNanos(t));
            }
        }

        /** Its turn came; its loop thread. */
        void begin() {
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
                timedOut();
                return;
            }
            start(state, tls.toBuilder().handshakeTimeout(Duration.ofNanos(left)).build(), callback);
        }

        @Override
        protected void fire(long now) {
            if (dequeue(this)) {
                timedOut();
            }
        }

        private void timedOut() {
            timedOutQueued.incrementAndGet();
            TlsHandshakeTimeoutException e = new TlsHandshakeTimeoutException(state.owner()
                    + ": Handshake timed out while waiting for one of the " + maxConcurrent
                    + " handshake slots of its handle");
            state.readStatus(IoStatus.TIMEOUT, e);
            state.counters().failure(IoStatus.TIMEOUT);
            state.call(callback, e);
        }
    }
}
