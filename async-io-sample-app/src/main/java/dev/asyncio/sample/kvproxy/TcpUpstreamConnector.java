package dev.asyncio.sample.kvproxy;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import dev.asyncio.core.AsyncIoState;
import dev.asyncio.core.ConnectOptions;
import dev.asyncio.core.StateOptions;
import dev.asyncio.core.WaitStateCollection;

/**
 * Connects to one {@code host:port} with the core's {@code connectTcp}, and backs off after failures: after the
 * n-th failed attempt in a row no attempt is made for {@code initial × multiplier^(n-1)} (at most {@code max});
 * commands sent meanwhile fail at once with {@code ERR upstream unavailable: <last error> (retrying in …)}, so a
 * client of the proxy never waits on a dead server. A success resets the backoff. A connection that breaks after it
 * was established may be replaced at once (one attempt), then the backoff applies again.
 *
 * <p>Shared by the links of one upstream, all on one loop thread: one backoff for the server, not one per link.
 */
public final class TcpUpstreamConnector implements UpstreamConnector {

    private final WaitStateCollection collection;
    private final String host;
    private final int port;
    private final ConnectOptions options;
    private final Duration initialBackoff;
    private final double multiplier;
    private final Duration maxBackoff;
    private final LongSupplier nanoClock;
    private volatile int consecutiveFailures;
    private long nextAttemptNanos;
    private volatile String lastError;
    private volatile long connects;

    /**
     * @param collection     the loop of the links and connections
     * @param host           the server's host
     * @param port           its port
     * @param connectTimeout how long one attempt may take
     * @param initialBackoff the wait after the first failure
     * @param multiplier     the growth of the wait per further failure, at least 1
     * @param maxBackoff     the longest wait
     */
    public TcpUpstreamConnector(WaitStateCollection collection, String host, int port, Duration connectTimeout,
            Duration initialBackoff, double multiplier, Duration maxBackoff) {
        this(collection, host, port, connectTimeout, initialBackoff, multiplier, maxBackoff, System::nanoTime);
    }

    TcpUpstreamConnector(WaitStateCollection collection, String host, int port, Duration connectTimeout,
            Duration initialBackoff, double multiplier, Duration maxBackoff, LongSupplier nanoClock) {
        if (multiplier < 1) {
            throw new IllegalArgumentException("multiplier must be at least 1, got " + multiplier);
        }
        this.collection = collection;
        this.host = host;
        this.port = port;
        this.options = ConnectOptions.builder().connectTimeout(connectTimeout).nodelay(true)
                .stateOptions(StateOptions.builder().queueOutput(true).name("kv-upstream " + host + ":" + port)
                        .build())
                .build();
        this.initialBackoff = initialBackoff;
        this.multiplier = multiplier;
        this.maxBackoff = maxBackoff;
        this.nanoClock = nanoClock;
    }

    @Override
    public WaitStateCollection collection() {
        return collection;
    }

    @Override
    public String unavailable() {
        long wait = nextAttemptNanos - nanoClock.getAsLong();
        if (consecutiveFailures == 0 || wait <= 0) {
            return null;
        }
        return "ERR upstream unavailable: " + errorWithAddress() + " (retrying in "
                + Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)) + " ms)";
    }

    @Override
    public void connect(Connected callback) {
        collection.connectTcp(host, port, (state, failure) -> {
            if (failure == null) {
                consecutiveFailures = 0;
                connects++;
                callback.call(state, null);
            } else {
                failed(describe(failure));
                callback.call(null, "ERR upstream unavailable: " + errorWithAddress());
            }
        }, options);
    }

    @Override
    public void lost(AsyncIoState state, String cause) {
        lastError = cause;
    }

    /** The last error, naming the server unless it already does (the core's connect failures do). */
    private String errorWithAddress() {
        String error = lastError;
        return error != null && error.contains(host + ":" + port) ? error : error + " (" + host + ":" + port + ")";
    }

    private void failed(String error) {
        lastError = error;
        consecutiveFailures++;
        double wait = initialBackoff.toNanos() * Math.pow(multiplier, consecutiveFailures - 1);
        nextAttemptNanos = nanoClock.getAsLong() + (long) Math.min(wait, maxBackoff.toNanos());
    }

    /** @return failed attempts since the last success */
    public int consecutiveFailures() {
        return consecutiveFailures;
    }

    /** @return successful connects so far */
    public long connects() {
        return connects;
    }

    /** @return the last connect failure or connection loss, or {@code null} */
    public String lastError() {
        return lastError;
    }

    /** @return {@code host:port} */
    public String address() {
        return host + ":" + port;
    }

    static String describe(Throwable failure) {
        String message = failure.getMessage();
        Throwable cause = failure;
        while ((message == null || message.isBlank()) && cause.getCause() != null) {
            cause = cause.getCause();
            message = cause.getMessage();
        }
        return message == null || message.isBlank() ? failure.getClass().getSimpleName() : message;
    }
}
