package dev.asyncio.bench.framed;

import dev.asyncio.core.AsyncIoState;
import dev.asyncio.core.BufferPool;
import dev.asyncio.core.BuffersCallback;
import dev.asyncio.core.FrameCallback;
import dev.asyncio.core.FrameEndCallback;
import dev.asyncio.core.FrameReader;
import dev.asyncio.core.FrameWriter;
import dev.asyncio.core.Framing;
import dev.asyncio.core.IoStatus;

import java.nio.ByteBuffer;

/**
 * The framed echo of one async-io connection, through the public framing API only: a {@link FrameReader} hands each
 * length-prefixed frame over as a view of the input, the payload is copied into a direct buffer of the collection's
 * {@link BufferPool}, and a {@link FrameWriter} sends it back behind a fresh header (one gathering write); the write
 * callback releases the buffer. Nothing is allocated per frame in a steady state (JMH {@code FramedEchoBenchmark}).
 *
 * <p>Back-pressure as {@code AsyncIoEcho}: with {@link #WRITES_IN_FLIGHT} frames written and not yet completed the
 * reader stops, and resumes from the write callback that drains them. Loop thread only. EOF, an error or a bad frame
 * closes the connection.
 */
public final class AsyncIoFramedEcho {

    /** Frames written and not yet completed before reading pauses. */
    public static final int WRITES_IN_FLIGHT = 64;

    /** The framing of the benchmark: 4-byte big-endian length, header excluded, at most 1 MiB of payload. */
    public static final Framing FRAMING = Framing.builder(Framing.Kind.LENGTH_PREFIX).maxFrameSize(1 << 20).build();

    private static final FrameWriter WRITER = new FrameWriter(FRAMING);

    private static final FrameCallback FRAME = (state, frame) ->
            ((AsyncIoFramedEcho) state.userInfo()).frame(state, frame);
    private static final BuffersCallback WRITTEN = (state, buffers, count) ->
            ((AsyncIoFramedEcho) state.userInfo()).written(state, buffers[buffers.length - 1]);
    private static final FrameEndCallback ENDED = (state, status, failure) -> state.close();

    private final BufferPool pool;
    private FrameReader reader;
    private int inFlight;
    private boolean paused;

    private AsyncIoFramedEcho(BufferPool pool) {
        this.pool = pool;
    }

    /**
     * Starts echoing frames; takes over the state's {@code userInfo}.
     *
     * @param state a TCP or Unix state with {@code queueOutput} on
     */
    public static void start(AsyncIoState state) {
        AsyncIoFramedEcho echo = new AsyncIoFramedEcho(state.collection().bufferPool());
        state.setUserInfo(echo);
        echo.reader = FrameReader.start(state, FRAMING, FRAME, ENDED);
    }

    private void frame(AsyncIoState state, ByteBuffer frame) {
        int n = frame.remaining();
        ByteBuffer copy = n <= pool.bufferSize() ? pool.acquire() : ByteBuffer.allocateDirect(n);
        copy.put(frame).flip();
        inFlight++;
        WRITER.write(state, copy, WRITTEN);
        if (inFlight >= WRITES_IN_FLIGHT && !paused) {
            paused = true;
            reader.stop();
        }
    }

    private void written(AsyncIoState state, ByteBuffer payload) {
        inFlight--;
        if (payload.capacity() == pool.bufferSize()) {
            pool.release(payload);
        }
        if (state.writeStatus() != IoStatus.OK) {
            state.close();
            return;
        }
        if (paused && inFlight == 0 && state.isOpen()) {
            paused = false;
            reader.resume();
        }
    }
}
