package dev.asyncio.spring;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;

import dev.asyncio.core.AcceptOptions;
import dev.asyncio.core.AcceptingHandle;
import dev.asyncio.core.BindFailedException;
import dev.asyncio.core.BindRetryListener;
import dev.asyncio.core.WaitStateCollection;
import org.jspecify.annotations.Nullable;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.core.log.LogMessage;

/**
 * Binds and releases the listening socket of one {@link ManagedAcceptingHandle}: retries a busy port for the handle's
 * {@code init-timeout} (LispWorks' rule) while saying so — a WARN at the first retry and every
 * {@link #PROGRESS_INTERVAL} after — logs one INFO line once bound, and turns a failure into a report that names the
 * property to fix. A port held by a live server (something accepts a TCP connection on it, see
 * {@link ListenerProbe}) fails at once, as Spring Boot's web server does: only a socket that is closing is worth
 * the wait.
 *
 * <p>The retry itself is the core's ({@link AcceptOptions#bindRetryListener()}); this class only listens to it —
 * the logging policy stays out of the core. Binding blocks the calling thread (the context's start-up thread,
 * or an endpoint request); on a loop thread it tries once, since waiting would stall the loop.
 */
final class PortBinder {

    /** How often a WARN line repeats while a busy port is retried. */
    static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(10);

    /** How long {@link #release} waits for the loop to confirm that the listening socket is closed. */
    private static final long CLOSE_WAIT_SECONDS = 5;

    // Commons Logging, as Spring itself: it stays connected to the log configuration through the whole shutdown.
    private static final Log LOGGER = LogFactory.getLog(ManagedAcceptingHandle.class);

    private final IntFunction<@Nullable String> portHolder;

    private final LongSupplier nanoTime;

    private final Pause pause;

    private final ListenerProbe probe;

    /**
     * @param portHolder names another handle of the registry that listens on a port, or {@code null}
     */
    PortBinder(IntFunction<@Nullable String> portHolder) {
        this(portHolder, System::nanoTime, (millis) -> Thread.sleep(millis), ListenerProbe.CONNECT);
    }

    /** For tests: a clock and a pause that need not take real time, and a probe that need not connect. */
    PortBinder(IntFunction<@Nullable String> portHolder, LongSupplier nanoTime, Pause pause, ListenerProbe probe) {
        this.portHolder = portHolder;
        this.nanoTime = nanoTime;
        this.pause = pause;
        this.probe = probe;
    }

    /**
     * Binds {@code definition} in {@code collection}.
     *
     * @param again whether this is a re-open: an ephemeral handle then asks for {@code lastPort}, and a busy port
     * fails at once (an operator wants an answer now)
     * @param lastPort the port the handle had before, or -1
     * @return the bound core handle
     * @throws AsyncIoPortInUseException for a configured handle whose port stayed busy (not on re-open)
     * @throws AsyncIoConfigurationException for a configured handle whose address or service cannot be used
     * @throws BindFailedException for a handle declared in code, or on re-open
     */
    AcceptingHandle bind(HandleDefinition definition, WaitStateCollection collection, boolean again, int lastPort) {
        if (definition.unixSocketPath() != null) {
            return bindUnix(definition, collection);
        }
        String service = definition.service();
        if (again && lastPort > 0 && isEphemeral(service)) {
            service = Integer.toString(lastPort);
        }
        Duration initTimeout = (again || collection.inLoopThread()) ? Duration.ZERO
                : definition.options().initTimeout();
        Progress progress = new Progress(definition);
        AcceptOptions options = definition.options()
            .toBuilder()
            .handleName(definition.name())
            .initTimeout(initTimeout)
            .bindRetryListener(progress)
            .build();
        try {
            AcceptingHandle bound = collection.acceptTcpConnections(service, definition.connectionFunction(),
                    options);
            LOGGER.info(LogMessage.of(() -> "async-io handle '" + definition.name() + "' listening on "
                    + describe(bound) + " (collection " + collection.name()
                    + (options.spreadOver().size() > 1 ? ", connections over " + options.spreadOver().size() + " loops"
                            : "")
                    + (definition.options().tls() != null ? ", TLS" : "") + ")"));
            return bound;
        }
        catch (BindFailedException ex) {
            String holder = (progress.holder != null || !ex.portInUse()) ? progress.holder
                    : this.portHolder.apply(ex.port());
            throw failure(definition, again, ex, ex.waited(), holder, progress.liveListener);
        }
        catch (IllegalArgumentException ex) {
            throw (again || definition.propertyPrefix() == null) ? ex : unusable(definition, ex);
        }
    }

    /**
     * Listens to the core's retry of one bind (on the binding thread): stops it when another handle of the registry
     * holds the port or when a live server does (probed when a WARN is due: at once, then every
     * {@link #PROGRESS_INTERVAL} — a holder that accepts connections is a live server, which waiting will not
     * remove; one that does not is closing), and logs the WARN lines otherwise.
     */
    private final class Progress implements BindRetryListener {

        private final HandleDefinition definition;

        private @Nullable String holder;

        private boolean liveListener;

        private boolean warned;

        private long nextWarning;

        Progress(HandleDefinition definition) {
            this.definition = definition;
        }

        @Override
        public boolean retrying(int attempt, Duration elapsed, BindFailedException cause) {
            this.holder = PortBinder.this.portHolder.apply(cause.port());
            if (this.holder != null) {
                return false;
            }
            long waited = elapsed.toNanos();
            if (this.warned && waited - this.nextWarning < 0) {
                return true;
            }
            if (PortBinder.this.probe.accepting(cause.address())) {
                this.liveListener = true;
                return false;
            }
            warn(this.definition, cause.port(), this.warned, elapsed,
                    this.definition.options().initTimeout().minus(elapsed));
            this.warned = true;
            this.nextWarning = waited + PROGRESS_INTERVAL.toNanos();
            return true;
        }

        @Override
        public long nanoTime() {
            return PortBinder.this.nanoTime.getAsLong();
        }

        @Override
        public void pause(long millis) throws InterruptedException {
            PortBinder.this.pause.sleep(millis);
        }
    }

    private static void warn(HandleDefinition definition, int port, boolean again, Duration waited, Duration left) {
        String property = (definition.propertyPrefix() != null) ? definition.propertyPrefix() + ".init-timeout"
                : "init-timeout of handle '" + definition.name() + "'";
        if (!again) {
            LOGGER.warn(LogMessage.of(() -> "async-io handle '" + definition.name() + "': port " + port
                    + " is in use; retrying for up to " + seconds(definition.options().initTimeout()) + " ("
                    + property + "): its holder accepts no connection, so it is taken to be closing"));
        }
        else {
            LOGGER.warn(LogMessage.of(() -> "async-io handle '" + definition.name() + "': port " + port
                    + " is still in use after " + seconds(waited) + "; retrying for up to " + seconds(left)
                    + " more (" + property + ")"));
        }
    }

    private static String seconds(Duration duration) {
        return Math.max(0, (duration.toMillis() + 500) / 1000) + "s";
    }

    private static RuntimeException failure(HandleDefinition definition, boolean again, BindFailedException ex,
            Duration waited, @Nullable String holder, boolean liveListener) {
        String prefix = definition.propertyPrefix();
        if (again || prefix == null) {
            return ex;
        }
        if (ex.portInUse() || holder != null) {
            return new AsyncIoPortInUseException(definition.name(), prefix, definition.service(), waited, holder,
                    liveListener, ex);
        }
        String where = (definition.options().address() != null) ? definition.options().address() : "all interfaces";
        return new AsyncIoConfigurationException(prefix + ".port", definition.service(),
                "could not be bound on " + where + ": " + ex.getMessage(),
                "Check " + prefix + ".port and " + prefix + ".address.", ex);
    }

    private static RuntimeException unusable(HandleDefinition definition, IllegalArgumentException ex) {
        String prefix = definition.propertyPrefix();
        String where = (definition.options().address() != null) ? definition.options().address() : "all interfaces";
        return new AsyncIoConfigurationException(prefix + ".port", definition.service(),
                "cannot be used on " + where + ": " + ex.getMessage(), "Check " + prefix + ".port and " + prefix
                        + ".address.",
                ex);
    }

    static boolean isEphemeral(@Nullable String service) {
        return service == null || service.isBlank() || service.trim().equals("0");
    }

    /**
     * A Unix domain socket: nothing to retry (a closing handle frees its path before close returns); a live socket
     * at the path fails at once, naming the property, with advice that fits the cause.
     */
    private static AcceptingHandle bindUnix(HandleDefinition definition, WaitStateCollection collection) {
        AcceptOptions options = definition.options().toBuilder().handleName(definition.name()).build();
        try {
            AcceptingHandle bound = collection.acceptUnixConnections(definition.unixSocketPath(),
                    definition.connectionFunction(), options);
            LOGGER.info(LogMessage.of(() -> "async-io handle '" + definition.name() + "' listening on "
                    + definition.unixSocketPath() + " (collection " + collection.name()
                    + (options.spreadOver().size() > 1 ? ", connections over " + options.spreadOver().size()
                            + " loops" : "")
                    + (options.tls() != null ? ", TLS" : "") + ")"));
            return bound;
        }
        catch (BindFailedException | IllegalArgumentException ex) {
            String prefix = definition.propertyPrefix();
            if (prefix == null) {
                throw ex;
            }
            String property = prefix + ".unix-socket-path";
            throw new AsyncIoConfigurationException(property, definition.unixSocketPath(),
                    "could not be bound: " + ex.getMessage(),
                    UnixBindAdvice.action(property, definition.unixSocketPath(), ex), ex);
        }
    }

    private static String describe(AcceptingHandle handle) {
        java.net.InetSocketAddress address = handle.localAddress();
        String host = (address.getAddress() != null) ? address.getAddress().getHostAddress() : address.getHostString();
        return ((host.indexOf(':') >= 0) ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /**
     * Closes the listening socket and waits (at most five seconds) until the loop confirms the port is free, unless
     * called on the loop thread itself or the loop has ended.
     */
    static void release(AcceptingHandle handle) {
        WaitStateCollection loop = handle.collection();
        if (loop == null || !loop.isAlive() || loop.inLoopThread()) {
            handle.close();
            return;
        }
        CountDownLatch closed = new CountDownLatch(1);
        handle.close((collection) -> closed.countDown());
        try {
            closed.await(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Tells a live server from a socket that is going away: whether something accepts a TCP connection on the busy
     * address (the wildcard address is probed on loopback). A seam for tests.
     */
    @FunctionalInterface
    interface ListenerProbe {

        /** How long a probe waits for the connection. */
        int PROBE_TIMEOUT_MILLIS = 1000;

        /** Connects (and at once disconnects) with a bounded timeout of {@link #PROBE_TIMEOUT_MILLIS}. */
        ListenerProbe CONNECT = (address) -> {
            java.net.InetAddress host = (address.getAddress() == null || address.getAddress().isAnyLocalAddress())
                    ? java.net.InetAddress.getLoopbackAddress() : address.getAddress();
            try (java.net.Socket socket = new java.net.Socket()) {
                socket.connect(new java.net.InetSocketAddress(host, address.getPort()), PROBE_TIMEOUT_MILLIS);
                return true;
            }
            catch (java.io.IOException ex) {
                return false;
            }
        };

        /**
         * @param address the address that could not be bound
         * @return whether a listener accepts connections there
         */
        boolean accepting(java.net.InetSocketAddress address);
    }

    /** How the binder waits between attempts; a seam for tests. */
    @FunctionalInterface
    interface Pause {

        void sleep(long millis) throws InterruptedException;
    }
}
