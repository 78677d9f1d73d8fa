package dev.asyncio.bench.jmh;

import dev.asyncio.core.WaitStateCollection;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Cross-thread {@code apply}: the benchmark thread queues a function to a collection's loop and waits (spinning)
 * until the loop ran it. {@code single} pays a selector wake-up per call; {@code burst64} queues 64 functions and
 * waits for the last, so it shows the per-call cost when one wake-up serves a burst. The function is one
 * preallocated {@code Runnable}, so {@code gc.alloc.rate.norm} is the queue's own cost per call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CrossThreadApplyBenchmark {

    private WaitStateCollection collection;
    private final AtomicLong ran = new AtomicLong();
    private final Runnable task = ran::incrementAndGet;
    private long expected;

    /** Starts the collection. */
    @Setup(Level.Trial)
    public void setUp() {
        collection = WaitStateCollection.builder("jmh-apply").daemon(true).createAndRun();
        expected = ran.get();
    }

    /** Stops the collection. */
    @TearDown(Level.Trial)
    public void tearDown() {
        collection.close();
    }

    /** @return the run count; one apply, waited for */
    @Benchmark
    public long single() {
        collection.apply(task);
        return await(++expected);
    }

    /** @return the run count; 64 applies, waited for together */
    @Benchmark
    @OperationsPerInvocation(64)
    public long burst64() {
        for (int i = 0; i < 64; i++) {
            collection.apply(task);
        }
        expected += 64;
        return await(expected);
    }

    private long await(long count) {
        long seen;
        while ((seen = ran.get()) < count) {
            Thread.onSpinWait();
        }
        return seen;
    }
}
