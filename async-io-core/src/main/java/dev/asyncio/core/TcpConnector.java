package dev.asyncio.core;

import dev.asyncio.core.internal.DeadlineQueue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.channels.SocketChannel;

/**
 * The non-blocking connect behind {@link WaitStateCollection#connectTcp}: resolves the host off the loop thread
 * (unless it is a literal), connects, enforces the connect timeout and calls the {@link ConnectCallback}.
 */
final class TcpConnector {

    private TcpConnector() {
    }

    static AsyncIoState connect(WaitStateCollection collection, String host, int port, ConnectCallback callback,
                                ConnectOptions options) {
        SocketChannel channel;
        try {
            channel = options.ipFamily() == IpFamily.IPV4 ? SocketChannel.open(StandardProtocolFamily.INET)
                    : SocketChannel.open();
            channel.setOption(StandardSocketOptions.TCP_NODELAY, options.nodelay());
            channel.setOption(StandardSocketOptions.SO_KEEPALIVE, options.keepalive());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("Cannot open a socket: " + e.getMessage(), e);
        }
        AsyncIoState state = AsyncIoState.register(collection, channel, null, options.stateOptions(), true);
        InetAddress literal = HostNames.literal(host);
        if (literal != null) {
            collection.submit(() -> start(state, new InetSocketAddress(literal, port), host, callback, options));
        } else {
            HostNames.RESOLVER.execute(() -> {
                InetSocketAddress target;
                try {
                    target = new InetSocketAddress(HostNames.resolve(host, options.ipFamily()), port);
                } catch (UnknownHostException e) {
                    collection.submitIfOpen(() -> fail(state, callback, e));
                    return;
                }
                collection.submitIfOpen(() -> start(state, target, host, callback, options));
            });
        }
        return state;
    }

    private static void start(AsyncIoState state, InetSocketAddress target, String host, ConnectCallback callback,
                              ConnectOptions options) {
        if (!state.isOpen()) {
            return;
        }
        SocketChannel ch = state.socketChannel();
        ConnectAttempt attempt = new ConnectAttempt(state, target, callback, options.tls(), host);
        state.attachConnect(attempt);
        try {
            if (options.localAddress() != null || options.localPort() != 0) {
                InetAddress local = options.localAddress() != null ? InetAddress.getByName(options.localAddress())
                        : null;
                ch.bind(local == null ? new InetSocketAddress(options.localPort())
                        : new InetSocketAddress(local, options.localPort()));
            }
            if (ch.connect(target)) {
                succeed(state, attempt);
                return;
            }
        } catch (IOException | RuntimeException e) {
            fail(state, callback, withTarget(e, target));
            return;
        }
        state.updateInterest();
        if (options.connectTimeout() != null) {
            state.collection.deadlines().schedule(attempt,
                    state.collection.now() + Timeouts.toNanos(options.connectTimeout()));
        }
    }

    /** The socket is connectable: finish the connect (loop thread). */
    static void finish(AsyncIoState state) {
        ConnectAttempt attempt = state.connectAttempt();
        if (attempt == null) {
            return;
        }
        try {
            if (state.socketChannel().finishConnect()) {
                succeed(state, attempt);
            }
        } catch (IOException e) {
            fail(state, attempt.callback, withTarget(e, attempt.target));
        }
    }

    private static void succeed(AsyncIoState state, ConnectAttempt attempt) {
        state.collection.deadlines().cancel(attempt);
        state.attachConnect(null);
        state.connected();
        if (attempt.tls == null) {
            state.invokeConnect(attempt.callback, null);
            return;
        }
        String peerHost = attempt.host != null ? attempt.host : attempt.target.getHostString();
        state.startTlsFromLoop(attempt.tls, TlsSide.CLIENT, peerHost, attempt.target.getPort(), (s, failure) -> {
            if (failure != null) {
                s.closeNow(false);
            }
            attempt.callback.call(s, failure);
        });
    }

    private static void fail(AsyncIoState state, ConnectCallback callback, Throwable failure) {
        ConnectAttempt attempt = state.connectAttempt();
        if (attempt != null) {
            state.collection.deadlines().cancel(attempt);
            state.attachConnect(null);
        }
        state.closeNow(false);
        state.invokeConnect(callback, failure);
    }

    private static Throwable withTarget(Throwable e, InetSocketAddress target) {
        if (e instanceof IOException io && (io.getMessage() == null
                || !io.getMessage().contains(String.valueOf(target.getPort())))) {
            IOException wrapped = new java.net.ConnectException("Cannot connect to "
                    + WaitStateCollection.describe(target) + ": " + io.getMessage());
            wrapped.initCause(io);
            return wrapped;
        }
        return e;
    }

    /** One connect in progress: its target, callback and timeout. */
    static final class ConnectAttempt extends DeadlineQueue.Entry {
        private final AsyncIoState state;
        final InetSocketAddress target;
        final ConnectCallback callback;
        final TlsOptions tls;
        final String host;

        ConnectAttempt(AsyncIoState state, InetSocketAddress target, ConnectCallback callback, TlsOptions tls,
                       String host) {
            this.state = state;
            this.target = target;
            this.callback = callback;
            this.tls = tls;
            this.host = host;
        }

        @Override
        protected void expired(long now) {
            if (state.connectAttempt() == this && state.isOpen()) {
                fail(state, callback, new SocketTimeoutException("Connect to "
                        + WaitStateCollection.describe(target) + " timed out"));
            }
        }
    }
}
