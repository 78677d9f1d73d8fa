package dev.asyncio.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.nio.channels.DatagramChannel;

/** Makes the UDP sockets behind {@link WaitStateCollection#openUdp} and {@link WaitStateCollection#connectUdp}. */
final class UdpSockets {

    private UdpSockets() {
    }

    static AsyncIoState open(WaitStateCollection collection, String host, int port, UdpOptions options) {
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
            AsyncIoState state = AsyncIoState.register(collection, channel, null, options.stateOptions(), false);
            state.setUdpFamily(options.ipFamily());
            return state;
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                AsyncIoState.closeQuietly(channel);
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
