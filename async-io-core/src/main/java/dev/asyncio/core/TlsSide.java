package dev.asyncio.core;

/** Which end of a TLS connection a state plays (LispWorks {@code :ssl-side}). */
public enum TlsSide {
    /** The state connects: it sends the ClientHello and checks the server's certificate. */
    CLIENT,
    /** The state accepts: it presents a certificate (LispWorks' default for attach). */
    SERVER,
    /**
     * The role is chosen later: {@link AsyncIoState#attachTls} does not start a handshake; set
     * {@code sslEngine().setUseClientMode(..)} and call {@link AsyncIoState#handshake}.
     */
    BOTH
}
