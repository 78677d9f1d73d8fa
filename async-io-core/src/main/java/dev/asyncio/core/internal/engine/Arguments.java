package dev.asyncio.core.internal.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.NonReadableChannelException;
import java.util.IdentityHashMap;
import java.util.Map;
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

    /**
     * A gathering write that names one buffer twice would count its bytes twice and send them once: the write could
     * never complete.
     *
     * @param what the operation, for the message
     * @param buffers the caller's buffers, none null
     * @throws IllegalArgumentException if one buffer object appears twice
     */
    public static void requireDistinct(String what, ByteBuffer[] buffers) {
        if (buffers.length <= 16) {
            for (int i = 1; i < buffers.length; i++) {
                for (int j = 0; j < i; j++) {
                    if (buffers[i] == buffers[j]) {
                        throw sameBufferTwice(what, j, i);
                    }
                }
            }
            return;
        }
        Map<ByteBuffer, Integer> seen = new IdentityHashMap<>(buffers.length * 2);
        for (int i = 0; i < buffers.length; i++) {
            Integer earlier = seen.put(buffers[i], i);
            if (earlier != null) {
                throw sameBufferTwice(what, earlier, i);
            }
        }
    }

    private static IllegalArgumentException sameBufferTwice(String what, int first, int second) {
        return new IllegalArgumentException(what + ": the array holds the same buffer at " + first + " and " + second
                + " (a buffer's bytes go out once, from its position; pass a duplicate() to send them twice)");
    }

    /**
     * Checks up front what the JDK would otherwise throw on the loop thread, in the middle of the output queue.
     *
     * @param what the operation, for the message
     * @param file the caller's file
     * @throws IllegalArgumentException if it is closed or was not opened for reading
     */
    public static void requireReadable(String what, FileChannel file) {
        try {
            // A read of no bytes checks the mode and the open state without touching the file.
            file.read(ByteBuffer.allocate(0), 0);
        } catch (NonReadableChannelException e) {
            throw new IllegalArgumentException(what + ": the file is not open for reading (open it with "
                    + "StandardOpenOption.READ)", e);
        } catch (ClosedChannelException e) {
            throw new IllegalArgumentException(what + ": the file is closed", e);
        } catch (IOException e) {
            throw new IllegalArgumentException(what + ": the file cannot be read: " + e.getMessage(), e);
        }
    }
}
