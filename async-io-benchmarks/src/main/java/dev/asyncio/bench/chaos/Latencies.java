package dev.asyncio.bench.chaos;

import java.util.Arrays;

/**
 * Latency samples of one probe kind, in nanoseconds, summarised as count, p50, p99 and max in milliseconds. Not
 * thread-safe: one probe thread records, the scenario reads after the probe stopped.
 */
final class Latencies {

    private long[] samples = new long[64];
    private int count;
    private int failures;

    /** @param nanos one answered probe's latency */
    void record(long nanos) {
        if (count == samples.length) {
            samples = Arrays.copyOf(samples, count * 2);
        }
        samples[count++] = nanos;
    }

    /** @param nanos a probe's result: its latency, or negative when it got no right answer (counted as failed) */
    void probe(long nanos) {
        if (nanos < 0) {
            fail();
        } else {
            record(nanos);
        }
    }

    /** Counts a probe that got no (or a wrong) answer. */
    void fail() {
        failures++;
    }

    /** @return answered probes */
    int count() {
        return count;
    }

    /** @return unanswered probes */
    int failures() {
        return failures;
    }

    /**
     * @param quantile from 0 to 1, e.g. 0.5
     * @return that quantile of the answered probes in milliseconds (nearest rank), or NaN without samples
     */
    double millis(double quantile) {
        if (count == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(samples, count);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(quantile * count);
        return sorted[Math.min(count, Math.max(1, rank)) - 1] / 1e6;
    }

    /** @return the slowest answered probe in milliseconds, or NaN without samples */
    double maxMillis() {
        return millis(1.0);
    }

    /**
     * Puts {@code <prefix>_n}, {@code _failed}, {@code _p50_ms}, {@code _p99_ms} and {@code _max_ms} into the outcome.
     *
     * @param outcome where the figures go
     * @param prefix  the probe's name
     */
    void report(Outcome outcome, String prefix) {
        outcome.put(prefix + "_n", count).put(prefix + "_failed", failures)
                .put(prefix + "_p50_ms", round(millis(0.5)))
                .put(prefix + "_p99_ms", round(millis(0.99)))
                .put(prefix + "_max_ms", round(maxMillis()));
    }

    /** @return {@code v} to one decimal, or "-" for NaN */
    static String round(double v) {
        return Double.isNaN(v) ? "-" : String.format(java.util.Locale.ROOT, "%.1f", v);
    }
}
