package dev.asyncio.spring.lifecycle;

import dev.asyncio.core.AcceptingHandle;
import dev.asyncio.spring.AsyncIoRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;

/**
 * Binds the handles when the context starts and closes everything when it stops: handles, remaining connections and
 * the loop threads of the collections the registry created. It runs in the phase of Spring Boot's web server
 * start/stop ({@link #PHASE}), after {@link AsyncIoGracefulShutdownLifecycle} has drained the connections.
 *
 * <p>On start it also adopts every {@link AcceptingHandle} bean the application made itself, so that metrics, the
 * endpoint and shutdown see them.
 */
public class AsyncIoStartStopLifecycle implements SmartLifecycle {

    /** {@code DEFAULT_PHASE - 2048}, as Spring Boot's web server start/stop. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 2048;

    private final AsyncIoRegistry registry;

    private final ObjectProvider<AcceptingHandle> applicationHandles;

    private volatile boolean running;

    /**
     * @param registry the registry to start and stop
     * @param applicationHandles the application's own handle beans, adopted on start
     */
    public AsyncIoStartStopLifecycle(AsyncIoRegistry registry, ObjectProvider<AcceptingHandle> applicationHandles) {
        this.registry = registry;
        this.applicationHandles = applicationHandles;
    }

    /**
     * Adopts the application's handle beans, then binds every configured handle.
     * @throws RuntimeException if a handle cannot be bound (start-up fails)
     */
    @Override
    public void start() {
        this.applicationHandles.orderedStream().forEach(this.registry::adopt);
        this.registry.start();
        this.running = true;
    }

    /** Closes every handle, aborts what connections are left and ends the registry's loop threads. */
    @Override
    public void stop() {
        this.running = false;
        this.registry.stop();
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /** @return false: pausing the context must not unbind network listeners */
    @Override
    public boolean isPauseable() {
        return false;
    }
}
