package dev.asyncio.core.internal.engine;

import dev.asyncio.core.UdpOptions;
import dev.asyncio.core.internal.net.Channels;
import dev.asyncio.core.internal.net.HostNames;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.nio.channels.DatagramChannel;

/**
 * Makes the UDP sockets behind {@code openUdp} and {@code connectUdp} (LispWorks
 * {@code create-async-io-state-and-udp-socket}, {@code …-connected-udp-socket}).
 */
public final class UdpSockets {

    private UdpSockets() {
    }

    /**
     * @param factory makes the state
     * @param host the peer to connect to, or {@code null} for an unconnected socket
     * @param port the peer's port, or 0
     * @param options local bind, family, {@code errorp}, state options
     * @return the new state's engine, or {@code null} if it failed and {@code errorp} is off
     */
    public static StateEngine open(StateFactory factory, String host, int port, UdpOptions options) {
        DatagramChannel channel = null;
        try {
            channel = switch (options.ipFamily()) {
                case IPV4 -> DatagramChannel.open(StandardProtocolFamily.INET);
                case IPV6, BOTH -> DatagramChannel.open(StandardProtocolFamily.INET6);
                case ANY -> DatagramChannel.open();
            };
            if (options.localAddress() != null || options.localPort() != 0) {
                InetAddress local = options.localAddress() != null
                        ? HostNames.resolve(options.localAddress(), options.ipFamily()) : null;
                channel.bind(local == null ? new InetSocketAddress(options.localPort())
                        : new InetSocketAddress(local, options.localPort()));
            }
            if (host != null || port != 0) {
                channel.connect(new InetSocketAddress(HostNames.resolve(host, options.ipFamily()), port));
            }
            return factory.create(new DatagramKind(channel, options.ipFamily()), null, options.stateOptions(), false);
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                Channels.closeQuietly(channel);
            }
            if (!options.errorp()) {
                return null;
            }
            if (e instanceof UnknownHostException u) {
                throw new IllegalArgumentException("host '" + host + "' cannot be resolved: " + u.getMessage(), u);
            }
            if (e instanceof IOException io) {
                throw new UncheckedIOException("Cannot make a UDP socket"
                        + (host != null ? " connected to " + host + ":" + port : "") + ": " + io.getMessage(), io);
            }
            throw (RuntimeException) e;
        }
    }
}
