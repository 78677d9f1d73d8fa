package dev.asyncio.spring.metrics;

import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import dev.asyncio.core.FrameError;
import dev.asyncio.spring.FrameStatistics;
import dev.asyncio.spring.FramedConnectionFunction;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Micrometer meters of the framed handles ({@code async-io.handles.<name>.framing.type} set), tagged with
 * {@code handle}: {@code asyncio.frames.in} and {@code asyncio.frames.out} (counters), {@code asyncio.frames.size}
 * (a distribution summary of payload sizes, tag {@code direction} = {@code in} / {@code out}) and
 * {@code asyncio.frames.errors} (tag {@code reason} = {@code too_long}, {@code corrupt}, {@code truncated} for the
 * connections a bad frame ended, {@code discarded} for the frames skipped under {@code on-too-long=discard}). Every
 * tag is bounded by configuration.
 */
public class FrameMeterBinder implements MeterBinder {

    private final Supplier<Map<String, FramedConnectionFunction>> handles;

    /** @param handles the framed handles by name, read when bound */
    public FrameMeterBinder(Supplier<Map<String, FramedConnectionFunction>> handles) {
        this.handles = handles;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        this.handles.get().forEach((name, function) -> bind(name, function.statistics(), registry));
    }

    private static void bind(String handle, FrameStatistics s, MeterRegistry registry) {
        Tags tags = Tags.of("handle", handle);
        FunctionCounter.builder("asyncio.frames.in", s, FrameStatistics::framesIn)
            .tags(tags)
            .description("Frames the handle's connections read and handed to the frame handler")
            .baseUnit("frames")
            .register(registry);
        FunctionCounter.builder("asyncio.frames.out", s, FrameStatistics::framesOut)
            .tags(tags)
            .description("Frames the frame handler wrote")
            .baseUnit("frames")
            .register(registry);
        DistributionSummary in = DistributionSummary.builder("asyncio.frames.size")
            .tags(tags.and("direction", "in"))
            .description("Payload size of the frames read and written")
            .baseUnit(BaseUnits.BYTES)
            .register(registry);
        DistributionSummary out = DistributionSummary.builder("asyncio.frames.size")
            .tags(tags.and("direction", "out"))
            .description("Payload size of the frames read and written")
            .baseUnit(BaseUnits.BYTES)
            .register(registry);
        s.onFrameIn(in::record);
        s.onFrameOut(out::record);
        for (FrameError kind : FrameError.values()) {
            FunctionCounter.builder("asyncio.frames.errors", s, (st) -> st.errors(kind))
                .tags(tags.and("reason", kind.name().toLowerCase(Locale.ROOT)))
                .description("Bad frames: connections ended by a too-long, corrupt or truncated frame, and frames "
                        + "discarded under on-too-long=discard")
                .baseUnit("frames")
                .register(registry);
        }
        FunctionCounter.builder("asyncio.frames.errors", s, FrameStatistics::discarded)
            .tags(tags.and("reason", "discarded"))
            .description("Bad frames: connections ended by a too-long, corrupt or truncated frame, and frames "
                    + "discarded under on-too-long=discard")
            .baseUnit("frames")
            .register(registry);
    }
}
