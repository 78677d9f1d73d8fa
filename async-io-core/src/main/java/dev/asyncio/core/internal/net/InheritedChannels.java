package dev.asyncio.core.internal.net;

import dev.asyncio.core.internal.Loggers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.StandardSocketOptions;
import java.nio.channels.Channel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * The Java form of LispWorks' {@code create-async-io-state} with an integer file descriptor. Java cannot wrap an
 * arbitrary descriptor, but the case LispWorks serves with one, a socket handed over by the process that started
 * this one (inetd, {@code systemd} with {@code StandardInput=socket}, {@code socat ... EXEC}), is
 * {@link System#inheritedChannel()}: the socket on the JVM's standard input, as a {@link SocketChannel} (connected
 * TCP), a {@link DatagramChannel} (UDP) or a {@link ServerSocketChannel} (a listening socket).
 */
public final class InheritedChannels {

    private InheritedChannels() {
    }

    /**
     * @param what the public method asking, named in failures
     * @return the inherited connected TCP socket or UDP socket
     * @throws IllegalStateException if nothing was inherited, or a listening socket was (that one becomes an
     *         accepting handle), or something else was
     */
    public static SelectableChannel forState(String what) {
        Channel ch = inherited(what);
        if (ch instanceof DatagramChannel udp) {
            warnIfTakenForIpv6(what, udp);
        }
        if (ch instanceof SocketChannel || ch instanceof DatagramChannel) {
            return (SelectableChannel) ch;
        }
        if (ch instanceof ServerSocketChannel) {
            throw new IllegalStateException(what + ": the inherited channel " + ch + " is a listening socket: it "
                    + "makes an accepting handle (acceptInheritedConnections), not a state");
        }
        throw new IllegalStateException(what + ": the inherited channel " + ch + " is no TCP or UDP socket");
    }

    /**
     * @param what the public method asking, named in failures
     * @return the inherited listening socket
     * @throws IllegalStateException if nothing was inherited, or something other than a listening socket was
     */
    public static ServerSocketChannel listening(String what) {
        Channel ch = inherited(what);
        if (ch instanceof ServerSocketChannel server) {
            return server;
        }
        throw new IllegalStateException(what + ": the inherited channel " + ch + " is no listening socket"
                + (ch instanceof SocketChannel || ch instanceof DatagramChannel
                ? " (it makes a state: createStateForInheritedChannel)" : ""));
    }

    /**
     * Some JDKs (25; not 17) take an inherited datagram socket for an IPv6 one whenever IPv6 is available, whatever
     * its real family: on an IPv4 socket every send and connect then fails ("Address family not supported by
     * protocol") while receives work. Nothing but the JVM's start can fix that, so it is said at once, with the
     * remedy, rather than at the first failed send. The probe reads a socket option, which on such a channel asks the
     * IPv4 socket for an IPv6 option and fails; it sends nothing.
     */
    private static void warnIfTakenForIpv6(String what, DatagramChannel udp) {
        try {
            udp.getOption(StandardSocketOptions.IP_TOS);
        } catch (IOException | UnsupportedOperationException e) {
            Loggers.LOOP.log(Level.WARNING, () -> what + ": this JDK takes the inherited UDP socket " + udp
                    + " for an IPv6 socket, which it is not (reading its IP_TOS fails: " + e.getMessage()
                    + "): sends from its state will fail with 'Address family not supported by protocol'. Start the"
                    + " JVM with -Djava.net.preferIPv4Stack=true to use an inherited IPv4 UDP socket.");
        }
    }

    private static Channel inherited(String what) {
        Channel ch;
        try {
            ch = System.inheritedChannel();
        } catch (IOException e) {
            throw new UncheckedIOException(what + ": cannot read the inherited channel: " + e.getMessage(), e);
        }
        if (ch == null) {
            throw new IllegalStateException(what + ": this JVM inherited no channel (System.inheritedChannel() is "
                    + "null: its standard input is not a socket)");
        }
        if (!ch.isOpen()) {
            throw new IllegalStateException(what + ": the inherited channel " + ch + " is closed");
        }
        return ch;
    }
}
