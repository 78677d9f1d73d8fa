package dev.asyncio.core.internal.engine;

import dev.asyncio.core.ConnectCallback;
import dev.asyncio.core.StateCallback;
import dev.asyncio.core.TlsOptions;
import dev.asyncio.core.TlsSide;

import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

/**
 * The TLS operations of a state whose kind can carry TLS (LispWorks {@code async-io-state-attach-ssl},
 * {@code -handshake}, {@code -detach-ssl}, {@code -ssl-side}, {@code -ctx}, {@code -ssl}). Callers reach it through
 * {@link ChannelKind#tls}, never by asking which kind a state has.
 */
public interface TlsControl {
    /** @return the side of the attached TLS, or {@code null}; any thread */
    TlsSide side();

    /** @return the context the attached engine came from, or {@code null} without TLS; any thread */
    SSLContext context();

    /** @return the attached engine, or {@code null}; asks the loop thread */
    SSLEngine engine();

    /**
     * Attaches TLS from the caller's thread: claims the state, then sets up on the loop.
     *
     * @param options context, side, timeouts
     * @param callback told of the handshake's outcome
     */
    void attach(TlsOptions options, ConnectCallback callback);

    /**
     * Attaches TLS from the loop thread, for connect and accept.
     *
     * @param options context, side, timeouts
     * @param defaultSide the side unless the options name one
     * @param host the peer's host for SNI and endpoint checks, or {@code null}
     * @param port the peer's port
     * @param callback told of the handshake's outcome
     * @param slotReleaser run once when the handshake ends, fails to start, or the state closes; or {@code null}
     */
    void attachFromLoop(TlsOptions options, TlsSide defaultSide, String host, int port, ConnectCallback callback,
                        Runnable slotReleaser);

    /**
     * @param callback told of the outcome
     * @param timeout the handshake timeout, or {@code null}
     */
    void handshake(ConnectCallback callback, Duration timeout);

    /** @param callback told when done, or {@code null} */
    void detach(StateCallback callback);

    /**
     * @param what the operation, for the message
     * @throws IllegalStateException when TLS is attached
     */
    void requirePlain(String what);
}
