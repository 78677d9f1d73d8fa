package dev.asyncio.core;

import org.jspecify.annotations.Nullable;

import javax.net.ssl.SSLException;

/**
 * What kind of failure a connect or TLS callback got: LispWorks'
 * {@code async-io-ssl-failure-indicator-from-failure-args}, which exists because the failure is meant for printing,
 * not for dispatch.
 */
public enum TlsFailureKind {
    /** The TLS handshake timed out (LispWorks {@code :timeout}). */
    TIMEOUT,
    /** The peer closed the connection during the handshake (LispWorks {@code :closed}). */
    CLOSED,
    /** Any other TLS failure: a bad or untrusted certificate, no common protocol (LispWorks: an ssl-condition). */
    TLS_ERROR,
    /** Not a TLS failure, e.g. the TCP connect itself failed (LispWorks {@code nil}). */
    NOT_TLS;

    /**
     * @param failure the failure a {@link ConnectCallback} got; {@code null} = none
     * @return its kind ({@link #NOT_TLS} for {@code null})
     */
    public static TlsFailureKind of(@Nullable Throwable failure) {
        if (failure instanceof TlsHandshakeTimeoutException) {
            return TIMEOUT;
        }
        if (failure instanceof TlsClosedException) {
            return CLOSED;
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                return TLS_ERROR;
            }
        }
        return NOT_TLS;
    }
}
