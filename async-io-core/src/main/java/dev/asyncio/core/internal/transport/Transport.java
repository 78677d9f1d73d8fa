package dev.asyncio.core.internal.transport;

import dev.asyncio.core.TlsSide;
import dev.asyncio.core.internal.write.OutboundQueue;

import java.io.IOException;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;

/**
 * How a stream state's bytes reach its socket: plain ({@link TcpTransport}) or through TLS ({@link TlsTransport},
 * a decorator over another transport). Attaching and detaching TLS swaps the transport of the state's
 * stream kind (in {@code internal/engine}); nothing else asks which one it has. Loop thread only.
 */
public interface Transport extends OutboundQueue.ByteSink {

    /**
     * @param dst where the bytes go
     * @return bytes moved, 0 if none are available yet, -1 once the peer closed
     * @throws IOException if the socket or the TLS engine failed
     */
    int read(ByteBuffer dst) throws IOException;

    /**
     * @param src the bytes (plaintext for TLS)
     * @return bytes consumed; for TLS their ciphertext may still be pending
     * @throws IOException if the socket failed
     */
    @Override
    int write(ByteBuffer src) throws IOException;

    /** @return whether input waits in memory that no socket event will announce */
    default boolean hasBufferedInput() {
        return false;
    }

    /** @return whether decrypted bytes (or the peer's close) wait to be read */
    default boolean hasDecrypted() {
        return false;
    }

    /** @return whether output waits below the caller's writes (ciphertext) */
    default boolean hasPendingOutput() {
        return false;
    }

    /**
     * @return whether all pending output is written
     * @throws IOException if the socket failed
     */
    default boolean flushPending() throws IOException {
        return true;
    }

    /** @return whether a handshake or detach drives the socket's events */
    default boolean isBusy() {
        return false;
    }

    /** Advances a handshake or detach. */
    default void step() {
    }

    /** @return whether work runs off the loop and the socket's events must wait */
    default boolean isPaused() {
        return false;
    }

    /** @return whether shutting the output down must run on the loop thread (the TLS engine is the loop's) */
    default boolean shutdownOnLoop() {
        return false;
    }

    /**
     * Half-closes the output: for TLS a close_notify first, then the FIN.
     *
     * @throws IOException if the socket failed
     */
    void shutdownOutput() throws IOException;

    /**
     * Half-closes the input.
     *
     * @throws IOException if the socket failed
     */
    void shutdownInput() throws IOException;

    /** The state is closing: stop what runs, say goodbye if the socket takes it without waiting. */
    default void close() {
    }

    /** @return the TLS side, or {@code null} for a plain transport */
    default TlsSide tlsSide() {
        return null;
    }

    /** @return the TLS engine, or {@code null} */
    default SSLEngine sslEngine() {
        return null;
    }
}
