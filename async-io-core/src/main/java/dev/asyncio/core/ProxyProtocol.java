package dev.asyncio.core;

/**
 * Whether an accepting handle reads a PROXY protocol header (HAProxy's v1 text or v2 binary format) at the start of
 * each connection, before TLS and before the connection function runs ({@link AcceptOptions#proxyProtocol()}).
 * A load balancer that speaks it ({@code send-proxy} / {@code send-proxy-v2} in HAProxy, AWS NLB proxy protocol,
 * ...) tells the server who the client really is: {@link AsyncIoState#peerAddress()} then returns the client's
 * address, {@link AsyncIoState#proxyPeerAddress()} the proxy's and {@link AsyncIoState#proxyInfo()} the header.
 * No LispWorks counterpart.
 *
 * <p>Only ever enable it on a port that nothing but the proxy can reach: a header is a claim, and anyone who can
 * connect directly can claim any address.
 */
public enum ProxyProtocol {
    /** No header is read: the bytes are the application's from the first (the default). */
    OFF,
    /**
     * A header is required: a connection that sends anything else, sends a broken header, or sends no complete header
     * within {@link AcceptOptions#proxyProtocolTimeout()} is closed (counted in
     * {@link AcceptingHandle#proxyStatistics()}) and never reaches the connection function.
     */
    ON,
    /**
     * A header is read when the connection starts with one; a connection whose first bytes cannot start a header is
     * served as a direct one (a health checker, a client inside the cluster). The decision takes as few bytes as it
     * can: the first byte usually decides (a v1 header starts with {@code "PROXY "}, a v2 one with a 12-byte
     * signature that starts with CR LF). A connection that has sent nothing, or only bytes that could still start a
     * header, and then waits for the server is served as direct once {@link AcceptOptions#proxyProtocolTimeout()}
     * passes, with the bytes it sent: it is delayed, never hung. A server-speaks-first protocol on such a port
     * therefore greets direct clients only after that timeout; use {@link #ON} there.
     */
    AUTO
}
