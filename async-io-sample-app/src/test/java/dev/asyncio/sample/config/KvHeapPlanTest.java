package dev.asyncio.sample.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.asyncio.sample.kv.KvSettings;

/** kv's budgets against the heap at start-up. */
class KvHeapPlanTest {

    private static final long MB = 1024 * 1024;
    /** 64 MB of data, 64 MB of unfinished requests, 64 MB of unsent replies: the defaults. */
    private final KvSettings defaults = KvSettings.DEFAULTS;
    private final List<String> warnings = new ArrayList<>();

    @Test
    void budgetsThatFitAreKept() {
        KvSettings fitted = KvHeapPlan.fit(defaults, 0.25, 4096 * MB, 2048 * MB, warnings::add);
        assertThat(fitted).isSameAs(defaults);
        assertThat(warnings).isEmpty();
    }

    /**
     * The Kubernetes deployment's heap (75 % of 512 MiB): the three 64 MB budgets plus the async-io budget (half the
     * heap) were more than the heap. They are scaled down to a quarter of it, and the warning names them.
     */
    @Test
    void budgetsBeyondTheFractionAreScaledDownWithAWarning() {
        long heap = 384 * MB;
        KvSettings fitted = KvHeapPlan.fit(defaults, 0.25, heap, heap / 2, warnings::add);
        long total = fitted.maxMemory() + fitted.maxPendingRequestBytes() + fitted.maxClientOutputBytes();
        assertThat(total).isLessThanOrEqualTo(heap / 4).isGreaterThan(heap / 4 - 3);
        assertThat(fitted.maxMemory()).isEqualTo(32 * MB);
        assertThat(total + heap / 2).as("kv and async-io budgets leave room for the rest")
                .isLessThanOrEqualTo((long) (0.9 * heap));
        assertThat(warnings).singleElement().asString().contains("sample.kv.max-memory",
                "sample.kv.max-pending-request-bytes", "sample.kv.max-client-output-bytes",
                "sample.kv.max-heap-fraction");
    }

    @Test
    void aShareThatLeavesTooLittleHeapFailsStartUpNamingTheProperties() {
        assertThatThrownBy(() -> KvHeapPlan.fit(defaults, 0.5, 384 * MB, 192 * MB, warnings::add))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sample.kv.max-heap-fraction").hasMessageContaining("async-io.memory");
    }
}
