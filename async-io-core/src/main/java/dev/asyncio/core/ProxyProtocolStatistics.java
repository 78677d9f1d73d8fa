package dev.asyncio.core;

/**
 * What an accepting handle's PROXY protocol reading has done ({@link AcceptingHandle#proxyStatistics()}); every count
 * since the handle opened. No LispWorks counterpart.
 *
 * @param mode the handle's {@link AcceptOptions#proxyProtocol()}
 * @param accepted connections whose header was read (a relayed client, or the proxy's own {@code LOCAL} check)
 * @param direct connections served without a header ({@link ProxyProtocol#AUTO}: their first bytes could not start
 *        one, or none came within the timeout)
 * @param rejected connections closed for a broken header, for bytes that are no header ({@link ProxyProtocol#ON}),
 *        or because the client closed or failed before its header was complete
 * @param timeouts connections closed because no complete header came within the timeout ({@link ProxyProtocol#ON})
 */
public record ProxyProtocolStatistics(ProxyProtocol mode, long accepted, long direct, long rejected, long timeouts) {
}
