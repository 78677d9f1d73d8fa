package dev.asyncio.core.client;

import org.jspecify.annotations.Nullable;

import dev.asyncio.core.FrameWriter;
import dev.asyncio.core.LoopTimer;
import dev.asyncio.core.WaitStateCollection;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * The client's engine: the lifecycle and state, dialing with failover and backoff, and the completion of requests.
 * Which connection a request or an acquire gets is the {@link Mode}'s business. Everything mutable is confined to
 * the loop thread; the entry points hop onto it.
 */
final class ClientCore {
    /** Told the outcome of one dial. */
    interface Dialed {
        void dialed(@Nullable Connection c, @Nullable Throwable failure);
    }

    private final AsyncIoClient client;
    private final String name;
    private final WaitStateCollection collection;
    private final ClientOptions options;
    private final Counters counters = new Counters();
    private final Events events;
    private final @Nullable FrameWriter writer;
    private final AddressCycle cycle;
    private final Mode mode;
    private final Dialer dialer;
    private final long requestTimeoutNanos;
    private volatile ClientState state = ClientState.NEW;
    private volatile boolean started;
    /** Loop only: how many failed rounds of addresses in a row (the backoff's exponent). */
    private int failedRounds;
    private @Nullable LoopTimer retryTimer;
    /** Loop only: inside a request or acquire call made on the loop thread (immediate failures are deferred). */
    private int callDepth;

    ClientCore(AsyncIoClient client, String name, WaitStateCollection collection, ClientOptions options) {
        this.client = client;
        this.name = name;
        this.collection = collection;
        this.options = options;
        this.events = new Events(client, collection, options.listeners());
        this.writer = options.framing() != null ? new FrameWriter(options.framing()) : null;
        this.cycle = new AddressCycle(options.addresses(), options.addressOrder(), this::random);
        this.requestTimeoutNanos = options.requestTimeout() == null ? -1 : options.requestTimeout().toNanos();
        this.dialer = new Dialer(this);
        this.mode = options.mode() == ClientMode.SHARED ? new SharedMode(this) : new PoolMode(this);
    }

    String name() {
        return name;
    }

    WaitStateCollection collection() {
        return collection;
    }

    ClientOptions options() {
        return options;
    }

    AsyncIoClient client() {
        return client;
    }

    Counters counters() {
        return counters;
    }

    Events events() {
        return events;
    }

    FrameWriter writer() {
        return writer;
    }

    ClientState state() {
        return state;
    }

    ClientStatistics statistics() {
        return counters.snapshot(state);
    }

    void addListener(ClientListener l) {
        events.add(l);
    }

    void removeListener(ClientListener l) {
        events.remove(l);
    }

    RandomGenerator random() {
        RandomGenerator r = options.random();
        return r != null ? r : ThreadLocalRandom.current();
    }

    // ---- entry points, any thread

    synchronized void start() {
        if (state == ClientState.CLOSED) {
            throw new IllegalStateException("client '" + name + "' is closed: it cannot start again");
        }
        if (started) {
            return;
        }
        if (collection.isClosed()) {
            throw new IllegalStateException("client '" + name + "': its collection " + collection.name()
                    + " is closed");
        }
        started = true;
        onLoop(mode::start);
    }

    void close() {
        ClientState from;
        synchronized (this) {
            from = state;
            if (from == ClientState.CLOSED) {
                return;
            }
            state = ClientState.CLOSED;
        }
        onLoop(() -> {
            cancelRetry();
            mode.close();
            events.stateChanged(from, ClientState.CLOSED);
        });
    }

    void disconnect() {
        requireRunning("disconnect");
        onLoop(() -> {
            if (state == ClientState.CLOSED) {
                return;
            }
            cancelRetry();
            setState(ClientState.DISCONNECTED);
            mode.disconnect();
        });
    }

    void reconnect() {
        requireRunning("reconnect");
        onLoop(() -> {
            if (state == ClientState.CLOSED) {
                return;
            }
            cancelRetry();
            counters.consecutiveFailures = 0;
            failedRounds = 0;
            cycle.newRound();
            mode.reconnect();
        });
    }

    void request(ByteBuffer payload, ReplyCallback callback) {
        if (writer == null) {
            throw new IllegalStateException("client '" + name + "' has no framing (ClientOptions.framing): "
                    + "request/reply needs one; use acquire() for raw connections");
        }
        requireStarted("request");
        writer.check(payload);
        long t0 = System.nanoTime();
        onLoop(() -> {
            counters.requests++;
            Pending p = new Pending(callback, t0, requestTimeoutNanos < 0 ? Long.MAX_VALUE : t0 + requestTimeoutNanos);
            callDepth++;
            try {
                if (state == ClientState.CLOSED) {
                    fail(p, ClientException.Kind.CLOSED, "closed", null);
                } else {
                    mode.request(payload, p);
                }
            } finally {
                callDepth--;
            }
        });
    }

    /** A request on one connection ({@link ClientConnection#request}); the caller checked framing and payload. */
    void requestOn(Connection c, ByteBuffer payload, ReplyCallback callback) {
        long t0 = System.nanoTime();
        onLoop(() -> {
            counters.requests++;
            Pending p = new Pending(callback, t0, requestTimeoutNanos < 0 ? Long.MAX_VALUE : t0 + requestTimeoutNanos);
            callDepth++;
            try {
                c.send(payload, p);
            } finally {
                callDepth--;
            }
        });
    }

    void acquire(AcquireCallback callback) {
        requireStarted("acquire");
        long t0 = System.nanoTime();
        onLoop(() -> {
            Duration timeout = options.mode() == ClientMode.SHARED ? null : options.pool().acquireTimeout();
            Waiter w = new Waiter(callback, null, null, t0,
                    timeout == null ? Long.MAX_VALUE : t0 + timeout.toNanos(), false);
            callDepth++;
            try {
                if (state == ClientState.CLOSED) {
                    failWaiter(w, ClientException.Kind.CLOSED, "closed");
                } else {
                    mode.acquire(w);
                }
            } finally {
                callDepth--;
            }
        });
    }

    private void requireStarted(String what) {
        if (!started && state != ClientState.CLOSED) {
            throw new IllegalStateException("client '" + name + "': " + what + " before start()");
        }
    }

    private void requireRunning(String what) {
        if (state == ClientState.CLOSED) {
            throw new IllegalStateException("client '" + name + "' is closed: cannot " + what);
        }
        requireStarted(what);
    }

    /** Runs on the loop: at once when on the loop thread, else queued; on the caller's thread once the loop is gone. */
    void onLoop(Runnable r) {
        if (collection.inLoopThread()) {
            r.run();
            return;
        }
        try {
            collection.execute(r);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            r.run();
        }
    }

    // ---- state, loop thread

    void setState(ClientState to) {
        ClientState from = state;
        if (from == to || from == ClientState.CLOSED) {
            return;
        }
        state = to;
        events.stateChanged(from, to);
    }

    boolean closed() {
        return state == ClientState.CLOSED;
    }

    // ---- dialing, loop thread

    /** One connect attempt to the current address of the round. */
    void dial(Dialed done) {
        ClientAddress a = cycle.current();
        java.util.function.UnaryOperator<ClientAddress> resolver = options.addressResolver();
        if (resolver != null) {
            try {
                a = java.util.Objects.requireNonNull(resolver.apply(a), "the addressResolver returned null");
            } catch (RuntimeException e) {
                dialer.unresolved(a, e, done);
                return;
            }
        }
        dialer.dial(a, done);
    }

    /** A connect attempt succeeded: the backoff starts again from the beginning. */
    void succeeded() {
        counters.consecutiveFailures = 0;
        failedRounds = 0;
    }

    /**
     * After a failed attempt: what next.
     *
     * @return {@code null} = give up ({@link ReconnectPolicy#maxAttempts()} reached); zero = try the next address of
     *         the round now; else the backoff before the next round
     */
    @Nullable Duration nextDelay() {
        int max = options.reconnect().maxAttempts();
        if (max > 0 && counters.consecutiveFailures >= max) {
            return null;
        }
        if (!cycle.advance()) {
            return Duration.ZERO;
        }
        failedRounds++;
        return options.reconnect().delay(failedRounds, random());
    }

    /** Starts the next round from its first address (after a connection that was up dropped). */
    void newRound() {
        cycle.newRound();
    }

    void scheduleRetry(Duration delay, Runnable attempt) {
        cancelRetry();
        counters.nextAttemptAtNanos = System.nanoTime() + delay.toNanos();
        events.reconnectScheduled(counters.consecutiveFailures, delay);
        retryTimer = schedule(delay, () -> {
            retryTimer = null;
            counters.nextAttemptAtNanos = Long.MIN_VALUE;
            if (!closed()) {
                attempt.run();
            }
        });
    }

    /**
     * A timer on the loop, or {@code null} once the collection is closed (it closed under the client: its states
     * are closed with it, and nothing is left to time).
     */
    @Nullable LoopTimer schedule(Duration delay, Runnable action) {
        try {
            return collection.schedule(delay, action);
        } catch (IllegalStateException closed) {
            if (collection.isClosed()) {
                return null;
            }
            throw closed;
        }
    }

    boolean retryScheduled() {
        return retryTimer != null;
    }

    void cancelRetry() {
        if (retryTimer != null) {
            retryTimer.cancel();
            retryTimer = null;
        }
        counters.nextAttemptAtNanos = Long.MIN_VALUE;
    }

    // ---- completions, loop thread

    void replied(Pending p, ByteBuffer frame) {
        p.done = true;
        counters.replies++;
        if (events.any()) {
            events.requestCompleted(Duration.ofNanos(System.nanoTime() - p.startNanos), null);
        }
        try {
            p.callback.reply(frame, null);   // the hot path: no lambda
        } catch (RuntimeException | Error e) {
            events.failed(e);
        }
    }

    void fail(Pending p, ClientException.Kind kind, String message, @Nullable Throwable cause) {
        fail(p, new ClientException(kind, name, message, cause));
    }

    void fail(Pending p, ClientException failure) {
        if (p.done) {
            return;
        }
        p.done = true;
        counters.requestFailures++;
        events.requestCompleted(Duration.ofNanos(System.nanoTime() - p.startNanos), failure);
        later(() -> p.callback.reply(null, failure));
    }

    /** A request a raw connection's holder made itself ({@link ClientConnection#reportRequest}). */
    void reported(Duration took, @Nullable ClientException failure) {
        counters.requests++;
        if (failure == null) {
            counters.replies++;
        } else {
            counters.requestFailures++;
            if (failure.kind() == ClientException.Kind.REQUEST_TIMEOUT) {
                counters.requestTimeouts++;
            }
        }
        events.requestCompleted(took, failure);
    }

    void timedOut(Pending p, ClientAddress address) {
        counters.requestTimeouts++;
        fail(p, ClientException.Kind.REQUEST_TIMEOUT, "no reply from " + address + " within "
                + options.requestTimeout() + " (requestTimeout)", null);
    }

    void unsolicited(Connection c, ByteBuffer frame, boolean late) {
        if (late) {
            counters.lateReplies++;
        } else {
            counters.unsolicitedFrames++;
        }
        events.unsolicitedFrame(late);
        UnsolicitedFrameHandler h = options.unsolicitedFrameHandler();
        if (h != null) {
            events.user(() -> h.frame(new Lease(this, c, false), frame, late));
        }
    }

    /** Gives a waiter its connection. */
    void handOut(Waiter w, Connection c) {
        w.done = true;
        events.acquired(Duration.ofNanos(System.nanoTime() - w.startNanos));
        if (w.request != null) {
            c.send(w.payload, w.request);
            return;
        }
        Lease lease = new Lease(this, c, true);
        events.user(() -> w.acquire.acquired(lease, null));
    }

    void failWaiter(Waiter w, ClientException.Kind kind, String message) {
        failWaiter(w, kind, message, null);
    }

    /** As {@link #failWaiter(Waiter, ClientException.Kind, String)}, with the cause (the failed connect's). */
    void failWaiter(Waiter w, ClientException.Kind kind, String message, @Nullable Throwable cause) {
        if (w.done) {
            return;
        }
        w.done = true;
        if (w.request != null && w.requestDeadline && kind == ClientException.Kind.ACQUIRE_TIMEOUT) {
            timedOut(w.request, cycle.current());
            return;
        }
        ClientException failure = new ClientException(kind, name, message, cause);
        if (kind == ClientException.Kind.ACQUIRE_TIMEOUT) {
            counters.acquireTimeouts++;
        } else if (kind == ClientException.Kind.POOL_EXHAUSTED) {
            counters.acquireRejections++;
        }
        events.acquireFailed(failure);
        if (w.request != null) {
            fail(w.request, failure);
        } else {
            later(() -> w.acquire.acquired(null, failure));
        }
    }

    /** Runs a user callback now, or (inside a request or acquire call on the loop thread) right after that call. */
    private void later(Runnable userCode) {
        if (callDepth > 0) {
            try {
                collection.execute(() -> events.user(userCode));
                return;
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                // the loop is gone: run it here
            }
        }
        events.user(userCode);
    }

    void requestDone(Connection c) {
        mode.requestDone(c);
    }

    void release(Connection c) {
        mode.release(c);
    }

    void connectionClosed(Connection c, @Nullable Throwable cause) {
        counters.disconnects++;
        if (cause != null) {
            counters.error(cause);
        }
        events.disconnected(c.address, cause);
        mode.connectionClosed(c, cause);
    }
}
