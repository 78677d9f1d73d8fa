package dev.asyncio.bench.load;

import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * One scenario's outcome, printed as a single line of {@code key value} pairs (the format of {@code loadgen.c}), e.g.
 * {@code msgs/s 123456 p50_us 41 p99_us 97 p999_us 250 errors 0}. Latencies are in microseconds.
 */
final class Result {

    private final Map<String, String> values = new LinkedHashMap<>();
    private long errors;

    Result put(String key, double value) {
        values.put(key, value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : String.format(java.util.Locale.ROOT, "%.1f", value));
        return this;
    }

    Result latencies(Histogram nanos) {
        put("p50_us", nanos.getValueAtPercentile(50) / 1000.0);
        put("p90_us", nanos.getValueAtPercentile(90) / 1000.0);
        put("p99_us", nanos.getValueAtPercentile(99) / 1000.0);
        put("p999_us", nanos.getValueAtPercentile(99.9) / 1000.0);
        put("max_us", nanos.getMaxValue() / 1000.0);
        return this;
    }

    Result cpu(String key, double cpuSeconds, double elapsedSeconds) {
        if (cpuSeconds >= 0 && elapsedSeconds > 0) {
            put(key, Math.round(1000 * cpuSeconds / elapsedSeconds) / 10.0);
        }
        return this;
    }

    Result errors(long errors) {
        this.errors = errors;
        return this;
    }

    long errors() {
        return errors;
    }

    String format() {
        StringBuilder sb = new StringBuilder();
        values.forEach((k, v) -> sb.append(k).append(' ').append(v).append(' '));
        return sb.append("errors ").append(errors).toString();
    }
}
