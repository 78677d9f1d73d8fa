package dev.asyncio.core.client;

import org.jspecify.annotations.Nullable;

import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * {@link ClientMode#SHARED}: one connection, every request pipelined on it; reconnects with backoff after a failed
 * connect and at once after a drop (then with backoff). A request made while an attempt is under way waits for it
 * in a {@link ConnectQueue}; while backing off, failed or disconnected it fails at once. Loop thread only.
 */
final class SharedMode implements Mode {
    private final ClientCore core;
    private @Nullable Connection current;
    private boolean dialing;
    /** The requests waiting for the attempt under way; {@code null} until the first one waits. */
    private @Nullable ConnectQueue held;

    SharedMode(ClientCore core) {
        this.core = core;
    }

    @Override
    public void start() {
        core.setState(ClientState.CONNECTING);
        connect();
    }

    private void connect() {
        if (dialing || core.closed() || core.state() == ClientState.DISCONNECTED) {
            return;
        }
        dialing = true;
        core.dial(this::dialed);
    }

    private boolean stopped() {
        return core.closed() || core.state() == ClientState.DISCONNECTED;
    }

    private void dialed(@Nullable Connection c, @Nullable Throwable failure) {
        dialing = false;
        if (c != null) {
            if (stopped() || current != null) {
                c.close(null);
                return;
            }
            current = c;
            gauges();
            core.setState(ClientState.CONNECTED);
            if (held != null) {
                held.sendOn(c);
            }
            return;
        }
        if (stopped()) {
            return;
        }
        Duration delay = core.nextDelay();
        if (delay == null) {
            core.setState(ClientState.FAILED);
            failHeld(failure);
            return;
        }
        core.setState(ClientState.RECONNECTING);
        if (delay.isZero()) {
            connect();   // the next address of the round, at once: the held requests wait for it
        } else {
            core.scheduleRetry(delay, this::connect);   // first: a callback's new request fails at once
            failHeld(failure);
        }
    }

    /** The attempt failed and no other is under way: the held requests fail with its cause. */
    private void failHeld(@Nullable Throwable cause) {
        if (held != null && !held.isEmpty()) {
            held.failAll(new ClientException(ClientException.Kind.NOT_CONNECTED, core.name(), notConnected(), cause));
        }
    }

    private void gauges() {
        int n = current != null ? 1 : 0;
        core.counters().openConnections = n;
        core.counters().activeConnections = n;
    }

    private String notConnected() {
        ClientStatistics s = core.statistics();
        return "not connected to " + core.options().addresses() + " (" + s.state()
                + (s.nextAttemptInMillis() >= 0 ? ", next attempt in " + s.nextAttemptInMillis() + " ms" : "")
                + (s.lastError() != null ? ", last error: " + s.lastError() : "") + ")";
    }

    @Override
    public void request(ByteBuffer payload, Pending p) {
        Connection c = current;
        if (c != null && c.usable()) {
            c.send(payload, p);
        } else if (dialing && c == null) {
            // A connect is under way (the first, or a reconnect's attempt): wait for it, bounded.
            if (held == null) {
                held = new ConnectQueue(core);
            }
            held.add(payload, p);
        } else {
            core.fail(p, ClientException.Kind.NOT_CONNECTED, notConnected(), null);
        }
    }

    @Override
    public void acquire(Waiter w) {
        Connection c = current;
        if (c != null && c.usable()) {
            core.handOut(w, c);
        } else {
            core.failWaiter(w, ClientException.Kind.NOT_CONNECTED, notConnected());
        }
    }

    @Override
    public void requestDone(Connection c) {
        // nothing to hand out: the connection is everyone's
    }

    @Override
    public void release(Connection c) {
        // the shared connection stays
    }

    @Override
    public void connectionClosed(Connection c, @Nullable Throwable cause) {
        if (c != current) {
            return;
        }
        current = null;
        gauges();
        if (stopped()) {
            return;
        }
        // A connection that was up dropped: a new round, first attempt at once.
        core.newRound();
        core.setState(ClientState.RECONNECTING);
        core.events().reconnectScheduled(0, Duration.ZERO);
        connect();
    }

    @Override
    public void disconnect() {
        if (held != null && !held.isEmpty()) {
            held.failAll(new ClientException(core.closed() ? ClientException.Kind.CLOSED
                    : ClientException.Kind.NOT_CONNECTED, core.name(), core.closed() ? "closed"
                    : "disconnected by the operator", null));
        }
        Connection c = current;
        current = null;
        gauges();
        if (c != null) {
            c.close(null);
        }
    }

    @Override
    public void reconnect() {
        Connection c = current;
        current = null;
        gauges();
        if (c != null) {
            c.close(null);
        }
        core.setState(ClientState.CONNECTING);
        connect();
    }

    @Override
    public void close() {
        disconnect();
    }
}
