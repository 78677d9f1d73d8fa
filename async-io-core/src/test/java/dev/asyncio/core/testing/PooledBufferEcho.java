package dev.asyncio.core.testing;

import dev.asyncio.core.AsyncIoState;
import dev.asyncio.core.ByteBufferCallback;
import dev.asyncio.core.IoStatus;

/**
 * An echo on the collection's pooled direct buffers with {@code readAvailable}: each read takes a buffer from the
 * pool, the write sends it back and its callback releases it and reads again. EOF or an error closes gracefully.
 * Callbacks on the loop thread; one instance serves any number of states.
 */
public final class PooledBufferEcho {

    private static final ByteBufferCallback WRITTEN = (s, b, n) -> {
        s.collection().bufferPool().release(b);
        PooledBufferEcho.read(s);
    };

    private static final ByteBufferCallback READ = (s, b, n) -> {
        if (s.readStatus() != IoStatus.OK) {
            s.collection().bufferPool().release(b);
            s.closeGracefully(null, null);
            return;
        }
        s.writeBuffer(b.flip(), WRITTEN);
    };

    private PooledBufferEcho() {
    }

    /**
     * Starts echoing: reads into a buffer acquired from the state's collection pool.
     *
     * @param state a stream state with {@code queueOutput} on
     */
    public static void read(AsyncIoState state) {
        state.readAvailable(state.collection().bufferPool().acquire(), READ);
    }
}
