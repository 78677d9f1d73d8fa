package dev.asyncio.core.client;

import org.jspecify.annotations.Nullable;

import dev.asyncio.core.AsyncIoState;
import dev.asyncio.core.LoopTimer;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * {@link ClientMode#POOL} and {@link ClientMode#PER_USE} (a pool that never reuses): connections opened on demand
 * up to {@link PoolOptions#maxConnections()}, waiters queued (bounded) and timed out by one timer, idle and old
 * connections evicted by a fixed-rate timer. After a failed connect the pool backs off: while the retry is
 * scheduled, what cannot be served by an open connection fails at once, and the retry itself is a background
 * connect whose connection goes idle into the pool. Loop thread only.
 */
final class PoolMode implements Mode {
    private final ClientCore core;
    private final PoolOptions po;
    private final boolean reuse;
    private final List<Connection> open = new ArrayList<>();
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private int connecting;
    private @Nullable LoopTimer waiterTimer;
    private long waiterTimerAt;
    private @Nullable LoopTimer evictionTimer;

    PoolMode(ClientCore core) {
        this.core = core;
        this.po = core.options().pool();
        this.reuse = core.options().mode() == ClientMode.POOL;
    }

    @Override
    public void start() {
        core.setState(ClientState.IDLE);
        if (reuse && (po.idleTimeout() != null || po.maxLifetime() != null)) {
            evictionTimer = core.collection().scheduleAtFixedRate(po.evictionInterval(), po.evictionInterval(),
                    this::evict);
        }
    }

    // ---- handing out

    @Override
    public void request(ByteBuffer payload, Pending p) {
        Connection c = pick(false);
        if (c != null) {
            c.send(payload, p);
            gauges();
            return;
        }
        long acquireDeadline = deadline(p.startNanos);
        boolean requestFirst = p.deadlineNanos - acquireDeadline < 0;
        enqueue(new Waiter(null, p, payload, p.startNanos, requestFirst ? p.deadlineNanos : acquireDeadline,
                requestFirst));
    }

    @Override
    public void acquire(Waiter w) {
        Connection c = pick(true);
        if (c != null) {
            c.leased = true;
            core.handOut(w, c);
            gauges();
            return;
        }
        enqueue(w);
    }

    private long deadline(long start) {
        Duration t = po.acquireTimeout();
        return t == null ? Long.MAX_VALUE : start + t.toNanos();
    }

    /** The least busy open connection that can take one more (an idle one for an exclusive acquire), or none. */
    private @Nullable Connection pick(boolean exclusive) {
        if (!reuse) {
            return null;
        }
        Connection best = null;
        List<Connection> dead = null;
        int limit = exclusive ? 1 : po.maxPipelined();
        for (Connection c : open) {
            if (c.leased || c.pending() >= limit) {
                continue;
            }
            if (!c.usable() || (c.pending() == 0 && !passesCheck(c))) {
                dead = dead == null ? new ArrayList<>() : dead;
                dead.add(c);
                continue;
            }
            if (best == null || c.pending() < best.pending()) {
                best = c;
            }
        }
        if (dead != null) {
            for (Connection c : dead) {
                evicted(c, EvictionReason.FAILED_CHECK);
                c.close(new java.io.IOException("failed the liveness check on acquire"));
            }
        }
        return best;
    }

    private boolean passesCheck(Connection c) {
        Predicate<AsyncIoState> check = po.connectionCheck();
        if (check == null) {
            return true;
        }
        boolean[] ok = {false};
        core.events().user(() -> ok[0] = check.test(c.state));
        return ok[0];
    }

    private boolean blocked() {
        ClientState s = core.state();
        return s == ClientState.FAILED || s == ClientState.DISCONNECTED || core.retryScheduled();
    }

    private void enqueue(Waiter w) {
        if (blocked() && open.isEmpty()) {
            core.failWaiter(w, ClientException.Kind.NOT_CONNECTED, notConnected());
            return;
        }
        if (waiters.size() >= po.maxPendingAcquires()) {
            core.failWaiter(w, ClientException.Kind.POOL_EXHAUSTED, po.maxPendingAcquires()
                    + " acquires are already waiting for a connection (pool.maxPendingAcquires), all "
                    + po.maxConnections() + " connections busy");
            return;
        }
        waiters.add(w);
        core.counters().pendingAcquires = waiters.size();
        if (w.deadlineNanos != Long.MAX_VALUE) {
            arm(w.deadlineNanos);
        }
        grow();
    }

    /** Opens connections for the waiters, within the limit, unless backing off. */
    private void grow() {
        if (blocked()) {
            return;
        }
        while (open.size() + connecting < po.maxConnections() && connecting < liveWaiters()) {
            dialOne();
        }
    }

    private int liveWaiters() {
        int n = 0;
        for (Waiter w : waiters) {
            if (!w.done) {
                n++;
            }
        }
        return n;
    }

    private void dialOne() {
        connecting++;
        core.dial(this::dialed);
    }

    private void dialed(@Nullable Connection c, @Nullable Throwable failure) {
        connecting--;
        boolean stopped = core.closed() || core.state() == ClientState.DISCONNECTED;
        if (c != null) {
            if (stopped) {
                c.close(null);
                return;
            }
            open.add(c);
            c.idleSinceNanos = System.nanoTime();
            core.setState(ClientState.CONNECTED);
            offer(c);
            gauges();
            return;
        }
        if (stopped) {
            return;
        }
        Duration delay = core.nextDelay();
        if (delay == null) {
            core.setState(ClientState.FAILED);
            failWaitersIfNothingOpen(failure);
            return;
        }
        if (delay.isZero()) {
            dialOne();   // the next address of the round
            return;
        }
        core.setState(ClientState.RECONNECTING);
        if (!core.retryScheduled()) {
            core.scheduleRetry(delay, this::dialOne);
        }
        // After scheduling: the waiters' messages name the next attempt, and a request a callback makes fails at once.
        failWaitersIfNothingOpen(failure);
    }

    private void failWaitersIfNothingOpen(@Nullable Throwable failure) {
        if (!open.isEmpty() || connecting > 0) {
            return;   // a release or the other connect may still serve them
        }
        Waiter w;
        while ((w = waiters.poll()) != null) {
            core.failWaiter(w, ClientException.Kind.NOT_CONNECTED, notConnected(), failure);
        }
        core.counters().pendingAcquires = 0;
    }

    /** Gives {@code c} to the waiters it can serve, in order. */
    private void offer(Connection c) {
        boolean served = false;
        while (!waiters.isEmpty() && c.usable() && !c.leased) {
            Waiter w = waiters.peek();
            if (w.done) {
                waiters.poll();
                continue;
            }
            if (w.acquire != null) {
                if (c.pending() > 0) {
                    break;
                }
                waiters.poll();
                c.leased = true;
                core.handOut(w, c);
                served = true;
                break;
            }
            if (c.pending() >= (reuse ? po.maxPipelined() : 1) || (!reuse && served)) {
                break;
            }
            waiters.poll();
            c.singleUse = !reuse;
            served = true;
            core.handOut(w, c);
        }
        core.counters().pendingAcquires = waiters.size();
        if (!reuse && !served && !c.leased && c.pending() == 0) {
            c.close(null);   // per use, and nobody wanted it any more
        }
    }

    // ---- giving back

    @Override
    public void requestDone(Connection c) {
        if (!reuse) {
            if (c.singleUse && c.pending() == 0) {
                c.close(null);
            }
            return;
        }
        if (!c.leased) {
            idleOrOffer(c);
        }
    }

    @Override
    public void release(Connection c) {
        c.leased = false;
        if (!reuse) {
            c.close(null);
            return;
        }
        if (c.usable()) {
            idleOrOffer(c);
        }
    }

    private void idleOrOffer(Connection c) {
        if (c.pending() == 0) {
            long now = System.nanoTime();
            c.idleSinceNanos = now;
            if (po.maxLifetime() != null && now - c.createdNanos >= po.maxLifetime().toNanos()) {
                evicted(c, EvictionReason.LIFETIME);
                c.close(null);
                return;
            }
        }
        offer(c);
        gauges();
    }

    @Override
    public void connectionClosed(Connection c, @Nullable Throwable cause) {
        if (!open.remove(c)) {
            return;
        }
        gauges();
        if (core.closed() || core.state() == ClientState.DISCONNECTED) {
            return;
        }
        if (open.isEmpty() && connecting == 0 && reuse) {
            if (cause != null && !core.retryScheduled()) {
                // The server may be gone: find out now, in the background, as a shared client would.
                core.newRound();
                core.setState(ClientState.RECONNECTING);
                core.events().reconnectScheduled(0, Duration.ZERO);
                dialOne();
                return;
            }
            if (cause == null && core.state() == ClientState.CONNECTED) {
                core.setState(ClientState.IDLE);
            }
        }
        grow();
    }

    // ---- timers

    private void arm(long deadline) {
        if (waiterTimer != null) {
            if (waiterTimerAt <= deadline) {
                return;
            }
            waiterTimer.cancel();
        }
        waiterTimerAt = deadline;
        waiterTimer = core.schedule(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())),
                this::expireWaiters);
    }

    private void expireWaiters() {
        waiterTimer = null;
        long now = System.nanoTime();
        long next = Long.MAX_VALUE;
        List<Waiter> expired = new ArrayList<>();
        for (Waiter w : waiters) {
            if (w.done) {
                continue;
            }
            if (w.deadlineNanos - now <= 0) {
                expired.add(w);
            } else {
                next = Math.min(next, w.deadlineNanos);
            }
        }
        waiters.removeIf(w -> w.done || w.deadlineNanos - now <= 0);
        core.counters().pendingAcquires = waiters.size();
        for (Waiter w : expired) {
            core.failWaiter(w, ClientException.Kind.ACQUIRE_TIMEOUT, "no connection came free within "
                    + po.acquireTimeout() + " (pool.acquireTimeout; " + po.maxConnections() + " connections, all busy)");
        }
        if (next != Long.MAX_VALUE) {
            arm(next);
        }
    }

    private void evict() {
        long now = System.nanoTime();
        List<Connection> old = null;
        for (Connection c : open) {
            if (c.leased || c.pending() > 0) {
                continue;
            }
            boolean idleTooLong = po.idleTimeout() != null && now - c.idleSinceNanos >= po.idleTimeout().toNanos();
            boolean tooOld = po.maxLifetime() != null && now - c.createdNanos >= po.maxLifetime().toNanos();
            if (idleTooLong || tooOld) {
                old = old == null ? new ArrayList<>() : old;
                old.add(c);
            }
        }
        if (old != null) {
            for (Connection c : old) {
                boolean tooOld = po.maxLifetime() != null && now - c.createdNanos >= po.maxLifetime().toNanos();
                evicted(c, tooOld ? EvictionReason.LIFETIME : EvictionReason.IDLE);
                c.close(null);
            }
        }
    }

    private void evicted(Connection c, EvictionReason reason) {
        core.counters().evictions++;
        core.events().evicted(c.address, reason);
    }

    private void gauges() {
        int active = 0;
        for (Connection c : open) {
            if (c.leased || c.pending() > 0) {
                active++;
            }
        }
        core.counters().openConnections = open.size();
        core.counters().activeConnections = active;
        core.counters().idleConnections = open.size() - active;
    }

    private String notConnected() {
        ClientStatistics s = core.statistics();
        return "no connection to " + core.options().addresses() + " (" + s.state()
                + (s.nextAttemptInMillis() >= 0 ? ", next attempt in " + s.nextAttemptInMillis() + " ms" : "")
                + (s.lastError() != null ? ", last error: " + s.lastError() : "") + ")";
    }

    // ---- operator and close

    @Override
    public void disconnect() {
        Waiter w;
        while ((w = waiters.poll()) != null) {
            core.failWaiter(w, ClientException.Kind.NOT_CONNECTED, "disconnected by the operator");
        }
        core.counters().pendingAcquires = 0;
        for (Connection c : new ArrayList<>(open)) {
            c.close(null);
        }
    }

    @Override
    public void reconnect() {
        for (Connection c : new ArrayList<>(open)) {
            if (!c.leased && c.pending() == 0) {
                c.close(null);
            }
        }
        if (!reuse) {
            core.setState(ClientState.IDLE);
            return;
        }
        core.setState(ClientState.CONNECTING);
        if (open.size() + connecting < po.maxConnections()) {
            dialOne();
        }
    }

    @Override
    public void close() {
        if (evictionTimer != null) {
            evictionTimer.cancel();
        }
        if (waiterTimer != null) {
            waiterTimer.cancel();
        }
        Waiter w;
        while ((w = waiters.poll()) != null) {
            core.failWaiter(w, ClientException.Kind.CLOSED, "closed");
        }
        core.counters().pendingAcquires = 0;
        for (Connection c : new ArrayList<>(open)) {
            c.close(null);
        }
    }
}
