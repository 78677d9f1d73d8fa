package dev.asyncio.spring.metrics;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import dev.asyncio.core.ProxyProtocol;
import dev.asyncio.core.ProxyProtocolStatistics;
import dev.asyncio.spring.AsyncIoRegistry;
import dev.asyncio.spring.AsyncIoRegistryListener;
import dev.asyncio.spring.ManagedAcceptingHandle;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The counter {@code asyncio.proxy.headers} of every handle that reads the PROXY protocol
 * ({@code async-io.handles.<name>.proxy-protocol} on or auto), tagged {@code handle} and {@code outcome}:
 * {@code accepted} (a header was read), {@code direct} (auto: served without one), {@code rejected} (a broken header,
 * no header under "on", or the client left before its header was complete) and {@code timeout} (on: no complete
 * header in time). Both tags are bounded by configuration. Handles that appear later get their counters when they
 * appear; a handle's counters go with it when it is removed.
 */
public class ProxyProtocolMeterBinder implements MeterBinder, AsyncIoRegistryListener {

    private static final String NAME = "asyncio.proxy.headers";

    private static final String DESCRIPTION = "Connections of a PROXY protocol handle by what their start was: a "
            + "header (accepted), none (direct, proxy-protocol=auto), a bad or missing one (rejected), or none in "
            + "time (timeout)";

    private final AsyncIoRegistry registry;

    private final Object lock = new Object();

    /** Guarded by {@link #lock}. */
    private final List<MeterRegistry> meterRegistries = new ArrayList<>();

    /** Guarded by {@link #lock}. */
    private final Map<ManagedAcceptingHandle, List<Meter>> meters = new IdentityHashMap<>();

    /** @param registry the registry whose handles are measured */
    public ProxyProtocolMeterBinder(AsyncIoRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void bindTo(MeterRegistry meterRegistry) {
        boolean first;
        synchronized (this.lock) {
            first = this.meterRegistries.isEmpty();
            this.meterRegistries.add(meterRegistry);
        }
        if (first) {
            this.registry.addListener(this);
        }
        else {
            this.registry.handles().forEach((handle) -> bind(handle, meterRegistry));
        }
    }

    @Override
    public void handleAdded(ManagedAcceptingHandle handle) {
        List<MeterRegistry> registries;
        synchronized (this.lock) {
            registries = new ArrayList<>(this.meterRegistries);
        }
        registries.forEach((meterRegistry) -> bind(handle, meterRegistry));
    }

    @Override
    public void handleRemoved(ManagedAcceptingHandle handle) {
        List<Meter> removed;
        List<MeterRegistry> registries;
        synchronized (this.lock) {
            removed = this.meters.remove(handle);
            registries = new ArrayList<>(this.meterRegistries);
        }
        if (removed != null) {
            removed.forEach((meter) -> registries.forEach((r) -> r.remove(meter)));
        }
    }

    private void bind(ManagedAcceptingHandle handle, MeterRegistry meterRegistry) {
        if (handle.proxyProtocol() == ProxyProtocol.OFF) {
            return;
        }
        Tags tags = Tags.of("handle", handle.name());
        List<Meter> added = List.of(
                counter(handle, tags.and("outcome", "accepted"), ProxyProtocolStatistics::accepted, meterRegistry),
                counter(handle, tags.and("outcome", "direct"), ProxyProtocolStatistics::direct, meterRegistry),
                counter(handle, tags.and("outcome", "rejected"), ProxyProtocolStatistics::rejected, meterRegistry),
                counter(handle, tags.and("outcome", "timeout"), ProxyProtocolStatistics::timeouts, meterRegistry));
        synchronized (this.lock) {
            this.meters.computeIfAbsent(handle, (key) -> new ArrayList<>()).addAll(added);
        }
    }

    private static Meter counter(ManagedAcceptingHandle handle, Tags tags,
            ToDoubleFunction<ProxyProtocolStatistics> value, MeterRegistry meterRegistry) {
        return FunctionCounter.builder(NAME, handle, (h) -> value.applyAsDouble(h.proxyStatistics()))
            .tags(tags)
            .description(DESCRIPTION)
            .baseUnit(BaseUnits.CONNECTIONS)
            .register(meterRegistry);
    }
}
