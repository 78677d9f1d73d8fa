package dev.asyncio.core;

import javax.net.ssl.SSLException;

/** The peer closed the connection during a TLS handshake (LispWorks' {@code "SSL connection closed"}). */
public final class TlsClosedException extends SSLException {
    private static final long serialVersionUID = 1L;

    /** @param message what closed, naming the state */
    public TlsClosedException(String message) {
        super(message);
    }
}
