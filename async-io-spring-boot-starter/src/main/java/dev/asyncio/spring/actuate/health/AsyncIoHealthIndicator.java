package dev.asyncio.spring.actuate.health;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.asyncio.core.CollectionStatistics;
import dev.asyncio.core.HandleStatistics;
import dev.asyncio.core.MemoryStatistics;
import dev.asyncio.core.ShedReason;
import dev.asyncio.core.WaitStateCollection;
import dev.asyncio.spring.AsyncIoRegistry;
import dev.asyncio.spring.ManagedAcceptingHandle;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of async-io, with details per collection and handle. {@code DOWN} when a collection's loop thread has died
 * (until the starter restarts it, see {@link AsyncIoRegistry#restartDeadLoops()}; {@code restarts} counts them);
 * {@code DOWN} too when a handle that should be serving has lost its listening socket behind its back (until the
 * starter binds it again, see {@link AsyncIoRegistry#reopenDeadListeners()}; the handle's {@code error} says so);
 * {@code OUT_OF_SERVICE} when a handle failed to bind or was closed (through the endpoint or in code), so that a
 * readiness group that includes {@code asyncio} takes the instance out of rotation; otherwise {@code UP}.
 *
 * <p>The details also show the shared memory budget ({@code memory}: use, marks, pressure, crossings, refused writes
 * and connections shed by reason) and, per handle, whether it is backing off its accepts after failing ones
 * ({@code acceptBackoff}, with {@code acceptFailures}) and the bytes its connections hold ({@code memoryUsed}).
 * Neither changes the status: the budget shedding and the accept back-off are the protections at work, they recover
 * on their own, and a status that flips with them would take instances out of rotation under load, moving the load to
 * the others.
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
        boolean listenerDead = false;
        Map<String, Object> collections = new LinkedHashMap<>();
        for (WaitStateCollection collection : this.registry.collections()) {
            CollectionStatistics statistics = collection.statistics();
            // A loop that ended while the registry still runs has died (or was stopped behind our back).
            loopDead |= !statistics.alive() && !this.registry.isStopped();
            collections.put(collection.name(), Map.of("alive", statistics.alive(), "states", statistics.states(),
                    "handles", statistics.handles(), "tasksPending", statistics.tasksPending(), "restarts",
                    this.registry.restarts(collection)));
        }
        Map<String, Object> handles = new LinkedHashMap<>();
        for (ManagedAcceptingHandle handle : this.registry.handles()) {
            ManagedAcceptingHandle.Status status = handle.status();
            boolean listenerDied = handle.listenerDied();
            listenerDead |= listenerDied;
            handleDown |= status == ManagedAcceptingHandle.Status.FAILED
                    || status == ManagedAcceptingHandle.Status.CLOSED;
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("status", status.name().toLowerCase(java.util.Locale.ROOT));
            details.put("port", handle.localPort());
            details.put("collection", handle.collection().name());
            details.put("loops", handle.collections().size());
            HandleStatistics statistics = handle.statistics();
            details.put("acceptBackoff", statistics.acceptBackoff());
            details.put("acceptFailures", statistics.acceptFailures());
            details.put("memoryUsed", statistics.memoryUsed());
            if (listenerDied) {
                details.put("error", "its listening socket was closed behind its back: it accepts nothing until "
                        + "it is bound again");
            }
            else if (handle.failure() != null) {
                details.put("error", String.valueOf(handle.failure().getMessage()));
            }
            handles.put(handle.name(), details);
        }
        if (loopDead || listenerDead) {
            builder.down();
        }
        else if (handleDown) {
            builder.outOfService();
        }
        else {
            builder.up();
        }
        builder.withDetail("collections", collections)
            .withDetail("handles", handles)
            .withDetail("memory", memory(this.registry.memoryBudget().statistics()));
    }

    private static Map<String, Object> memory(MemoryStatistics statistics) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("budget", statistics.name());
        details.put("used", statistics.used());
        details.put("softLimit", statistics.softLimit());
        details.put("hardLimit", statistics.hardLimit());
        details.put("pressure", statistics.pressure());
        details.put("softCrossings", statistics.softCrossings());
        details.put("hardCrossings", statistics.hardCrossings());
        details.put("refusedWrites", statistics.refusedWrites());
        Map<String, Long> shed = new LinkedHashMap<>();
        for (ShedReason reason : ShedReason.values()) {
            shed.put(reason.name().toLowerCase(java.util.Locale.ROOT), statistics.shed().getOrDefault(reason, 0L));
        }
        details.put("shed", shed);
        return details;
    }
}
