package dev.asyncio.core.internal.engine;

import dev.asyncio.core.ConnectCallback;
import dev.asyncio.core.IoStatus;
import dev.asyncio.core.StateCallback;
import dev.asyncio.core.TlsOptions;
import dev.asyncio.core.TlsSide;
import dev.asyncio.core.internal.transport.TlsEngines;
import dev.asyncio.core.internal.transport.TlsTransport;

import java.nio.channels.SelectionKey;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

/**
 * Attaching, handshaking and detaching TLS on one stream state (LispWorks {@code async-io-state-attach-ssl},
 * {@code -handshake}, {@code -detach-ssl}): each swaps the state's transport between the plain one and a
 * {@link TlsTransport} over it. These need the state to themselves: no read or write may be active.
 */
final class TlsAttachment implements TlsControl {

    private final StateEngine state;
    private final StreamKind stream;
    /** Set on attach, read from any thread. */
    private volatile TlsSide side;
    /** Where the engine came from (LispWorks {@code async-io-state-ctx}); set on attach, read from any thread. */
    private volatile SSLContext context;
    /** Gives back the accept handshake's slot (see {@link HandshakeGate}), or {@code null}; loop thread. */
    private Runnable handshakeSlot;

    TlsAttachment(StateEngine state, StreamKind stream) {
        this.state = state;
        this.stream = stream;
    }

    /** @return the side of the attached TLS, or {@code null}; any thread */
    @Override
    public TlsSide side() {
        return side;
    }

    /** @return the context the attached engine came from, or {@code null} without TLS; any thread */
    @Override
    public SSLContext context() {
        return context;
    }

    /** @return the attached engine, or {@code null}; asks the loop thread */
    @Override
    public SSLEngine engine() {
        return state.loop().callOnLoop(() -> stream.transport().sslEngine());
    }

    /**
     * Attaches TLS from the caller's thread: claims the state, then sets up on the loop.
     *
     * @param options context, side, timeouts
     * @param callback told of the handshake's outcome
     */
    @Override
    public void attach(TlsOptions options, ConnectCallback callback) {
        state.requireUsable("attachTls");
        if (side != null) {
            throw new IllegalStateException(state.owner() + ": attachTls on a state that has TLS attached already");
        }
        state.claimExclusive("attachTls");
        TlsSide s = options.side() != null ? options.side() : TlsSide.SERVER;
        state.loop().submit(() -> start(options, s, null, 0, callback));
    }

    /**
     * Attaches TLS from the loop thread, for connect and accept (then holding a slot of its handle's
     * {@link HandshakeGate}).
     *
     * @param options context, side, timeouts
     * @param defaultSide the side unless the options name one
     * @param host the peer's host for SNI and endpoint checks, or {@code null}
     * @param port the peer's port
     * @param callback told of the handshake's outcome
     * @param slotReleaser run once when the handshake ends, fails to start, or the state closes; or {@code null}
     */
    @Override
    public void attachFromLoop(TlsOptions options, TlsSide defaultSide, String host, int port,
                               ConnectCallback callback, Runnable slotReleaser) {
        handshakeSlot = slotReleaser;
        if (!state.tryClaimExclusive()) {
            releaseSlot();
            state.call(callback, new IllegalStateException(state.owner() + ": an operation was started before TLS "
                    + "was set up; start operations from the connect or connection callback"));
            return;
        }
        start(options, options.side() != null ? options.side() : defaultSide, host, port, callback);
    }

    private void start(TlsOptions options, TlsSide s, String host, int port, ConnectCallback callback) {
        if (!state.isOpen()) {
            releaseSlot();
            state.releaseExclusive();
            return;
        }
        SSLEngine engine;
        try {
            engine = TlsEngines.create(options, s, host, port);
        } catch (RuntimeException e) {
            releaseSlot();
            state.releaseExclusive();
            state.call(callback, e);
            return;
        }
        TlsTransport tls = new TlsTransport(engine, s, stream.plain(), state.loop(), state.owner().toString(),
                this::pausing, this::resumed, state.memory());
        tls.maxRenegotiations(options.maxRenegotiations());
        stream.transport(tls);
        side = s;
        context = TlsEngines.context(options);
        byte[] early = state.read().input().takeAll();
        if (early.length > 0) {
            tls.feed(early);
        }
        if (s == TlsSide.BOTH) {
            releaseSlot();
            state.releaseExclusive();
            state.call(callback, null);
            return;
        }
        tls.startHandshake(new HandshakeDriver(tls, callback), options.handshakeTimeout());
    }

    /**
     * Runs a handshake on attached TLS (after attaching with {@link TlsSide#BOTH}, or to renegotiate).
     *
     * @param callback told of the outcome
     * @param timeout the handshake timeout, or {@code null}
     */
    @Override
    public void handshake(ConnectCallback callback, Duration timeout) {
        state.requireUsable("handshake");
        if (side == null) {
            throw new IllegalStateException(state.owner() + ": handshake needs TLS attached (attachTls)");
        }
        state.claimExclusive("handshake");
        state.loop().submit(() -> {
            if (!state.isOpen() || !(stream.transport() instanceof TlsTransport tls)) {
                state.releaseExclusive();
                return;
            }
            tls.startHandshake(new HandshakeDriver(tls, callback), timeout);
        });
    }

    /**
     * Removes TLS: close_notify both ways, then plain traffic; does nothing but call back without TLS.
     *
     * @param callback told when done, or {@code null}
     */
    @Override
    public void requirePlain(String what) {
        if (stream.transport().tlsSide() != null) {
            throw new IllegalStateException(state.owner() + ": " + what + " is not available on a state with TLS "
                    + "attached");
        }
    }

    @Override
    public void detach(StateCallback callback) {
        state.requireUsable("detachTls");
        if (side == null) {
            if (callback != null) {
                state.loop().submit(() -> state.call(callback));
            }
            return;
        }
        state.claimExclusive("detachTls");
        state.loop().submit(() -> {
            if (!state.isOpen() || !(stream.transport() instanceof TlsTransport tls)) {
                state.releaseExclusive();
                return;
            }
            tls.startDetach(new DetachDriver(tls, callback), TlsOptions.DEFAULT_HANDSHAKE_TIMEOUT);
        });
    }

    /** Gives the handshake's slot of its handle's {@link HandshakeGate} back, once; loop thread. */
    private void releaseSlot() {
        Runnable r = handshakeSlot;
        handshakeSlot = null;
        if (r != null) {
            r.run();
        }
    }

    /** Back to the plain transport: the handshake failed, TLS was detached or the state closed. */
    private void dropTls(TlsTransport tls) {
        tls.dispose();
        stream.transport(stream.plain());
        side = null;
        context = null;
    }

    /** Closing detaches TLS, as LispWorks does; the stream closes the transport. */
    void closed() {
        releaseSlot();
        side = null;
        context = null;
    }

    /** The engine checks a renegotiation off the loop: nothing can be read or written, so select for nothing. */
    private void pausing() {
        state.pauseInterest();
    }

    /** The engine finished the tasks of a renegotiation: reads and writes that waited go on. */
    private void resumed() {
        if (!state.isOpen() || side == null) {
            return;
        }
        if (state.read().isActive()) {
            state.markReadReady();
        }
        if (!state.outbound().isEmpty() || stream.transport().hasPendingOutput()) {
            state.markFlushReady();
        }
    }

    /** Turns the driver's wishes into interest ops. */
    private abstract class Driver implements TlsTransport.Driver {
        final TlsTransport tls;

        Driver(TlsTransport tls) {
            this.tls = tls;
        }

        @Override
        public void wantRead(boolean on) {
            state.setInterest(SelectionKey.OP_READ, on);
        }

        @Override
        public void wantWrite(boolean on) {
            state.setInterest(SelectionKey.OP_WRITE, on);
        }
    }

    /** Reports a handshake: on failure the state is left without TLS, as LispWorks says. */
    private final class HandshakeDriver extends Driver {
        private final ConnectCallback callback;

        HandshakeDriver(TlsTransport tls, ConnectCallback callback) {
            super(tls);
            this.callback = callback;
        }

        @Override
        public void finished(Throwable failure, IoStatus status) {
            releaseSlot();
            if (!state.isOpen()) {
                return;
            }
            if (failure != null) {
                state.status().readStatus(status, failure);
                state.counters().failure(status == IoStatus.EOF ? IoStatus.ERROR : status);
                dropTls(tls);
            }
            state.releaseExclusive();
            state.call(callback, failure);
        }
    }

    /** Ends a detach: leftover bytes become buffered plain input. */
    private final class DetachDriver extends Driver {
        private final StateCallback callback;

        DetachDriver(TlsTransport tls, StateCallback callback) {
            super(tls);
            this.callback = callback;
        }

        @Override
        public void finished(Throwable failure, IoStatus status) {
            if (stream.transport() != tls || !state.isOpen()) {
                return;
            }
            byte[] rest = tls.takeLeftovers();
            dropTls(tls);
            state.read().input().append(rest, state.options().maxBufferedInput());
            if (failure != null) {
                state.status().readStatus(status, failure);
            }
            state.releaseExclusive();
            state.call(callback);
        }
    }
}
