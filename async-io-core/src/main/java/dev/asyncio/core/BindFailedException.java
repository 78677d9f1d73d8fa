package dev.asyncio.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * An accepting handle could not bind its listening socket: the port stayed busy for the whole
 * {@link AcceptOptions#initTimeout() init timeout}, or the address cannot be bound at all.
 */
public final class BindFailedException extends UncheckedIOException {
    private static final long serialVersionUID = 1L;

    private final InetSocketAddress address;

    /**
     * @param address the address and port that could not be bound
     * @param waited how long binding was retried
     * @param cause the last failure
     */
    public BindFailedException(InetSocketAddress address, Duration waited, IOException cause) {
        super("Cannot bind " + describe(address) + " (tried for " + waited.toMillis() + " ms): "
                + cause.getMessage(), cause);
        this.address = address;
    }

    private BindFailedException(String message, InetSocketAddress address, IOException cause) {
        super(message, cause);
        this.address = address;
    }

    /** @return this failure, saying that the bind ran on a loop thread, where a busy port is tried only once */
    BindFailedException triedOnceOnLoop() {
        return new BindFailedException(getMessage() + "; on a loop thread a busy port is tried once, since retrying "
                + "would block the loop: bind from another thread, or with acceptTcpConnectionsLater, to retry it "
                + "for the initTimeout", address, getCause());
    }

    /** @return the address and port that could not be bound */
    public InetSocketAddress address() {
        return address;
    }

    /** @return the port that could not be bound */
    public int port() {
        return address.getPort();
    }

    private static String describe(InetSocketAddress address) {
        String host = address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
