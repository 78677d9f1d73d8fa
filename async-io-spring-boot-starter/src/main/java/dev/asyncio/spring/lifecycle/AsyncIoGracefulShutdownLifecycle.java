package dev.asyncio.spring.lifecycle;

import java.time.Duration;

import dev.asyncio.spring.AsyncIoRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.core.log.LogMessage;

/**
 * The graceful half of shutdown, in the phase of Spring Boot's web server graceful shutdown ({@link #PHASE}): stops
 * accepting on every handle, lets connections work on until each is quiet for {@code async-io.shutdown-quiet-period},
 * then closes each gracefully (what it accepted for writing is written), all bounded by
 * {@code spring.lifecycle.timeout-per-shutdown-phase} (see {@link AsyncIoRegistry#drain}). What is still open afterwards is closed by
 * {@link AsyncIoStartStopLifecycle} in the next phase.
 *
 * <p>With {@code async-io.shutdown=immediate} this phase does nothing and the next one closes everything at once.
 */
public class AsyncIoGracefulShutdownLifecycle implements SmartLifecycle {

    /** {@code DEFAULT_PHASE - 1024}, as Spring Boot's web server graceful shutdown. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1024;

    // Commons Logging, as Spring itself: it stays connected to the log configuration through the whole shutdown.
    private static final Log LOGGER = LogFactory.getLog(AsyncIoGracefulShutdownLifecycle.class);

    private final AsyncIoRegistry registry;

    private final boolean graceful;

    private final Duration timeout;

    private final Duration quietPeriod;

    private volatile boolean running;

    /**
     * @param registry the registry to drain
     * @param graceful false for {@code async-io.shutdown=immediate}
     * @param timeout how long connections may take to finish
     * @param quietPeriod how long a connection must be idle to be closed before the timeout
     */
    public AsyncIoGracefulShutdownLifecycle(AsyncIoRegistry registry, boolean graceful, Duration timeout,
            Duration quietPeriod) {
        this.registry = registry;
        this.graceful = graceful;
        this.timeout = timeout;
        this.quietPeriod = quietPeriod;
    }

    @Override
    public void start() {
        this.running = true;
    }

    @Override
    public void stop() {
        throw new UnsupportedOperationException("Stop must not be invoked directly");
    }

    /**
     * Starts draining on its own thread and returns; {@code callback} runs when every connection has closed (the
     * lifecycle processor stops waiting after the phase timeout in any case).
     *
     * @param callback tells the lifecycle processor that this phase is done
     */
    @Override
    public void stop(Runnable callback) {
        this.running = false;
        if (!this.graceful) {
            callback.run();
            return;
        }
        Thread drainer = new Thread(() -> {
            try {
                this.registry.drain(this.timeout, this.quietPeriod, () -> {
                    LOGGER.info("async-io graceful shutdown complete");
                    callback.run();
                });
            }
            catch (RuntimeException ex) {
                LOGGER.warn("async-io graceful shutdown failed; closing at once", ex);
                callback.run();
            }
        }, "async-io-shutdown");
        drainer.setDaemon(true);
        LOGGER.info(LogMessage.of(() -> "Commencing async-io graceful shutdown, at most " + this.timeout));
        drainer.start();
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /** @return false: pausing the context must not drain connections */
    @Override
    public boolean isPauseable() {
        return false;
    }
}
