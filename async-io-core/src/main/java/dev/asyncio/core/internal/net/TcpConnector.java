package dev.asyncio.core.internal.net;

import dev.asyncio.core.ConnectCallback;
import dev.asyncio.core.ConnectOptions;
import dev.asyncio.core.IpFamily;
import dev.asyncio.core.TlsOptions;
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
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.channels.SocketChannel;

/**
 * The non-blocking connect behind {@code WaitStateCollection.connectTcp} (LispWorks
 * {@code create-async-io-state-and-connected-tcp-socket}): resolves the host off the loop thread (unless it is a
 * literal), connects, enforces the connect timeout, attaches TLS if asked, and calls the {@link ConnectCallback}.
 */
public final class TcpConnector {

    private TcpConnector() {
    }

    /**
     * @param loop the collection's loop
     * @param factory makes the state
     * @param host a host name or literal; {@code null} = loopback
     * @param port 1 to 65535
     * @param callback told of the outcome on the loop thread
     * @param options timeout, local bind, socket options, TLS, state options
     * @return the new state's engine, not yet connected
     */
    public static StateEngine connect(EventLoop loop, StateFactory factory, String host, int port,
                                      ConnectCallback callback, ConnectOptions options) {
        SocketChannel channel;
        try {
            channel = options.ipFamily() == IpFamily.IPV4 ? SocketChannel.open(StandardProtocolFamily.INET)
                    : SocketChannel.open();
            channel.setOption(StandardSocketOptions.TCP_NODELAY, options.nodelay());
            channel.setOption(StandardSocketOptions.SO_KEEPALIVE, options.keepalive());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open a socket: " + e.getMessage(), e);
        }
        StateEngine state = factory.create(new StreamKind(channel), null, options.stateOptions(), true);
        InetAddress literal = HostNames.literal(host);
        if (literal != null) {
            loop.submit(() -> start(state, new InetSocketAddress(literal, port), host, callback, options));
        } else {
            HostNames.RESOLVER.execute(() -> {
                InetSocketAddress target;
                try {
                    target = new InetSocketAddress(HostNames.resolve(host, options.ipFamily()), port);
                } catch (UnknownHostException e) {
                    loop.submitIfOpen(() -> fail(state, null, callback, e));
                    return;
                }
                loop.submitIfOpen(() -> start(state, target, host, callback, options));
            });
        }
        return state;
    }

    private static void start(StateEngine state, InetSocketAddress target, String host, ConnectCallback callback,
                              ConnectOptions options) {
        if (!state.isOpen()) {
            return;
        }
        SocketChannel ch = (SocketChannel) state.kind().channel();
        Attempt attempt = new Attempt(state, target, callback, options.tls(), host);
        state.connect(attempt);
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
            fail(state, attempt, callback, withTarget(e, target));
            return;
        }
        state.updateInterest();
        if (options.connectTimeout() != null) {
            state.loop().deadlines().schedule(attempt,
                    state.loop().now() + Timeouts.toNanos(options.connectTimeout()));
        }
    }

    private static void succeed(StateEngine state, Attempt attempt) {
        state.loop().deadlines().cancel(attempt);
        state.connect(null);
        state.connected();
        if (attempt.tls == null) {
            state.call(attempt.callback, null);
            return;
        }
        String peerHost = attempt.host != null ? attempt.host : attempt.target.getHostString();
        state.kind().stream("connect", "connectTcp").tls().attachFromLoop(attempt.tls, TlsSide.CLIENT, peerHost,
                attempt.target.getPort(), (s, failure) -> {
                    if (failure != null) {
                        state.closeNow(false);
                    }
                    attempt.callback.call(s, failure);
                });
    }

    private static void fail(StateEngine state, Attempt attempt, ConnectCallback callback, Throwable failure) {
        if (attempt != null) {
            state.loop().deadlines().cancel(attempt);
        }
        state.connect(null);
        state.closeNow(false);
        state.call(callback, failure);
    }

    private static Throwable withTarget(Throwable e, InetSocketAddress target) {
        if (e instanceof IOException io && (io.getMessage() == null
                || !io.getMessage().contains(String.valueOf(target.getPort())))) {
            IOException wrapped = new ConnectException("Cannot connect to " + Addresses.describe(target) + ": "
                    + io.getMessage());
            wrapped.initCause(io);
            return wrapped;
        }
        return e;
    }

    /** One connect in progress: its target, callback and timeout. */
    private static final class Attempt extends DeadlineQueue.Entry implements Connectable {
        private final StateEngine state;
        final InetSocketAddress target;
        final ConnectCallback callback;
        final TlsOptions tls;
        final String host;

        Attempt(StateEngine state, InetSocketAddress target, ConnectCallback callback, TlsOptions tls, String host) {
            this.state = state;
            this.target = target;
            this.callback = callback;
            this.tls = tls;
            this.host = host;
        }

        @Override
        public void connectable() {
            try {
                if (((SocketChannel) state.kind().channel()).finishConnect()) {
                    succeed(state, this);
                }
            } catch (IOException e) {
                fail(state, this, callback, withTarget(e, target));
            }
        }

        @Override
        public void cancel() {
            state.loop().deadlines().cancel(this);
        }

        @Override
        protected void expired(long now) {
            if (state.connect() == this && state.isOpen()) {
                fail(state, this, callback, new SocketTimeoutException("Connect to " + Addresses.describe(target)
                        + " timed out"));
            }
        }
    }
}
