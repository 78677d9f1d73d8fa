package dev.asyncio.core;

import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Locale;

/**
 * An accepting handle could not bind its listening socket: the port stayed busy for the whole
 * {@link AcceptOptions#initTimeout() init timeout}, or the address cannot be bound at all.
 */
public final class BindFailedException extends UncheckedIOException {
    private static final long serialVersionUID = 1L;

    private final InetSocketAddress address;
    private final java.nio.file.Path path;
    private final UnixBindProblem unixProblem;
    private final boolean portInUse;
    private final Duration waited;

    /**
     * A TCP address could not be bound. Whether the port was in use is decided here, once, from the cause (see
     * {@link #portInUse()}), so that no caller needs to read a message.
     *
     * @param address the address and port that could not be bound
     * @param waited how long binding was retried
     * @param cause the last failure
     */
    public BindFailedException(InetSocketAddress address, Duration waited, IOException cause) {
        super("Cannot bind " + describe(address) + " (tried for " + waited.toMillis() + " ms): "
                + cause.getMessage(), cause);
        this.address = address;
        this.path = null;
        this.unixProblem = null;
        this.portInUse = isPortInUse(cause);
        this.waited = waited;
    }

    /**
     * A Unix domain socket path could not be bound, for a reason not classified ({@link UnixBindProblem#BIND_FAILED}).
     *
     * @param path the socket file's path
     * @param why what was wrong, for the message
     * @param cause the failure, or {@code null}
     */
    public BindFailedException(java.nio.file.Path path, String why, @Nullable IOException cause) {
        this(path, UnixBindProblem.BIND_FAILED, why, cause);
    }

    /**
     * A Unix domain socket path could not be bound.
     *
     * @param path the socket file's path
     * @param problem why, for a caller that gives advice
     * @param why what was wrong, for the message
     * @param cause the failure, or {@code null}
     */
    public BindFailedException(java.nio.file.Path path, UnixBindProblem problem, String why,
            @Nullable IOException cause) {
        super("Cannot bind the Unix domain socket " + (path.toString().isEmpty() ? "\"\"" : path) + ": " + why,
                cause != null ? cause : new IOException(why));
        this.address = null;
        this.path = path;
        this.unixProblem = java.util.Objects.requireNonNull(problem, "problem");
        this.portInUse = false;
        this.waited = Duration.ZERO;
    }

    private BindFailedException(String message, InetSocketAddress address, IOException cause, boolean portInUse,
            Duration waited) {
        super(message, cause);
        this.waited = waited;
        this.address = address;
        this.path = null;
        this.unixProblem = null;
        this.portInUse = portInUse;
    }

    /** @return this failure, saying that the bind ran on a loop thread, where a busy port is tried only once */
    BindFailedException triedOnceOnLoop() {
        return new BindFailedException(getMessage() + "; on a loop thread a busy port is tried once, since retrying "
                + "would block the loop: bind from another thread, or with acceptTcpConnectionsLater, to retry it "
                + "for the initTimeout", address, getCause(), portInUse, waited);
    }

    /** @return the address and port that could not be bound, or {@code null} for a Unix domain socket */
    public @Nullable InetSocketAddress address() {
        return address;
    }

    /**
     * Whether the TCP port was in use by another socket (errno {@code EADDRINUSE}, "Address already in use";
     * Windows: "... only one usage of each socket address ..." / {@code WSAEADDRINUSE}) — the one bind failure that
     * may go away by itself, so the one worth retrying and reporting as a busy port. Other failures (an address this
     * host does not have, a privileged port) answer {@code false}.
     *
     * @return {@code true} when the port was in use; {@code false} for any other failure and for a Unix domain
     * socket (see {@link #unixProblem()})
     */
    public boolean portInUse() {
        return portInUse;
    }

    /**
     * @return how long a busy port was retried before this failure (zero when tried once, and for a Unix domain
     *         socket), on the retry's clock ({@link BindRetryListener#nanoTime()})
     */
    public Duration waited() {
        return waited;
    }

    /** @return the port that could not be bound, or -1 for a Unix domain socket */
    public int port() {
        return address != null ? address.getPort() : -1;
    }

    /** @return the Unix domain socket path that could not be bound, or {@code null} for TCP */
    public java.nio.file.@Nullable Path path() {
        return path;
    }

    /** @return why a Unix domain socket path could not be bound, or {@code null} for TCP */
    public @Nullable UnixBindProblem unixProblem() {
        return unixProblem;
    }

    /**
     * The JDK reports every bind failure as a {@link BindException} and says which only in the OS's text for the
     * errno, so the text is read here and nowhere else.
     */
    static boolean isPortInUse(IOException cause) {
        if (!(cause instanceof BindException) || cause.getMessage() == null) {
            return false;
        }
        String text = cause.getMessage().toLowerCase(Locale.ROOT);
        return text.contains("in use") || text.contains("eaddrinuse") || text.contains("only one usage of each");
    }

    private static String describe(InetSocketAddress address) {
        String host = address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
