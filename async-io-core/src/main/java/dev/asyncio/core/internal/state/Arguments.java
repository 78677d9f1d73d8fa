package dev.asyncio.core.internal.state;

import java.util.Objects;

/** Argument checks shared by the public classes and the engine, so every message reads the same. */
public final class Arguments {

    private Arguments() {
    }

    /**
     * @param buffer the caller's buffer
     * @param start first index
     * @param end index after the last
     * @throws IllegalArgumentException unless {@code 0 <= start <= end <= buffer.length}
     * @throws NullPointerException if {@code buffer} is null
     */
    public static void checkRange(byte[] buffer, int start, int end) {
        Objects.requireNonNull(buffer, "buffer");
        if (start < 0 || end < start || end > buffer.length) {
            throw new IllegalArgumentException("buffer range must satisfy 0 <= start <= end <= length, got start="
                    + start + " end=" + end + " length=" + buffer.length);
        }
    }
}
