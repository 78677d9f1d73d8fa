package dev.asyncio.core.internal.read;

import dev.asyncio.core.internal.memory.MemoryAccount;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Input read from the socket and not yet handed over: what a read-with-checking left undiscarded, or bytes a TLS
 * detach left behind. Idle states hold no array; a small one is kept to avoid churn with fragmented messages.
 * Loop thread only.
 */
public final class InputBuffer {
    private static final int INITIAL = 1024;
    private static final int KEEP_AT_MOST = 4096;

    private final MemoryAccount account;
    private byte[] bytes;
    private int length;

    /** @param account where the array's size is charged */
    public InputBuffer(MemoryAccount account) {
        this.account = account;
    }

    /** @return the array's capacity, 0 without one */
    public int capacity() {
        return bytes == null ? 0 : bytes.length;
    }

    private void replace(byte[] b) {
        int before = capacity();
        bytes = b;
        int after = capacity();
        if (after > before) {
            account.charge(after - before);
        } else if (after < before) {
            account.release(before - after);
        }
    }

    /** @return how many bytes are buffered */
    public int length() {
        return length;
    }

    /** @return the array holding the bytes in {@code [0, length)}, or {@code null} when none was needed yet */
    public byte[] array() {
        return bytes;
    }

    /**
     * @param needed capacity wanted
     * @param max the most the array may grow to by doubling
     */
    public void ensureCapacity(int needed, int max) {
        if (bytes == null) {
            replace(new byte[Math.max(needed, INITIAL)]);
        } else if (bytes.length < needed) {
            replace(Arrays.copyOf(bytes, Math.max(needed, Math.min(bytes.length * 2, max))));
        }
    }

    /** @param newLength the bytes now in {@code [0, newLength)} of {@link #array()} */
    public void length(int newLength) {
        length = newLength;
        releaseIfEmpty();
    }

    /**
     * Forgets the buffered bytes but keeps the array, whatever its size: they were moved out for one callback, and
     * what the callback leaves comes back at once ({@link #length(int)} then decides whether to keep the array).
     */
    public void empty() {
        length = 0;
    }

    /**
     * @param src bytes to add after the buffered ones
     * @param n how many
     * @param max the growth limit
     */
    public void append(ByteBuffer src, int n, int max) {
        ensureCapacity(length + n, max);
        src.get(bytes, length, n);
        length += n;
    }

    /**
     * @param src bytes to add after the buffered ones
     * @param max the growth limit
     */
    public void append(byte[] src, int max) {
        if (src.length == 0) {
            return;
        }
        ensureCapacity(length + src.length, max);
        System.arraycopy(src, 0, bytes, length, src.length);
        length += src.length;
    }

    /**
     * Moves buffered bytes into {@code buffer[start, end)}.
     *
     * @param buffer where to
     * @param start first index
     * @param end index after the last
     * @return how many moved
     */
    public int take(byte[] buffer, int start, int end) {
        int n = Math.min(length, end - start);
        if (n > 0) {
            System.arraycopy(bytes, 0, buffer, start, n);
            System.arraycopy(bytes, n, bytes, 0, length - n);
            length -= n;
            releaseIfEmpty();
        }
        return n;
    }

    /** @return all buffered bytes, removed (STARTTLS: what the peer sent before TLS was attached) */
    public byte[] takeAll() {
        byte[] all = bytes == null ? new byte[0] : Arrays.copyOf(bytes, length);
        length = 0;
        releaseIfEmpty();
        return all;
    }

    private void releaseIfEmpty() {
        if (length == 0 && bytes != null && bytes.length > KEEP_AT_MOST) {
            replace(null);
        }
    }
}
