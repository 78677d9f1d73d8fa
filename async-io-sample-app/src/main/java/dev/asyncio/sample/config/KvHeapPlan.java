package dev.asyncio.sample.config;

import java.util.function.Consumer;

import org.springframework.util.unit.DataSize;

import dev.asyncio.sample.kv.KvSettings;

/**
 * Fits kv's memory budgets into the heap at start-up, so that kv's data and its clients' buffers cannot together
 * exhaust it: {@code sample.kv.max-memory} (data and client buffers: the account writes are refused against),
 * {@code sample.kv.max-pending-request-bytes} (unfinished requests) and {@code sample.kv.max-client-output-bytes}
 * (unsent replies) together may reach {@code sample.kv.max-heap-fraction} of the maximum heap
 * ({@link Runtime#maxMemory()}). Above it, the three are scaled down in proportion and a warning names them with the
 * values in force. The async-io memory budget (connections' buffers, TLS sessions…) comes on top: if kv's share and
 * that budget's hard limit together leave less than a tenth of the heap for everything else, start-up fails naming
 * both properties.
 *
 * <p>Measured before: with all kv budgets full (64 MB each) plus TLS idlers filling the async-io budget (half the heap),
 * a 384 MB heap ran out and the kv loop saw an {@code OutOfMemoryError}.
 */
final class KvHeapPlan {

    /** What must stay free of kv's budgets and the async-io budget together: Spring, the JIT's data, garbage. */
    static final double RESERVED_FRACTION = 0.1;

    private KvHeapPlan() {
    }

    /**
     * @param settings         kv's settings as configured
     * @param maxHeapFraction  {@code sample.kv.max-heap-fraction}
     * @param maxHeap          {@link Runtime#maxMemory()}
     * @param asyncIoHardLimit the async-io memory budget's hard limit, 0 when there is none
     * @param warn             told once when the budgets are scaled down
     * @return the settings with budgets that fit
     * @throws IllegalArgumentException naming the properties when kv's share and the async-io budget leave too little
     */
    static KvSettings fit(KvSettings settings, double maxHeapFraction, long maxHeap, long asyncIoHardLimit,
            Consumer<String> warn) {
        long share = (long) (maxHeapFraction * maxHeap);
        if (share + asyncIoHardLimit > (long) ((1 - RESERVED_FRACTION) * maxHeap)) {
            throw new IllegalArgumentException("sample.kv.max-heap-fraction (" + maxHeapFraction + ", "
                    + DataSize.ofBytes(share).toMegabytes() + "MB) plus the async-io memory budget's hard limit ("
                    + DataSize.ofBytes(asyncIoHardLimit).toMegabytes() + "MB, async-io.memory.*) leave less than "
                    + Math.round(RESERVED_FRACTION * 100) + "% of the " + DataSize.ofBytes(maxHeap).toMegabytes()
                    + "MB heap for everything else: lower one of them or give the JVM more heap (-Xmx)");
        }
        long memory = settings.maxMemory();
        long pending = settings.maxPendingRequestBytes();
        long output = settings.maxClientOutputBytes();
        long total = memory + pending + output;
        if (total <= share) {
            return settings;
        }
        double scale = (double) share / total;
        KvSettings fitted = settings.withBudgets(Math.max(1, (long) (memory * scale)),
                Math.max(1, (long) (pending * scale)), Math.max(1, (long) (output * scale)));
        warn.accept("kv's budgets sample.kv.max-memory (" + mb(memory) + ") + sample.kv.max-pending-request-bytes ("
                + mb(pending) + ") + sample.kv.max-client-output-bytes (" + mb(output) + ") exceed "
                + "sample.kv.max-heap-fraction (" + maxHeapFraction + ") of the " + mb(maxHeap) + " heap; using "
                + mb(fitted.maxMemory()) + ", " + mb(fitted.maxPendingRequestBytes()) + " and "
                + mb(fitted.maxClientOutputBytes()) + " (give the JVM more heap or raise the fraction to keep them)");
        return fitted;
    }

    private static String mb(long bytes) {
        return String.format("%.1fMB", bytes / (1024.0 * 1024.0));
    }
}
