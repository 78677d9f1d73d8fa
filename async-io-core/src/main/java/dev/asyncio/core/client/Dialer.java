package dev.asyncio.core.client;

import dev.asyncio.core.AsyncIoState;
import dev.asyncio.core.ConnectCallback;
import dev.asyncio.core.ConnectOptions;
import dev.asyncio.core.LoopTimer;
import dev.asyncio.core.StateCallback;
import dev.asyncio.core.StateOptions;

import java.time.Duration;

/**
 * Makes one connection: the connect ({@code connectTcp} or {@code connectUnix}, with TLS), the frame reader, the
 * {@link ConnectionInitializer}, and the counting and telling of the outcome. What follows a failure (the next
 * address, the backoff) is the mode's and the core's business. Loop thread only.
 */
final class Dialer {
    private final ClientCore core;

    Dialer(ClientCore core) {
        this.core = core;
    }

    /** One connect attempt to {@code a}. */
    void dial(ClientAddress a, ClientCore.Dialed done) {
        core.counters().currentAddress = a.toString();
        core.counters().connectAttempts++;
        Connection c = new Connection(core, a);
        long t0 = System.nanoTime();
        ConnectCallback callback = (s, failure) -> {
            if (failure == null) {
                dialed(c, s, t0, done);
            } else {
                dialFailed(a, failure, t0, done);
            }
        };
        try {
            ConnectOptions co = connectOptions(c);
            c.state = a.isUnix() ? core.collection().connectUnix(a.path(), callback, co)
                    : core.collection().connectTcp(a.host(), a.port(), callback, co);
        } catch (RuntimeException e) {
            dialFailed(a, e, t0, done);
        }
    }

    /** An attempt that failed before its connect: {@link ClientOptions#addressResolver()} refused {@code a}. */
    void unresolved(ClientAddress a, RuntimeException failure, ClientCore.Dialed done) {
        core.counters().currentAddress = a.toString();
        core.counters().connectAttempts++;
        dialFailed(a, failure, System.nanoTime(), done);
    }

    private void dialed(Connection c, AsyncIoState s, long t0, ClientCore.Dialed done) {
        c.state = s;
        try {
            c.opened(s);
        } catch (RuntimeException e) {
            s.close();
            dialFailed(c.address, e, t0, done);
            return;
        }
        ConnectionInitializer init = core.options().connectionInitializer();
        if (init == null) {
            ready(c, t0, done);
        } else {
            initialize(init, c, t0, done);
        }
    }

    private void ready(Connection c, long t0, ClientCore.Dialed done) {
        c.ready = true;
        core.counters().connects++;
        core.succeeded();
        core.events().connected(c.address, Duration.ofNanos(System.nanoTime() - t0));
        done.dialed(c, null);
    }

    /** Runs the initializer, bounded by the connect timeout; its outcome decides the attempt's. */
    private void initialize(ConnectionInitializer init, Connection c, long t0, ClientCore.Dialed done) {
        boolean[] finished = {false};
        LoopTimer[] guard = {null};
        java.util.function.Consumer<Throwable> outcome = failure -> core.onLoop(() -> {
            if (finished[0]) {
                return;
            }
            finished[0] = true;
            if (guard[0] != null) {
                guard[0].cancel();
            }
            if (failure == null && c.usable() && !core.closed()) {
                ready(c, t0, done);
                return;
            }
            Throwable why = failure != null ? failure
                    : new java.io.IOException("the connection to " + c.address + " closed during its initialization");
            c.close(why);
            dialFailed(c.address, why, t0, done);
        });
        Duration limit = core.options().connectTimeout();
        guard[0] = core.schedule(limit, () -> outcome.accept(new java.util.concurrent.TimeoutException(
                "the connection initializer did not finish within " + limit + " (connectTimeout)")));
        try {
            init.initialize(new Lease(core, c, false), outcome::accept);
        } catch (RuntimeException | Error e) {
            outcome.accept(e);
        }
    }

    private void dialFailed(ClientAddress a, Throwable failure, long t0, ClientCore.Dialed done) {
        core.counters().connectFailures++;
        core.counters().consecutiveFailures++;
        core.counters().error(failure);
        core.events().connectFailed(a, failure, Duration.ofNanos(System.nanoTime() - t0));
        done.dialed(null, failure);
    }

    private ConnectOptions connectOptions(Connection c) {
        ConnectOptions base = core.options().connectOptions();
        StateOptions so = base.stateOptions();
        StateCallback theirs = so.closedCallback();
        StateCallback closed = theirs == null ? c::closed : s -> {
            core.events().user(() -> theirs.call(s));
            c.closed(s);
        };
        StateOptions.Builder sb = so.toBuilder().queueOutput(true).closedCallback(closed);
        if (so.name() == null) {
            sb.name(core.name() + "->" + c.address);
        }
        ConnectOptions.Builder b = ConnectOptions.builder().connectTimeout(core.options().connectTimeout())
                .tls(core.options().tls()).nodelay(base.nodelay()).keepalive(base.keepalive())
                .ipFamily(base.ipFamily())
                .localPort(base.localPort()).stateOptions(sb.build());
        if (base.localAddress() != null) {
            b.localAddress(base.localAddress());
        }
        return b.build();
    }
}
