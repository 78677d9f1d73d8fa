package dev.asyncio.core.internal.engine;

import dev.asyncio.core.ConnectCallback;
import dev.asyncio.core.ConnectOptions;
import dev.asyncio.core.internal.loop.EventLoop;
import dev.asyncio.core.internal.net.UnixSockets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
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
        loop.submit(() -> {
            if (state.isOpen()) {
                new Attempt(state, path, callback, options).connect(UnixDomainSocketAddress.of(path),
                        options.connectTimeout());
            }
        });
        return state;
    }

    /** One connect to a Unix domain socket. */
    private static final class Attempt extends ConnectAttempt {
        private final Path path;

        Attempt(StateEngine state, Path path, ConnectCallback callback, ConnectOptions options) {
            super(state, callback, options.tls());
            this.path = path;
        }

        @Override
        String target() {
            return "the Unix domain socket " + path;
        }

        @Override
        Throwable withTarget(Throwable e) {
            if (e instanceof IOException io) {
                IOException wrapped = new ConnectException("Cannot connect to the Unix domain socket " + path + ": "
                        + io.getMessage());
                wrapped.initCause(io);
                return wrapped;
            }
            return e;
        }

        @Override
        String tlsHost() {
            // No host to verify or announce but the one the TLS options name (sniHostName).
            return null;
        }

        @Override
        int tlsPort() {
            return 0;
        }
    }
}
