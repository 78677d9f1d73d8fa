package dev.asyncio.core.internal.net;

import dev.asyncio.core.ConnectCallback;
import dev.asyncio.core.ConnectOptions;
import dev.asyncio.core.TlsSide;
import dev.asyncio.core.internal.loop.DeadlineQueue;
import dev.asyncio.core.internal.loop.EventLoop;
import dev.asyncio.core.internal.loop.Timeouts;
import dev.asyncio.core.internal.state.Connectable;
import dev.asyncio.core.internal.state.StateEngine;
import dev.asyncio.core.internal.state.StateFactory;
import dev.asyncio.core.internal.transport.StreamKind;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * The non-blocking connect of a Unix domain stream socket to a path, then TLS if asked for: {@link TcpConnector}
 * without names to resolve and without TCP socket options. The new state is returned at once; the connect runs on
 * the loop.
 */
public final class UnixConnector {

    private UnixConnector() {
    }

    /**
     * @param loop the collection's loop
     * @param factory makes the state
     * @param path the server's socket file
     * @param callback told of the outcome on the loop thread
     * @param options timeout, TLS and state options (local bind, family and TCP options do not apply)
     * @return the new state, connecting
     */
    public static StateEngine connect(EventLoop loop, StateFactory factory, Path path, ConnectCallback callback,
                                      ConnectOptions options) {
        SocketChannel channel;
        try {
            channel = UnixSockets.openClient();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open a Unix domain socket: " + e.getMessage(), e);
        }
        StateEngine state = factory.create(new StreamKind(channel), null, options.stateOptions(), true);
        loop.submit(() -> start(state, new Attempt(state, path, callback, options)));
        return state;
    }

    private static void start(StateEngine state, Attempt attempt) {
        if (!state.isOpen()) {
            return;
        }
        state.connect(attempt);
        try {
            if (((SocketChannel) state.kind().channel()).connect(UnixDomainSocketAddress.of(attempt.path))) {
                attempt.succeed();
                return;
            }
        } catch (IOException | RuntimeException e) {
            attempt.fail(describe(e, attempt.path));
            return;
        }
        state.updateInterest();
        if (attempt.options.connectTimeout() != null) {
            state.loop().deadlines().schedule(attempt,
                    state.loop().now() + Timeouts.toNanos(attempt.options.connectTimeout()));
        }
    }

    private static Throwable describe(Throwable e, Path path) {
        if (e instanceof IOException io) {
            IOException wrapped = new ConnectException("Cannot connect to the Unix domain socket " + path + ": "
                    + io.getMessage());
            wrapped.initCause(io);
            return wrapped;
        }
        return e;
    }

    private static final class Attempt extends DeadlineQueue.Entry implements Connectable {
        private final StateEngine state;
        final Path path;
        final ConnectCallback callback;
        final ConnectOptions options;

        Attempt(StateEngine state, Path path, ConnectCallback callback, ConnectOptions options) {
            this.state = state;
            this.path = path;
            this.callback = callback;
            this.options = options;
        }

        void succeed() {
            state.loop().deadlines().cancel(this);
            state.connect(null);
            state.connected();
            if (options.tls() == null) {
                state.call(callback, null);
                return;
            }
            // No host to verify or announce but the one the TLS options name (sniHostName).
            state.kind().stream("connect", "connectUnix").tls().attachFromLoop(options.tls(), TlsSide.CLIENT, null, 0,
                    (s, failure) -> {
                        if (failure != null) {
                            state.closeNow(false);
                        }
                        callback.call(s, failure);
                    });
        }

        void fail(Throwable failure) {
            state.loop().deadlines().cancel(this);
            state.connect(null);
            state.closeNow(false);
            state.call(callback, failure);
        }

        @Override
        public void connectable() {
            try {
                if (((SocketChannel) state.kind().channel()).finishConnect()) {
                    succeed();
                }
            } catch (IOException e) {
                fail(describe(e, path));
            }
        }

        @Override
        public void cancel() {
            state.loop().deadlines().cancel(this);
        }

        @Override
        protected void expired(long now) {
            if (state.connect() == this && state.isOpen()) {
                fail(new SocketTimeoutException("Connect to the Unix domain socket " + path + " timed out"));
            }
        }
    }
}
