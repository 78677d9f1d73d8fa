package dev.asyncio.core.internal.accept;

import dev.asyncio.core.AcceptOptions;
import dev.asyncio.core.BindFailedException;
import dev.asyncio.core.BindRetryListener;
import dev.asyncio.core.internal.Loggers;
import dev.asyncio.core.internal.net.Addresses;
import dev.asyncio.core.internal.net.Channels;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Binds the listening socket of an accepting handle (LispWorks {@code accept-tcp-connections-creating-async-io-states}
 * {@code :backlog}, {@code :reuse-port}, {@code :init-timeout}) to the address {@link Ipv6OnlyBind} chose, and
 * retries a busy port with backoff until the init timeout, as LispWorks does.
 */
public final class PortBinder {

    private PortBinder() {
    }

    /**
     * Binds, retrying while the port is in use (never for other failures) until {@code initTimeout} has passed or
     * the options' {@link BindRetryListener} says to stop. The listener is told of each failed attempt and supplies
     * the clock and the pause, on the calling thread.
     *
     * @param address where to listen
     * @param options backlog, family, reuse-port, the retry listener
     * @param initTimeout how long a busy port is retried
     * @return the bound socket, in blocking mode
     * @throws BindFailedException when the port stays busy, the listener gives up, or the address cannot be bound
     * @throws IllegalArgumentException when {@code reusePort} is not supported here
     */
    public static ServerSocketChannel bindWithRetry(InetSocketAddress address, AcceptOptions options,
                                                    Duration initTimeout) {
        BindRetryListener listener = options.bindRetryListener();
        long started = listener.nanoTime();
        long deadline = started + initTimeout.toNanos();
        long pauseMillis = 50;
        for (int attempt = 1; ; attempt++) {
            ServerSocketChannel socket = null;
            BindFailedException failed;
            try {
                socket = open(address, options);
                socket.bind(address, options.backlog());
                return socket;
            } catch (BindException e) {
                Channels.closeQuietly(socket);
                failed = new BindFailedException(address, Duration.ofNanos(listener.nanoTime() - started), e);
            } catch (IOException e) {
                Channels.closeQuietly(socket);
                throw new BindFailedException(address, Duration.ofNanos(listener.nanoTime() - started), e);
            } catch (UnsupportedOperationException e) {
                Channels.closeQuietly(socket);
                throw new IllegalArgumentException("reusePort (SO_REUSEPORT) is not supported on this platform", e);
            }
            long now = listener.nanoTime();
            // Only a busy port is worth waiting for; "cannot assign requested address" will not go away.
            if (!failed.portInUse() || deadline - now <= 0
                    || !listener.retrying(attempt, Duration.ofNanos(now - started), failed)) {
                throw failed;
            }
            long pause = Math.max(1, Math.min(pauseMillis, TimeUnit.NANOSECONDS.toMillis(deadline - now)));
            Loggers.ACCEPT.log(Level.DEBUG, () -> Addresses.describe(address) + " is busy; retrying in " + pause
                    + " ms");
            try {
                listener.pause(pause);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new BindFailedException(address, Duration.ofNanos(listener.nanoTime() - started),
                        (IOException) failed.getCause());
            }
            pauseMillis = Math.min(pauseMillis * 2, 1000);
        }
    }

    private static ServerSocketChannel open(InetSocketAddress address, AcceptOptions options) throws IOException {
        ProtocolFamily family = switch (options.ipFamily()) {
            case IPV4 -> StandardProtocolFamily.INET;
            case IPV6, BOTH -> StandardProtocolFamily.INET6;
            case ANY -> address.getAddress() instanceof Inet4Address ? StandardProtocolFamily.INET : null;
        };
        ServerSocketChannel socket = family == null ? ServerSocketChannel.open() : ServerSocketChannel.open(family);
        socket.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        if (options.reusePort()) {
            if (!socket.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
                socket.close();
                throw new UnsupportedOperationException("SO_REUSEPORT");
            }
            socket.setOption(StandardSocketOptions.SO_REUSEPORT, true);
        }
        return socket;
    }

}
