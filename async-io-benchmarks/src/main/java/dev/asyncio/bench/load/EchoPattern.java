package dev.asyncio.bench.load;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * The bytes a connection sends, so that every echoed byte can be checked without keeping a copy of what was sent.
 *
 * <p>Stream position {@code p} of connection shift {@code s} carries {@code pattern[(p + s) % PERIOD]}. The period is a
 * prime, so it never lines up with message or chunk sizes, and each connection gets its own shift, so bytes crossing
 * connections are caught too. Checking uses {@link ByteBuffer#mismatch}, which the JIT vectorises, so the generator
 * can check gigabytes per second. Not thread-safe: one instance per load-generator thread.
 */
final class EchoPattern {

    static final int PERIOD = 4093;

    private final ByteBuffer pattern;
    private final ByteBuffer sendView;
    private final ByteBuffer checkView;
    private final int maxLength;

    /** @param maxLength the longest single write or checked read */
    EchoPattern(int maxLength) {
        this.maxLength = maxLength;
        pattern = ByteBuffer.allocateDirect(PERIOD + maxLength);
        for (int i = 0; i < pattern.capacity(); i++) {
            int k = i % PERIOD;
            pattern.put(i, (byte) (k * 131 + (k >>> 5) + 7));
        }
        sendView = pattern.duplicate();
        checkView = pattern.duplicate();
    }

    /** @return the shift of connection number {@code index} */
    static int shift(long index) {
        return (int) ((index * 1031) % PERIOD);
    }

    /**
     * Writes up to {@code length} bytes of the stream starting at {@code position}.
     *
     * @return the number of bytes the channel took
     */
    int write(SocketChannel channel, long position, int shift, int length) throws IOException {
        int start = (int) ((position + shift) % PERIOD);
        int len = Math.min(length, maxLength);
        sendView.limit(start + len).position(start);
        return channel.write(sendView);
    }

    /**
     * @param received a flipped buffer of at most {@code maxLength} bytes read at stream {@code position}
     * @return whether every byte is what was sent at that position
     */
    boolean matches(ByteBuffer received, long position, int shift) {
        int start = (int) ((position + shift) % PERIOD);
        checkView.limit(start + received.remaining()).position(start);
        return received.mismatch(checkView) < 0;
    }
}
