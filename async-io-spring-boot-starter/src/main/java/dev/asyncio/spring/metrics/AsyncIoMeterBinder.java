package dev.asyncio.spring.metrics;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import dev.asyncio.core.HandleStatistics;
import dev.asyncio.core.MemoryBudget;
import dev.asyncio.core.MemoryStatistics;
import dev.asyncio.core.ShedReason;
import dev.asyncio.core.WaitStateCollection;
import dev.asyncio.spring.AsyncIoRegistry;
import dev.asyncio.spring.AsyncIoRegistryListener;
import dev.asyncio.spring.ManagedAcceptingHandle;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Micrometer meters for every handle and collection of an {@link AsyncIoRegistry}, read from the core's statistics
 * snapshots. Handle meters carry the tags {@code handle} and {@code collection}; loop meters carry
 * {@code collection}. Both are bounded by configuration: no meter is ever tagged with a peer address. The memory
 * budget the registry's collections share has meters of its own ({@code asyncio.memory.*},
 * {@code asyncio.connections.shed}), tagged only with a fixed {@code mark} or {@code reason}.
 *
 * <p>Handles and collections that appear later (registered in code, adopted on start) get meters when they appear;
 * a handle's meters are removed when it is closed for good (context shutdown), not when an operator closes it for a
 * while. The binder keeps strong references to what its meters read, so no gauge turns into NaN.
 */
public class AsyncIoMeterBinder implements MeterBinder, AsyncIoRegistryListener {

    private final AsyncIoRegistry registry;

    private final Object lock = new Object();

    /** Guarded by {@link #lock}. */
    private final List<MeterRegistry> meterRegistries = new ArrayList<>();

    /** Guarded by {@link #lock}. */
    private final Map<Object, List<Meter>> meters = new IdentityHashMap<>();

    /** @param registry the registry whose handles and collections are measured */
    public AsyncIoMeterBinder(AsyncIoRegistry registry) {
        this.registry = registry;
    }

    /**
     * Registers meters for everything known and listens for what comes later.
     * @param meterRegistry the registry to register meters in
     */
    @Override
    public void bindTo(MeterRegistry meterRegistry) {
        boolean first;
        synchronized (this.lock) {
            first = this.meterRegistries.isEmpty();
            this.meterRegistries.add(meterRegistry);
        }
        bindMemory(this.registry.memoryBudget(), meterRegistry);
        if (first) {
            this.registry.addListener(this);
        }
        else {
            this.registry.collections().forEach((collection) -> bindCollection(collection, meterRegistry));
            this.registry.handles().forEach((handle) -> bindHandle(handle, meterRegistry));
        }
    }

    @Override
    public void collectionAdded(WaitStateCollection collection) {
        for (MeterRegistry meterRegistry : meterRegistries()) {
            bindCollection(collection, meterRegistry);
        }
    }

    @Override
    public void collectionRemoved(WaitStateCollection collection) {
        remove(collection);
    }

    @Override
    public void handleAdded(ManagedAcceptingHandle handle) {
        for (MeterRegistry meterRegistry : meterRegistries()) {
            bindHandle(handle, meterRegistry);
        }
    }

    @Override
    public void handleRemoved(ManagedAcceptingHandle handle) {
        remove(handle);
    }

    private List<MeterRegistry> meterRegistries() {
        synchronized (this.lock) {
            return new ArrayList<>(this.meterRegistries);
        }
    }

    private void bindCollection(WaitStateCollection collection, MeterRegistry meterRegistry) {
        Tags tags = Tags.of("collection", collection.name());
        List<Meter> added = new ArrayList<>();
        added.add(Gauge.builder("asyncio.loop.tasks.pending", collection, (c) -> c.statistics().tasksPending())
            .tags(tags)
            .description("Functions queued to the collection's loop thread and not yet run")
            .baseUnit("tasks")
            .strongReference(true)
            .register(meterRegistry));
        added.add(Gauge.builder("asyncio.loop.states", collection, (c) -> c.statistics().states())
            .tags(tags)
            .description("Open async-io-states (connections) in the collection, accepted or not")
            .baseUnit(BaseUnits.CONNECTIONS)
            .strongReference(true)
            .register(meterRegistry));
        added.add(Gauge.builder("asyncio.loop.alive", collection, (c) -> c.isAlive() ? 1 : 0)
            .tags(tags)
            .description("Whether the collection's loop thread runs (1) or not (0)")
            .strongReference(true)
            .register(meterRegistry));
        keep(collection, added);
    }

    private void bindMemory(MemoryBudget budget, MeterRegistry meterRegistry) {
        List<Meter> added = new ArrayList<>();
        added.add(Gauge.builder("asyncio.memory.used", budget, MemoryBudget::used)
            .description("Bytes the states of all async-io collections hold now, charged to the memory budget")
            .baseUnit(BaseUnits.BYTES)
            .strongReference(true)
            .register(meterRegistry));
        added.add(Gauge.builder("asyncio.memory.limit", budget, MemoryBudget::softLimit)
            .tag("mark", "soft")
            .description("Memory budget mark: over soft the biggest holders stop being read, over hard they are closed")
            .baseUnit(BaseUnits.BYTES)
            .strongReference(true)
            .register(meterRegistry));
        added.add(Gauge.builder("asyncio.memory.limit", budget, MemoryBudget::hardLimit)
            .tag("mark", "hard")
            .description("Memory budget mark: over soft the biggest holders stop being read, over hard they are closed")
            .baseUnit(BaseUnits.BYTES)
            .strongReference(true)
            .register(meterRegistry));
        added.add(memoryCounter("asyncio.memory.crossings", budget, MemoryStatistics::softCrossings,
                Tags.of("mark", "soft"), "How often memory use rose over the budget's mark", "crossings",
                meterRegistry));
        added.add(memoryCounter("asyncio.memory.crossings", budget, MemoryStatistics::hardCrossings,
                Tags.of("mark", "hard"), "How often memory use rose over the budget's mark", "crossings",
                meterRegistry));
        added.add(memoryCounter("asyncio.memory.refused.writes", budget, MemoryStatistics::refusedWrites, Tags.empty(),
                "Writes refused because the memory budget was exhausted", BaseUnits.OPERATIONS, meterRegistry));
        for (ShedReason reason : ShedReason.values()) {
            added.add(memoryCounter("asyncio.connections.shed", budget,
                    (m) -> m.shed().getOrDefault(reason, 0L),
                    Tags.of("reason", reason.name().toLowerCase(Locale.ROOT)),
                    "Connections closed by the memory budget, by what most of their bytes were",
                    BaseUnits.CONNECTIONS, meterRegistry));
        }
        keep(budget, added);
    }

    private static Meter memoryCounter(String name, MemoryBudget budget, ToDoubleFunction<MemoryStatistics> value,
            Tags tags, String description, String unit, MeterRegistry meterRegistry) {
        return FunctionCounter.builder(name, budget, (b) -> value.applyAsDouble(b.statistics()))
            .tags(tags)
            .description(description)
            .baseUnit(unit)
            .register(meterRegistry);
    }

    private void bindHandle(ManagedAcceptingHandle handle, MeterRegistry meterRegistry) {
        Tags tags = Tags.of("handle", handle.name(), "collection", handle.collection().name());
        List<Meter> added = new ArrayList<>();
        added.add(Gauge.builder("asyncio.connections.active", handle, (h) -> h.statistics().active())
            .tags(tags)
            .description("Connections of the handle open now")
            .baseUnit(BaseUnits.CONNECTIONS)
            .strongReference(true)
            .register(meterRegistry));
        added.add(counter("asyncio.connections.accepted", handle, HandleStatistics::accepted, tags,
                "Connections the handle accepted", BaseUnits.CONNECTIONS, meterRegistry));
        added.add(counter("asyncio.connections.rejected", handle, HandleStatistics::rejected, tags,
                "Connections the handle closed as soon as it accepted them", BaseUnits.CONNECTIONS, meterRegistry));
        added.add(counter("asyncio.connections.refused", handle, HandleStatistics::refusedMaxConnections,
                tags.and("reason", "max_connections"),
                "Connections the handle reset at once: max-connections were open (policy refuse), or the process was "
                        + "out of file descriptors",
                BaseUnits.CONNECTIONS, meterRegistry));
        added.add(counter("asyncio.connections.refused", handle, HandleStatistics::refusedNoDescriptors,
                tags.and("reason", "descriptors"),
                "Connections the handle reset at once: max-connections were open (policy refuse), or the process was "
                        + "out of file descriptors",
                BaseUnits.CONNECTIONS, meterRegistry));
        added.add(Gauge.builder("asyncio.connections.max", handle, (h) -> h.statistics().maxConnections())
            .tags(tags)
            .description("The handle's max-connections in effect (after the start-up descriptor check); 0 = no limit")
            .baseUnit(BaseUnits.CONNECTIONS)
            .strongReference(true)
            .register(meterRegistry));
        added.add(counter("asyncio.bytes.read", handle, HandleStatistics::bytesRead, tags,
                "Bytes read from the handle's connections", BaseUnits.BYTES, meterRegistry));
        added.add(counter("asyncio.bytes.written", handle, HandleStatistics::bytesWritten, tags,
                "Bytes written to the handle's connections", BaseUnits.BYTES, meterRegistry));
        added.add(counter("asyncio.timeouts", handle, HandleStatistics::timeouts, tags,
                "Operations of the handle's connections ended by a read or write timeout", BaseUnits.OPERATIONS,
                meterRegistry));
        added.add(counter("asyncio.errors", handle, HandleStatistics::errors, tags,
                "Operations of the handle's connections ended by an I/O error", BaseUnits.OPERATIONS,
                meterRegistry));
        added.add(counter("asyncio.callback.failures", handle, HandleStatistics::callbackFailures, tags,
                "Callbacks of the handle (connection function included) that threw", "failures", meterRegistry));
        added.add(counter("asyncio.accept.failures", handle, HandleStatistics::acceptFailures, tags,
                "Accepts of the handle that failed (out of file descriptors, say)", "failures", meterRegistry));
        added.add(Gauge.builder("asyncio.accept.backoff", handle, (h) -> h.statistics().acceptBackoff() ? 1 : 0)
            .tags(tags)
            .description("Whether the handle is backing off its accepts after failing ones (1) or not (0)")
            .strongReference(true)
            .register(meterRegistry));
        added.add(Gauge.builder("asyncio.connections.memory", handle, (h) -> h.statistics().memoryUsed())
            .tags(tags)
            .description("Bytes the handle's live connections hold, charged to the memory budget")
            .baseUnit(BaseUnits.BYTES)
            .strongReference(true)
            .register(meterRegistry));
        keep(handle, added);
    }

    private static Meter counter(String name, ManagedAcceptingHandle handle, ToDoubleFunction<HandleStatistics> value,
            Tags tags, String description, String unit, MeterRegistry meterRegistry) {
        return FunctionCounter.builder(name, handle, (h) -> value.applyAsDouble(h.statistics()))
            .tags(tags)
            .description(description)
            .baseUnit(unit)
            .register(meterRegistry);
    }

    private void keep(Object source, List<Meter> added) {
        synchronized (this.lock) {
            this.meters.computeIfAbsent(source, (key) -> new ArrayList<>()).addAll(added);
        }
    }

    private void remove(Object source) {
        List<Meter> removed;
        List<MeterRegistry> registries;
        synchronized (this.lock) {
            removed = this.meters.remove(source);
            registries = new ArrayList<>(this.meterRegistries);
        }
        if (removed == null) {
            return;
        }
        for (Meter meter : removed) {
            for (MeterRegistry meterRegistry : registries) {
                meterRegistry.remove(meter);
            }
        }
    }
}
