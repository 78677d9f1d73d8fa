package dev.asyncio.spring;

import java.nio.ByteBuffer;

import dev.asyncio.core.AsyncIoState;
import dev.asyncio.core.FrameReader;
import dev.asyncio.core.FrameWriter;
import dev.asyncio.core.Framing;
import org.jspecify.annotations.Nullable;

/**
 * One connection of a framed handle, as a {@link FrameHandler} sees it: the state, its frame reader, and replies
 * written with the handle's framing. Made by the starter for each accepted connection.
 *
 * <p>{@link #reply} may be called from any thread (the write goes through the state, which hands it to the loop);
 * a framed handle's connections always queue output, so several replies may be outstanding.
 */
public final class FramedConnection {

    private final AsyncIoState state;

    private final Framing framing;

    private final @Nullable FrameWriter writer;

    private final @Nullable String writerRefusal;

    private final FrameStatistics statistics;

    private volatile @Nullable FrameReader reader;

    FramedConnection(AsyncIoState state, Framing framing, @Nullable FrameWriter writer,
            @Nullable String writerRefusal, FrameStatistics statistics) {
        this.state = state;
        this.framing = framing;
        this.writer = writer;
        this.writerRefusal = writerRefusal;
        this.statistics = statistics;
    }

    void reader(FrameReader frameReader) {
        this.reader = frameReader;
    }

    /** @return the reader, {@code null} before it started */
    @Nullable FrameReader readerOrNull() {
        return this.reader;
    }

    /** @return the connection's state: its addresses, user data, {@code close} */
    public AsyncIoState state() {
        return this.state;
    }

    /** @return the framing of the handle */
    public Framing framing() {
        return this.framing;
    }

    /**
     * @return the connection's frame reader, to {@link FrameReader#stop() stop} and {@link FrameReader#resume()
     * resume} the delivery of frames (back-pressure) or read its counters
     * @throws IllegalStateException before the first frame's reading started (in {@link FrameHandler#connected})
     */
    public FrameReader reader() {
        FrameReader r = this.reader;
        if (r == null) {
            throw new IllegalStateException("the frame reader of " + this.state + " has not started yet");
        }
        return r;
    }

    /**
     * Writes {@code payload} as one frame (header and payload in one gathering write). Copies the bytes from the
     * buffer's position to its limit first, so the frame view a {@link FrameHandler} got may be passed as it is;
     * the buffer's position is not moved.
     * @param payload the frame's payload
     * @throws IllegalArgumentException if the framing cannot carry the payload (too long, a delimiter inside it...)
     * @throws IllegalStateException if the connection is closed, or the framing cannot be written
     */
    public void reply(ByteBuffer payload) {
        byte[] copy = new byte[payload.remaining()];
        payload.duplicate().get(copy);
        reply(copy);
    }

    /**
     * Writes {@code payload} as one frame; the array must not be changed until the write completes.
     * @param payload the frame's payload
     * @throws IllegalArgumentException if the framing cannot carry the payload
     * @throws IllegalStateException if the connection is closed, or the framing cannot be written (a length prefix
     * with an offset or a partial strip: write the header yourself with {@code state.writeBuffers})
     */
    public void reply(byte[] payload) {
        FrameWriter w = this.writer;
        if (w == null) {
            throw new IllegalStateException("cannot reply with a frame: " + this.writerRefusal);
        }
        w.write(this.state, payload, null);
        this.statistics.frameOut(payload.length);
    }

    @Override
    public String toString() {
        return "FramedConnection[" + this.state + ", " + this.framing + "]";
    }
}
