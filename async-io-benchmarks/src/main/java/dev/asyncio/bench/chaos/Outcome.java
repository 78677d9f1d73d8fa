package dev.asyncio.bench.chaos;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one scenario found: PASS, FAIL or SKIP, the figures it measured (in the order they were put) and, for a failure
 * or a skip, why. Built by the scenario on its own thread; read by the runner after the scenario returned.
 */
final class Outcome {

    /** The verdict of a scenario. */
    enum Verdict {
        PASS, FAIL, SKIP
    }

    private final Map<String, String> figures = new LinkedHashMap<>();
    private final StringBuilder failures = new StringBuilder();
    private String skipReason;

    /**
     * Records a figure; a later value under the same key replaces the earlier one in place.
     *
     * @param key   the figure's name, e.g. {@code echo_p50_ms}
     * @param value its value ({@code String.valueOf} is shown)
     * @return this
     */
    Outcome put(String key, Object value) {
        figures.put(key, String.valueOf(value));
        return this;
    }

    /**
     * Checks one part of the pass criterion: a false {@code ok} makes the scenario fail with {@code what}.
     *
     * @param ok   whether this part holds
     * @param what the part, named as the report should show it when it does not hold
     * @return {@code ok}
     */
    boolean check(boolean ok, String what) {
        if (!ok) {
            if (failures.length() > 0) {
                failures.append("; ");
            }
            failures.append(what);
        }
        return ok;
    }

    /**
     * Marks the scenario skipped (e.g. the raw socket needs root).
     *
     * @param reason shown in the report
     * @return this
     */
    Outcome skip(String reason) {
        this.skipReason = reason;
        return this;
    }

    /** @return the verdict: SKIP if skipped, FAIL if any check failed, else PASS */
    Verdict verdict() {
        if (skipReason != null) {
            return Verdict.SKIP;
        }
        return failures.length() > 0 ? Verdict.FAIL : Verdict.PASS;
    }

    /** @return the failed checks or the reason for the skip; empty when it passed */
    String detail() {
        return skipReason != null ? skipReason : failures.toString();
    }

    /** @return the figures, in the order they were put */
    Map<String, String> figures() {
        return figures;
    }
}
