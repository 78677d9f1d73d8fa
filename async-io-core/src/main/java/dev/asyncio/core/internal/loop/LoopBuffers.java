package dev.asyncio.core.internal.loop;

import java.nio.ByteBuffer;

/**
 * The I/O buffers of one loop, shared by all its states: a state borrows them only while the loop serves it, so an
 * idle connection holds no buffer at all. Loop thread only.
 */
public final class LoopBuffers {
    /** Size of the direct buffer for socket reads, and of the shared read-with-checking array. */
    public static final int READ_BUFFER_SIZE = 64 * 1024;
    /** Size of the direct buffer for gathered socket writes. */
    public static final int WRITE_BUFFER_SIZE = 256 * 1024;

    private final ByteBuffer readDirect = ByteBuffer.allocateDirect(READ_BUFFER_SIZE);
    private final ByteBuffer writeDirect = ByteBuffer.allocateDirect(WRITE_BUFFER_SIZE);
    private final byte[] checkingScratch = new byte[READ_BUFFER_SIZE];

    /** @return the direct buffer socket reads go through */
    public ByteBuffer readDirect() {
        return readDirect;
    }

    /** @return the direct buffer gathered writes go through */
    public ByteBuffer writeDirect() {
        return writeDirect;
    }

    /** @return the array a read-with-checking callback sees when its state had no input buffered */
    public byte[] checkingScratch() {
        return checkingScratch;
    }
}
