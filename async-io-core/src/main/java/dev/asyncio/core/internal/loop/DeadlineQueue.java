package dev.asyncio.core.internal.loop;

import dev.asyncio.core.internal.LogLimiter;

import java.util.Arrays;

/**
 * The timeouts of one loop: a binary min-heap of {@link Entry entries} that know their own position, so that
 * rescheduling and cancelling are O(log n) and allocate nothing. Used by the loop thread only.
 */
public final class DeadlineQueue {

    /** A timeout that can be scheduled in one queue at a time; subclasses say what happens when it expires. */
    public abstract static class Entry {
        private long deadline;
        private int index = -1;

        /** @return whether the entry is in a queue */
        public final boolean isScheduled() {
            return index >= 0;
        }

        /** @return when the entry expires, in the loop clock's nanoseconds */
        public final long deadline() {
            return deadline;
        }

        /**
         * Called on the loop thread once the deadline has passed; the entry is no longer scheduled.
         *
         * @param now the loop clock's time
         */
        protected abstract void expired(long now);

        /**
         * Called when {@link #expired} threw: the loop must go on, so the entry cleans up after itself (a state
         * closes). By default nothing happens beyond the log line.
         *
         * @param failure what {@code expired} threw (an {@link Error} too)
         */
        protected void expiryFailed(Throwable failure) {
        }
    }

    private static final LogLimiter LIMITED = new LogLimiter(System.getLogger("dev.asyncio.core.loop"), 10);

    private Entry[] heap = new Entry[16];
    private int size;

    /** @return how many entries are scheduled */
    public int size() {
        return size;
    }

    /**
     * Schedules an entry, or moves it if it is scheduled already.
     *
     * @param entry the entry
     * @param deadline when it expires
     */
    public void schedule(Entry entry, long deadline) {
        if (entry.index >= 0) {
            long old = entry.deadline;
            entry.deadline = deadline;
            if (deadline - old < 0) {
                siftUp(entry.index);
            } else {
                siftDown(entry.index);
            }
            return;
        }
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        entry.deadline = deadline;
        entry.index = size;
        heap[size++] = entry;
        siftUp(entry.index);
    }

    /** @param entry the entry to remove; nothing happens if it is not scheduled */
    public void cancel(Entry entry) {
        int i = entry.index;
        if (i < 0) {
            return;
        }
        entry.index = -1;
        Entry last = heap[--size];
        heap[size] = null;
        if (i < size) {
            heap[i] = last;
            last.index = i;
            siftDown(i);
            siftUp(last.index);
        }
    }

    /**
     * @param now the loop clock's time
     * @return nanoseconds until the earliest deadline (0 if it has passed), or -1 when nothing is scheduled
     */
    public long nanosUntilNext(long now) {
        if (size == 0) {
            return -1;
        }
        return Math.max(0, heap[0].deadline - now);
    }

    /**
     * Removes and runs every entry whose deadline has passed, earliest first.
     *
     * @param now the loop clock's time
     * @return how many entries expired
     */
    public int runExpired(long now) {
        int n = 0;
        while (size > 0 && heap[0].deadline - now <= 0) {
            Entry e = heap[0];
            cancel(e);
            n++;
            try {
                e.expired(now);
            } catch (Throwable failure) {
                // Out of memory included: the entry cleans up after itself (its state closes), the loop goes on.
                LIMITED.log(System.Logger.Level.ERROR, () -> "A timeout handler failed", failure);
                try {
                    e.expiryFailed(failure);
                } catch (Throwable ignored) {
                    // Best effort.
                }
            }
        }
        return n;
    }

    private void siftUp(int i) {
        Entry e = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Entry p = heap[parent];
            if (e.deadline - p.deadline >= 0) {
                break;
            }
            heap[i] = p;
            p.index = i;
            i = parent;
        }
        heap[i] = e;
        e.index = i;
    }

    private void siftDown(int i) {
        Entry e = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && heap[right].deadline - heap[child].deadline < 0) {
                child = right;
            }
            Entry c = heap[child];
            if (e.deadline - c.deadline <= 0) {
                break;
            }
            heap[i] = c;
            c.index = i;
            i = child;
        }
        heap[i] = e;
        e.index = i;
    }
}
