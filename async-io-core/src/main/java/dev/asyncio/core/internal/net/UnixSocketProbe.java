package dev.asyncio.core.internal.net;

import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Tells whether a server listens on the socket file at a path, before a bind would take the path over: one
 * non-blocking connect, so the probe never waits (a blocking connect to a Unix socket whose listen backlog is full
 * waits until the server accepts, which may be never). Only a refused connect proves the file stale; every other
 * failure leaves the file alone, since deleting a live server's socket file silently cuts it off from new clients.
 * Stateless; any thread.
 *
 * <p>Caveat: on Linux a full backlog makes the connect fail with {@code EAGAIN} ("live"); the BSDs (macOS) refuse
 * it instead, so there a live server stuck with a full backlog looks stale.
 */
public final class UnixSocketProbe {

    /** What the probe found. */
    public enum Outcome {
        /** A server listens: the connect completed, is pending, or the backlog is full. */
        LIVE,
        /** Nobody listens: the connect was refused. The file may be removed. */
        STALE,
        /** The file went away while probing: the path is free. */
        GONE,
        /** The connect failed for another reason (permission denied, say): unknown, so the file stays. */
        UNKNOWN
    }

    /**
     * @param outcome what was found
     * @param reason for a bind failure's message; names the cause for {@link Outcome#UNKNOWN}
     * @param cause the connect's failure, or {@code null}
     */
    public record Result(Outcome outcome, String reason, IOException cause) {
    }

    /** glibc's and musl's {@code strerror(EAGAIN)}; only used to word the message, never to decide on deletion. */
    private static final String WOULD_BLOCK = "resource temporarily unavailable";

    private UnixSocketProbe() {
    }

    /**
     * Probes the socket file at {@code path} with one non-blocking connect, closed at once.
     *
     * @param path a path that held a socket file a moment ago
     * @return what was found; never blocks
     */
    public static Result probe(Path path) {
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.configureBlocking(false);
            // true: accepted into the backlog; false: pending. Either way someone listens.
            probe.connect(UnixDomainSocketAddress.of(path));
            return new Result(Outcome.LIVE, "a live server accepts connections on it", null);
        } catch (IOException e) {
            return classify(e, Files.exists(path, LinkOption.NOFOLLOW_LINKS));
        }
    }

    /**
     * Maps a failed probe connect to an outcome; separate from {@link #probe} so the rule can be tested without
     * the system states (another user's socket, say) that produce each failure.
     *
     * @param failure what the connect threw
     * @param stillThere whether something is still at the path after the failure
     * @return the outcome
     */
    static Result classify(IOException failure, boolean stillThere) {
        // The JDK throws ConnectException exactly for ECONNREFUSED (and ETIMEDOUT / ENOTCONN, which a local
        // connect does not produce): decided by the error number, not by its (possibly translated) text.
        if (failure instanceof ConnectException) {
            return new Result(Outcome.STALE, "nobody accepts connections on it", failure);
        }
        if (!stillThere) {
            return new Result(Outcome.GONE, "the file went away", failure);
        }
        String message = failure.getMessage() != null ? failure.getMessage() : failure.getClass().getSimpleName();
        if (message.toLowerCase(Locale.ROOT).contains(WOULD_BLOCK)) {
            return new Result(Outcome.LIVE, "a live server listens on it (its listen backlog is full)", failure);
        }
        return new Result(Outcome.UNKNOWN, "a connect to the socket file failed (" + message + "), so whether a "
                + "server listens on it is unknown; the file is left alone", failure);
    }
}
