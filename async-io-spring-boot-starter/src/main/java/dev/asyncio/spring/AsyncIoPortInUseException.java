package dev.asyncio.spring;

import java.time.Duration;

import dev.asyncio.core.BindFailedException;
import org.jspecify.annotations.Nullable;

/**
 * A configured handle could not start because its port stayed in use for the whole
 * {@code async-io.handles.<name>.init-timeout}, because a live server holds it (something accepts connections on it:
 * not waited for), or because another async-io handle of the same application holds it.
 * Thrown while the context starts; the starter's failure analyzer reports it as a port-in-use problem (which
 * process, which port, which properties), as Spring Boot does for its web server.
 */
public class AsyncIoPortInUseException extends AsyncIoConfigurationException {

    private static final long serialVersionUID = 1L;

    private final String handleName;

    private final int port;

    private final Duration retried;

    private final @Nullable String holder;

    private final boolean liveListener;

    /**
     * @param handleName the handle that could not bind
     * @param propertyPrefix its property prefix, e.g. {@code async-io.handles.echo}
     * @param service the configured port or service
     * @param retried how long the bind was retried
     * @param holder the name of another async-io handle of this application that listens on the port, or {@code null}
     * when the port is taken by something else
     * @param cause the last bind failure
     */
    public AsyncIoPortInUseException(String handleName, String propertyPrefix, @Nullable String service,
            Duration retried, @Nullable String holder, BindFailedException cause) {
        this(handleName, propertyPrefix, service, retried, holder, false, cause);
    }

    /**
     * @param handleName the handle that could not bind
     * @param propertyPrefix its property prefix, e.g. {@code async-io.handles.echo}
     * @param service the configured port or service
     * @param retried how long the bind was retried
     * @param holder the name of another async-io handle of this application that listens on the port, or {@code null}
     * when the port is taken by something else
     * @param liveListener whether the port's holder accepts connections (a live server: not waited for)
     * @param cause the last bind failure
     */
    public AsyncIoPortInUseException(String handleName, String propertyPrefix, @Nullable String service,
            Duration retried, @Nullable String holder, boolean liveListener, BindFailedException cause) {
        super(propertyPrefix + ".port", service, reason(propertyPrefix, cause, retried, holder, liveListener),
                action(propertyPrefix, cause.port(), holder, liveListener), cause);
        this.handleName = handleName;
        this.port = cause.port();
        this.retried = retried;
        this.holder = holder;
        this.liveListener = liveListener;
    }

    private static String reason(String prefix, BindFailedException cause, Duration retried, @Nullable String holder,
            boolean liveListener) {
        String where = cause.address().getAddress() != null ? cause.address().getAddress().getHostAddress()
                : cause.address().getHostString();
        if (holder != null) {
            return "could not be bound on " + where + ": port " + cause.port() + " is in use by async-io handle '"
                    + holder + "' (async-io.handles." + holder + ".port)";
        }
        if (liveListener) {
            return "could not be bound on " + where + ": port " + cause.port() + " is in use by a process that "
                    + "accepts connections on it (a live server, which waiting would not remove; " + prefix
                    + ".init-timeout only waits for a socket that is closing)";
        }
        return "could not be bound on " + where + ": port " + cause.port() + " is in use; retried for "
                + retried.toSeconds() + "s (" + prefix + ".init-timeout)";
    }

    private static String action(String prefix, int port, @Nullable String holder, boolean liveListener) {
        if (holder != null) {
            return "Give async-io.handles." + holder + ".port and " + prefix + ".port different ports (0 for an "
                    + "ephemeral one).";
        }
        if (liveListener) {
            return "Identify and stop the process that is listening on port " + port + " (e.g. 'ss -ltnp sport = :"
                    + port + "' or 'lsof -i :" + port + "'), or set " + prefix
                    + ".port to another port (0 for an ephemeral one).";
        }
        return "Identify and stop the process that is listening on port " + port + ", set " + prefix
                + ".port to another port (0 for an ephemeral one), or raise " + prefix + ".init-timeout.";
    }

    /** @return whether the port's holder accepts connections (a live server, so the bind was not retried) */
    public boolean isLiveListener() {
        return this.liveListener;
    }

    /** @return the handle that could not bind */
    public String getHandleName() {
        return this.handleName;
    }

    /** @return the port in use */
    public int getPort() {
        return this.port;
    }

    /** @return how long the bind was retried */
    public Duration getRetried() {
        return this.retried;
    }

    /** @return the other async-io handle that holds the port, or {@code null} */
    public @Nullable String getHolder() {
        return this.holder;
    }
}
