package dev.asyncio.core;

import javax.net.ssl.SSLException;

/** A TLS handshake did not complete within its timeout (LispWorks' {@code "Handshake timed out"}). */
public final class TlsHandshakeTimeoutException extends SSLException {
    private static final long serialVersionUID = 1L;

    /** @param message what timed out, naming the state and the timeout */
    public TlsHandshakeTimeoutException(String message) {
        super(message);
    }
}
