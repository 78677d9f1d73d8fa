package dev.asyncio.bench.load;

/** A growable FIFO of {@code long} time stamps: the send times of one connection's messages still in flight. */
final class LongRing {

    private long[] items;
    private int head;
    private int size;

    LongRing(int capacity) {
        items = new long[Math.max(2, Integer.highestOneBit(Math.max(1, capacity - 1)) << 1)];
    }

    void add(long value) {
        if (size == items.length) {
            long[] bigger = new long[items.length * 2];
            for (int i = 0; i < size; i++) {
                bigger[i] = items[(head + i) & (items.length - 1)];
            }
            items = bigger;
            head = 0;
        }
        items[(head + size) & (items.length - 1)] = value;
        size++;
    }

    long poll() {
        if (size == 0) {
            throw new IllegalStateException("no message in flight");
        }
        long v = items[head];
        head = (head + 1) & (items.length - 1);
        size--;
        return v;
    }

    long peek() {
        if (size == 0) {
            throw new IllegalStateException("no message in flight");
        }
        return items[head];
    }

    int size() {
        return size;
    }
}
