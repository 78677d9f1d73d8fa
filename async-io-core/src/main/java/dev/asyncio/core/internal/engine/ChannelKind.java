package dev.asyncio.core.internal.engine;

import dev.asyncio.core.internal.transport.Transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectableChannel;

/**
 * What a state's socket is: a stream ({@link StreamKind}: TCP or a Unix socket, through a plain or TLS
 * {@code Transport}) or datagrams ({@link DatagramKind}: UDP). Everything that differs between the two is a method
 * here or a seam it returns ({@link Transport}, {@link TlsControl}, {@link Datagrams}); no code downcasts a kind.
 */
public interface ChannelKind {
    /** @return the socket */
    SelectableChannel channel();

    /** @param engine the state this kind belongs to; called once, before any I/O */
    void bind(StateEngine engine);

    /**
     * @param what the operation, for the message
     * @param instead what to use on this kind of state
     * @return the byte stream reads and writes go through now (plain, or TLS while attached)
     * @throws IllegalStateException if this kind is not a byte stream
     */
    Transport transport(String what, String instead);

    /**
     * @param what the operation, for the message
     * @param instead what to use on this kind of state
     * @return the TLS operations of this state
     * @throws IllegalStateException if this kind cannot carry TLS
     */
    TlsControl tls(String what, String instead);

    /** @return the TLS operations of this state, or {@code null} if this kind cannot carry TLS; any thread */
    default TlsControl tlsIfAny() {
        return null;
    }

    /**
     * @param what the operation, for the message
     * @param instead what to use on this kind of state
     * @return the datagram operations of this state
     * @throws IllegalStateException if this kind does not carry datagrams
     */
    Datagrams datagrams(String what, String instead);

    /** @return the peer's address, or {@code null} */
    InetSocketAddress peerAddress() throws IOException;

    /**
     * @return whether the memory budget may pause or close the state for what it holds: a socket of one peer may
     *         be; one that serves every peer (an unconnected datagram socket, whose buffers are the engine's) never is
     */
    default boolean sheddable() {
        return true;
    }

    /** Writes queued output as far as the socket takes it; loop thread. */
    void flush();

    /** @return whether input waits in memory that no socket event will announce (TLS records, decrypted bytes) */
    boolean hasBufferedInput();

    /** @return whether decrypted bytes (or the peer's close) wait to be read */
    boolean hasDecrypted();

    /** @return whether output waits below the queue (TLS ciphertext) */
    boolean hasPendingOutput();

    /** @return whether a handshake or detach runs, which takes the socket's events itself */
    boolean isBusy();

    /** Advances a running handshake or detach. */
    void step();

    /** @return whether the socket's events are off while work runs elsewhere (TLS tasks) */
    boolean isPaused();

    /**
     * Half-closes output and reads to EOF for a graceful close.
     *
     * @return false if this kind cannot half-close (datagrams) or the socket failed: close at once
     */
    boolean shutdownOutputForClose();

    /**
     * Reads and drops input after a graceful close's FIN.
     *
     * @return whether the peer's EOF (or an error) came: close now
     */
    boolean drain();

    /** The state is closing: stop handshakes, send a close_notify if the socket takes it. */
    void close();

    /** @return the PROXY protocol header the connection started with, or {@code null}; any thread */
    default dev.asyncio.core.ProxyInfo proxyInfo() {
        return null;
    }

    /**
     * Records the PROXY protocol header read at the connection's start: from then on {@link #peerAddress()} is the
     * client's (unless the header is {@code LOCAL}); loop thread, before the state is handed over.
     *
     * @param info the header
     * @throws IllegalStateException if this kind carries no stream
     */
    default void proxied(dev.asyncio.core.ProxyInfo info) {
        throw new IllegalStateException("a PROXY protocol header is read on stream states only");
    }
}
