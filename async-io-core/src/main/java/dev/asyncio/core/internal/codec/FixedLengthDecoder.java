package dev.asyncio.core.internal.codec;

import dev.asyncio.core.FrameErrorPolicy;

import java.nio.ByteBuffer;

/** Frames of exactly {@code length} bytes each, as Netty's {@code FixedLengthFrameDecoder}; never too long. */
public final class FixedLengthDecoder extends FrameDecoder {
    private final int length;

    /** @param length the bytes in every frame, at least 1 */
    public FixedLengthDecoder(int length) {
        super(length, FrameErrorPolicy.CLOSE);
        if (length < 1) {
            throw new IllegalArgumentException("a fixed frame length must be at least 1, got " + length);
        }
        this.length = length;
    }

    @Override
    protected int step(ByteBuffer in, int start, int end) {
        return end - start >= length ? frame(start, start + length, length) : NEED_MORE;
    }

    @Override
    public boolean skipping() {
        return false;
    }
}
