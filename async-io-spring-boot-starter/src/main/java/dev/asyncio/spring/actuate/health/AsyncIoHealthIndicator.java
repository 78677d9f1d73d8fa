package dev.asyncio.spring.actuate.health;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.asyncio.core.CollectionStatistics;
import dev.asyncio.core.WaitStateCollection;
import dev.asyncio.spring.AsyncIoRegistry;
import dev.asyncio.spring.ManagedAcceptingHandle;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of async-io, with details per collection and handle. {@code DOWN} when a collection's loop thread has died;
 * {@code OUT_OF_SERVICE} when a handle failed to bind or was closed (through the endpoint or in code), so that a
 * readiness group that includes {@code asyncio} takes the instance out of rotation; otherwise {@code UP}.
 *
 * <p>Cheap: it reads flags and counters only, never waits for a loop.
 */
public class AsyncIoHealthIndicator extends AbstractHealthIndicator {

    private final AsyncIoRegistry registry;

    /** @param registry the registry to report on */
    public AsyncIoHealthIndicator(AsyncIoRegistry registry) {
        super("async-io health check failed");
        this.registry = registry;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        boolean loopDead = false;
        boolean handleDown = false;
        Map<String, Object> collections = new LinkedHashMap<>();
        for (WaitStateCollection collection : this.registry.collections()) {
            CollectionStatistics statistics = collection.statistics();
            // A loop that ended while the registry still runs has died (or was stopped behind our back).
            loopDead |= !statistics.alive() && !this.registry.isStopped();
            collections.put(collection.name(), Map.of("alive", statistics.alive(), "states", statistics.states(),
                    "handles", statistics.handles(), "tasksPending", statistics.tasksPending()));
        }
        Map<String, Object> handles = new LinkedHashMap<>();
        for (ManagedAcceptingHandle handle : this.registry.handles()) {
            ManagedAcceptingHandle.Status status = handle.status();
            handleDown |= status == ManagedAcceptingHandle.Status.FAILED
                    || status == ManagedAcceptingHandle.Status.CLOSED;
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("status", status.name().toLowerCase(java.util.Locale.ROOT));
            details.put("port", handle.localPort());
            details.put("collection", handle.collection().name());
            if (handle.failure() != null) {
                details.put("error", String.valueOf(handle.failure().getMessage()));
            }
            handles.put(handle.name(), details);
        }
        if (loopDead) {
            builder.down();
        }
        else if (handleDown) {
            builder.outOfService();
        }
        else {
            builder.up();
        }
        builder.withDetail("collections", collections).withDetail("handles", handles);
    }
}
