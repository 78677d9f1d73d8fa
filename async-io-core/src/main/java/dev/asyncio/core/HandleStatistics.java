package dev.asyncio.core;

/**
 * A snapshot of an accepting handle's counters ({@link AcceptingHandle#statistics()}).
 *
 * @param name the handle's name
 * @param open whether it still listens
 * @param localPort the port it listens (or listened) on
 * @param accepted connections accepted since it was made
 * @param active connections of this handle open now
 * @param rejected connections closed at once (an {@link IpFamily#IPV6} handle refusing an IPv4 peer, a failing socket setup)
 * @param paused whether accepting is paused because {@link AcceptOptions#maxConnections()} is reached
 * @param bytesRead bytes read by its connections
 * @param bytesWritten bytes written by its connections
 * @param timeouts operations of its connections ended by a timeout
 * @param errors operations of its connections ended by an I/O error
 * @param callbackFailures callbacks of its connections (and its connection function) that threw
 */
public record HandleStatistics(String name, boolean open, int localPort, long accepted, int active, long rejected,
                               boolean paused, long bytesRead, long bytesWritten, long timeouts, long errors,
                               long callbackFailures) {
}
