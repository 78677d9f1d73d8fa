package dev.asyncio.core;

import org.jspecify.annotations.Nullable;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * What a state looks like at one moment, for listings ({@link AcceptingHandle#connections(int)}) and operators.
 *
 * @param name the state's name
 * @param localAddress its socket's local address, {@code null} if unknown
 * @param peerAddress its peer, {@code null} if not connected
 * @param age time since the state was made
 * @param bytesRead bytes read from its socket
 * @param bytesWritten bytes written to its socket
 * @param readStatus its read status
 * @param writeStatus its write status
 * @param reading whether a read-direction operation is active
 * @param writing whether a write operation is active
 * @param queuedOutput bytes accepted for writing and not yet written
 * @param writable whether queued output is below the high water mark
 * @param proxy the PROXY protocol header the connection started with ({@link AsyncIoState#proxyInfo()}), else
 *        {@code null}; {@code peerAddress} is then the client's and {@link ProxyInfo#proxyAddress()} the proxy's
 */
public record StateSnapshot(String name, @Nullable InetSocketAddress localAddress,
        @Nullable InetSocketAddress peerAddress,
                            Duration age, long bytesRead, long bytesWritten, IoStatus readStatus,
                            IoStatus writeStatus, boolean reading, boolean writing, long queuedOutput,
                            boolean writable, @Nullable ProxyInfo proxy) {

    /**
     * A snapshot without a PROXY protocol header (as before headers were read).
     *
     * @param name the state's name
     * @param localAddress its local address
     * @param peerAddress its peer
     * @param age time since it was made
     * @param bytesRead bytes read
     * @param bytesWritten bytes written
     * @param readStatus its read status
     * @param writeStatus its write status
     * @param reading whether a read is active
     * @param writing whether a write is active
     * @param queuedOutput bytes queued
     * @param writable whether below the high water mark
     */
    public StateSnapshot(String name, @Nullable InetSocketAddress localAddress, @Nullable InetSocketAddress peerAddress,
                         Duration age, long bytesRead, long bytesWritten, IoStatus readStatus, IoStatus writeStatus,
                         boolean reading, boolean writing, long queuedOutput, boolean writable) {
        this(name, localAddress, peerAddress, age, bytesRead, bytesWritten, readStatus, writeStatus, reading, writing,
                queuedOutput, writable, null);
    }
}
