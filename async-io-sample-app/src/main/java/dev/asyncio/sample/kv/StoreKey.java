package dev.asyncio.sample.kv;

import java.util.Arrays;

/**
 * A key of the {@link KeyValueStore}: an immutable byte string compared by content (Redis keys are binary-safe).
 */
final class StoreKey {
    private final byte[] bytes;
    private final int hash;

    /** @param bytes the key's bytes; the caller no longer modifies them */
    StoreKey(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    byte[] bytes() {
        return bytes;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StoreKey k && k.hash == hash && Arrays.equals(k.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
