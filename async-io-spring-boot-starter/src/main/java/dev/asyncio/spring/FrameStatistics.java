package dev.asyncio.spring;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

import dev.asyncio.core.FrameError;

/**
 * Counters of one framed handle, over all its connections: frames read and written, bad frames by kind, and hooks
 * that receive each frame's size (the metrics' distribution summaries). Updated on the loop threads, read from any.
 */
public final class FrameStatistics {

    private final LongAdder framesIn = new LongAdder();

    private final LongAdder framesOut = new LongAdder();

    private final LongAdder discarded = new LongAdder();

    private final Map<FrameError, LongAdder> errors = new EnumMap<>(FrameError.class);

    private final List<LongConsumer> inSizes = new CopyOnWriteArrayList<>();

    private final List<LongConsumer> outSizes = new CopyOnWriteArrayList<>();

    FrameStatistics() {
        for (FrameError kind : FrameError.values()) {
            this.errors.put(kind, new LongAdder());
        }
    }

    void frameIn(int size) {
        this.framesIn.increment();
        for (int i = 0, n = this.inSizes.size(); i < n; i++) { // no iterator per frame, as in frameOut
            this.inSizes.get(i).accept(size);
        }
    }

    void frameOut(int size) {
        this.framesOut.increment();
        // Indexed, not for-each: no iterator per reply (the lists only grow, so size-then-get cannot overrun).
        for (int i = 0, n = this.outSizes.size(); i < n; i++) {
            this.outSizes.get(i).accept(size);
        }
    }

    void error(FrameError kind) {
        this.errors.get(kind).increment();
    }

    void discarded(long frames) {
        this.discarded.add(frames);
    }

    /** @return the frames delivered to the handler */
    public long framesIn() {
        return this.framesIn.sum();
    }

    /** @return the frames the handler wrote */
    public long framesOut() {
        return this.framesOut.sum();
    }

    /** @return the bad frames skipped under {@code on-too-long=discard} (counted when a connection's reading ends) */
    public long discarded() {
        return this.discarded.sum();
    }

    /**
     * @param kind a kind of bad frame
     * @return the connections that ended with a bad frame of that kind
     */
    public long errors(FrameError kind) {
        return this.errors.get(kind).sum();
    }

    /**
     * Adds a hook that receives the payload size of each frame read (loop thread; keep it cheap).
     * @param sizes the hook
     */
    public void onFrameIn(LongConsumer sizes) {
        this.inSizes.add(sizes);
    }

    /**
     * Adds a hook that receives the payload size of each frame written (any thread; keep it cheap).
     * @param sizes the hook
     */
    public void onFrameOut(LongConsumer sizes) {
        this.outSizes.add(sizes);
    }
}
