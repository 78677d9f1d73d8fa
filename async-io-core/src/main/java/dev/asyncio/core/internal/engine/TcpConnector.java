package dev.asyncio.core.internal.engine;

import dev.asyncio.core.ConnectCallback;
import dev.asyncio.core.ConnectOptions;
import dev.asyncio.core.IpFamily;
import dev.asyncio.core.TlsOptions;
import dev.asyncio.core.internal.loop.EventLoop;
import dev.asyncio.core.internal.net.Addresses;
import dev.asyncio.core.internal.net.HostNames;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
                    loop.submitIfOpen(() -> fail(state, callback, e));
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
        Attempt attempt = new Attempt(state, target, callback, options.tls(), host);
        try {
            if (options.localAddress() != null || options.localPort() != 0) {
                InetAddress local = options.localAddress() != null ? InetAddress.getByName(options.localAddress())
                        : null;
                attempt.channel().bind(local == null ? new InetSocketAddress(options.localPort())
                        : new InetSocketAddress(local, options.localPort()));
            }
        } catch (IOException | RuntimeException e) {
            state.connect(attempt);
            attempt.fail(attempt.withTarget(e));
            return;
        }
        attempt.connect(target, options.connectTimeout());
    }

    /** A resolution that failed: there is no attempt yet, only the state to close and the callback to tell. */
    private static void fail(StateEngine state, ConnectCallback callback, Throwable failure) {
        state.connect(null);
        state.closeNow(false);
        state.call(callback, failure);
    }

    /** One connect to an IP address. */
    private static final class Attempt extends ConnectAttempt {
        private final InetSocketAddress target;
        private final String host;

        Attempt(StateEngine state, InetSocketAddress target, ConnectCallback callback, TlsOptions tls, String host) {
            super(state, callback, tls);
            this.target = target;
            this.host = host;
        }

        @Override
        String target() {
            return Addresses.describe(target);
        }

        @Override
        Throwable withTarget(Throwable e) {
            if (e instanceof IOException io && (io.getMessage() == null
                    || !io.getMessage().contains(String.valueOf(target.getPort())))) {
                IOException wrapped = new ConnectException("Cannot connect to " + Addresses.describe(target) + ": "
                        + io.getMessage());
                wrapped.initCause(io);
                return wrapped;
            }
            return e;
        }

        @Override
        String tlsHost() {
            return host != null ? host : target.getHostString();
        }

        @Override
        int tlsPort() {
            return target.getPort();
        }
    }
}
