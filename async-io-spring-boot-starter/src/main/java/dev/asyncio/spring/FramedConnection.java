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

    /** The payload copy {@link #reply(ByteBuffer)} reuses; made on the first reply, so idle connections lack it. */
    private volatile @Nullable ReplyCopy replyCopy;

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
     * the buffer's position is not moved. Allocation-free in the steady state: the copy goes to a buffer of the
     * connection that is reused once the previous reply's write completed (a reply made while one is still in flight
     * gets a fresh copy).
     * @param payload the frame's payload
     * @throws IllegalArgumentException if the framing cannot carry the payload (too long, a delimiter inside it...)
     * @throws IllegalStateException if the connection is closed, or the framing cannot be written
     */
    public void reply(ByteBuffer payload) {
        FrameWriter w = this.writer;
        if (w == null) {
            throw new IllegalStateException("cannot reply with a frame: " + this.writerRefusal);
        }
        ReplyCopy kept = this.replyCopy;
        if (kept == null) {
            kept = new ReplyCopy();
            this.replyCopy = kept; // a race makes two: harmless, one is dropped
        }
        ByteBuffer copy = kept.take(payload);
        if (copy == null) {
            byte[] fresh = new byte[payload.remaining()];
            payload.duplicate().get(fresh);
            reply(fresh);
            return;
        }
        int n = copy.remaining();
        try {
            w.write(this.state, copy, kept);
        }
        catch (RuntimeException ex) {
            kept.release();
            throw ex;
        }
        this.statistics.frameOut(n);
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
