package dev.asyncio.spring.lifecycle;

import dev.asyncio.spring.AsyncIoClients;

import org.springframework.context.SmartLifecycle;

/**
 * Starts and stops the outbound clients ({@link AsyncIoClients}) in a phase between the two of the handles
 * ({@link #PHASE}): on start, after {@link AsyncIoStartStopLifecycle} bound the handles (an address
 * {@code handle:NAME} then resolves to the bound port); on stop, after {@link AsyncIoGracefulShutdownLifecycle}
 * drained the handles' connections (which may still be sending requests through a client) and before the loops end.
 */
public class AsyncIoClientsLifecycle implements SmartLifecycle {

    /** {@code DEFAULT_PHASE - 1536}: between the handles' start/stop and graceful-shutdown phases. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1536;

    private final AsyncIoClients clients;

    /** @param clients the clients to start and stop */
    public AsyncIoClientsLifecycle(AsyncIoClients clients) {
        this.clients = clients;
    }

    @Override
    public void start() {
        this.clients.start();
    }

    @Override
    public void stop() {
        this.clients.stop();
    }

    @Override
    public boolean isRunning() {
        return this.clients.isRunning();
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /** @return false: pausing the context leaves the clients connected, as it leaves the handles bound */
    @Override
    public boolean isPauseable() {
        return false;
    }
}
