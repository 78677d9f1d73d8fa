package dev.asyncio.core.internal.net;

import java.io.IOException;
import java.io.UncheckedIOException;
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
