package dev.asyncio.bench.server;

import dev.asyncio.core.AsyncIoState;
import dev.asyncio.core.ByteBufferCallback;
import dev.asyncio.core.IoStatus;

import java.nio.ByteBuffer;

/**
 * The echo handler of one async-io connection on the direct-buffer path (issue 11): {@code readPooled} (a direct
 * buffer from the collection's {@code BufferPool}, taken once bytes are there), {@code writeBuffer} of that same buffer, released in the
 * write callback. Socket → direct buffer → socket: no user-space copy, nothing allocated in a steady state. Up to
 * {@link AsyncIoEcho#WRITES_IN_FLIGHT} writes in flight, as {@link AsyncIoEcho}: reading goes on while writes wait
 * for the socket; with that many in flight reading pauses until a write completes. Loop thread only. EOF or an error closes the connection.
 */
public final class AsyncIoDirectEcho {

    private static final ByteBufferCallback READ = (state, buffer, count) ->
            ((AsyncIoDirectEcho) state.userInfo()).read(state, buffer, count);
    private static final ByteBufferCallback WRITTEN = (state, buffer, count) ->
            ((AsyncIoDirectEcho) state.userInfo()).written(state, buffer);

    private int inFlight;
    private boolean paused;

    private AsyncIoDirectEcho() {
    }

    /**
     * Starts echoing; takes over the state's {@code userInfo}.
     *
     * @param state a TCP or Unix state with {@code queueOutput} on
     */
    public static void start(AsyncIoState state) {
        state.setUserInfo(new AsyncIoDirectEcho());
        state.readPooled(READ);
    }

    private void read(AsyncIoState state, ByteBuffer buffer, int count) {
        if (buffer == null || state.readStatus() != IoStatus.OK) {
            if (buffer != null) {
                state.collection().bufferPool().release(buffer);
            }
            state.close();
            return;
        }
        inFlight++;
        state.writeBuffer(buffer.flip(), WRITTEN);
        if (inFlight >= AsyncIoEcho.WRITES_IN_FLIGHT) {
            paused = true;
        } else {
            state.readPooled(READ);
        }
    }

    private void written(AsyncIoState state, ByteBuffer buffer) {
        inFlight--;
        state.collection().bufferPool().release(buffer);
        if (state.writeStatus() != IoStatus.OK) {
            state.close();
            return;
        }
        if (paused && state.isOpen()) {
            paused = false;
            state.readPooled(READ);
        }
    }
}
