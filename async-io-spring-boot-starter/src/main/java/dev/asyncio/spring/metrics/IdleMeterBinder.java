package dev.asyncio.spring.metrics;

import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import dev.asyncio.core.IdleKind;
import dev.asyncio.spring.IdlePolicy;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Micrometer meters of the handles with idle detection ({@code async-io.handles.<name>.idle.*}), tagged with
 * {@code handle}: {@code asyncio.idle.events} (a counter, tag {@code kind} = {@code reader}, {@code writer},
 * {@code all}) and {@code asyncio.idle.closes} (connections closed by {@code idle.action=close}). Every tag is
 * bounded by configuration.
 */
public class IdleMeterBinder implements MeterBinder {

    private final Supplier<Map<String, IdlePolicy>> handles;

    /** @param handles the idle policies by handle name, read when bound */
    public IdleMeterBinder(Supplier<Map<String, IdlePolicy>> handles) {
        this.handles = handles;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        this.handles.get().forEach((name, policy) -> bind(name, policy, registry));
    }

    private static void bind(String handle, IdlePolicy policy, MeterRegistry registry) {
        Tags tags = Tags.of("handle", handle);
        for (IdleKind kind : IdleKind.values()) {
            FunctionCounter.builder("asyncio.idle.events", policy, (p) -> p.events(kind))
                .tags(tags.and("kind", kind.name().toLowerCase(Locale.ROOT)))
                .description("Idle events: a connection read nothing (reader), wrote nothing (writer) or did neither "
                        + "(all) for its period")
                .baseUnit("events")
                .register(registry);
        }
        FunctionCounter.builder("asyncio.idle.closes", policy, IdlePolicy::closes)
            .tags(tags)
            .description("Connections closed because they were idle (idle.action=close)")
            .baseUnit("connections")
            .register(registry);
    }
}
