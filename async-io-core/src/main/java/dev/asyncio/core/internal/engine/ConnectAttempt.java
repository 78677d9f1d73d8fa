package dev.asyncio.core.internal.engine;

import dev.asyncio.core.ConnectCallback;
import dev.asyncio.core.TlsOptions;
import dev.asyncio.core.TlsSide;
import dev.asyncio.core.internal.loop.DeadlineQueue;
import dev.asyncio.core.internal.loop.Timeouts;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * One non-blocking connect of a stream state, whatever the address family: the connect itself, its timeout,
 * {@code OP_CONNECT}, TLS on success (LispWorks {@code :ssl-ctx} of the connect), and the callback. Loop thread.
 */
abstract class ConnectAttempt extends DeadlineQueue.Entry implements Connectable {

    /** The state connecting. */
    protected final StateEngine state;
    private final ConnectCallback callback;
    private final TlsOptions tls;

    /**
     * @param state the state connecting
     * @param callback told of the outcome
     * @param tls TLS to attach once connected, or {@code null}
     */
    ConnectAttempt(StateEngine state, ConnectCallback callback, TlsOptions tls) {
        this.state = state;
        this.callback = callback;
        this.tls = tls;
    }

    /** @return how messages name the target */
    abstract String target();

    /**
     * @param e a failure of the connect
     * @return it, with the target named if its message does not
     */
    abstract Throwable withTarget(Throwable e);

    /** @return the host TLS verifies and announces, or {@code null} for the options' {@code sniHostName} alone */
    abstract String tlsHost();

    /** @return the port the TLS engine is told */
    abstract int tlsPort();

    /**
     * Starts the connect: the state's connect is this attempt until it ends.
     *
     * @param address where to
     * @param timeout the connect timeout, or {@code null}
     */
    final void connect(SocketAddress address, Duration timeout) {
        state.connect(this);
        try {
            if (channel().connect(address)) {
                succeed();
                return;
            }
        } catch (IOException | RuntimeException e) {
            fail(withTarget(e));
            return;
        }
        state.updateInterest();
        if (timeout != null) {
            state.loop().deadlines().schedule(this, state.loop().now() + Timeouts.toNanos(timeout));
        }
    }

    final SocketChannel channel() {
        return (SocketChannel) state.kind().channel();
    }

    final void succeed() {
        state.loop().deadlines().cancel(this);
        state.connect(null);
        state.connected();
        if (tls == null) {
            state.call(callback, null);
            return;
        }
        state.kind().tls("connect", "a TCP state").attachFromLoop(tls, TlsSide.CLIENT, tlsHost(), tlsPort(),
                (s, failure) -> {
                    if (failure != null) {
                        state.closeNow(false);
                    }
                    callback.call(s, failure);
                }, null);
    }

    final void fail(Throwable failure) {
        state.loop().deadlines().cancel(this);
        state.connect(null);
        state.closeNow(false);
        state.call(callback, failure);
    }

    @Override
    public final void connectable() {
        try {
            if (channel().finishConnect()) {
                succeed();
            }
        } catch (IOException e) {
            fail(withTarget(e));
        }
    }

    @Override
    public final void cancel() {
        state.loop().deadlines().cancel(this);
    }

    @Override
    protected final void expired(long now) {
        if (state.connect() == this && state.isOpen()) {
            fail(new SocketTimeoutException("Connect to " + target() + " timed out"));
        }
    }
}
