package dev.asyncio.spring;

import java.util.Objects;

import dev.asyncio.core.AcceptingHandle;
import dev.asyncio.core.AsyncIoState;
import dev.asyncio.core.ConnectionFunction;
import dev.asyncio.core.FrameException;
import dev.asyncio.core.FrameReader;
import dev.asyncio.core.FrameWriter;
import dev.asyncio.core.Framing;
import dev.asyncio.core.IoStatus;
import org.jspecify.annotations.Nullable;

/**
 * The connection function of a framed handle: starts a {@link FrameReader} with the handle's {@link Framing} on each
 * accepted connection and hands every frame to a {@link FrameHandler}, counting frames in {@link FrameStatistics}.
 * Made by the starter for a handle whose {@code framing.type} is set; usable in code too.
 *
 * <p>Runs on the loop thread of the connection's collection.
 */
public final class FramedConnectionFunction implements ConnectionFunction {

    private final Framing framing;

    private final @Nullable FrameWriter writer;

    private final @Nullable String writerRefusal;

    private final FrameHandler handler;

    private final FrameStatistics statistics = new FrameStatistics();

    private final @Nullable IdlePolicy idle;

    /**
     * @param framing how the connections cut their input and write frames
     * @param handler receives the frames
     */
    public FramedConnectionFunction(Framing framing, FrameHandler handler) {
        this(framing, handler, null);
    }

    /**
     * @param framing how the connections cut their input and write frames
     * @param handler receives the frames, and the idle events ({@link FrameHandler#idle})
     * @param idle the idle detection started on every connection once its reader started, or {@code null} for none
     */
    public FramedConnectionFunction(Framing framing, FrameHandler handler, @Nullable IdlePolicy idle) {
        this.idle = idle;
        this.framing = Objects.requireNonNull(framing, "framing");
        this.handler = Objects.requireNonNull(handler, "handler");
        FrameWriter w = null;
        String refusal = null;
        try {
            w = new FrameWriter(framing);
        }
        catch (IllegalStateException ex) {
            // A length prefix with an offset or a partial strip can be read but not written: replies are refused.
            refusal = ex.getMessage();
        }
        this.writer = w;
        this.writerRefusal = refusal;
    }

    /** @return the framing */
    public Framing framing() {
        return this.framing;
    }

    /** @return the handler */
    public FrameHandler handler() {
        return this.handler;
    }

    /** @return the counters over all connections */
    public FrameStatistics statistics() {
        return this.statistics;
    }

    @Override
    public void connected(AcceptingHandle handle, AsyncIoState state) {
        FramedConnection connection = new FramedConnection(state, this.framing, this.writer, this.writerRefusal, this.statistics);
        this.handler.connected(connection);
        if (!state.isOpen() || state.isClosing()) {
            return;
        }
        Counting counting = new Counting(connection);
        connection.reader(FrameReader.start(state, this.framing, counting::frame, counting::ended));
        if (this.idle != null) {
            this.idle.watch(state, (s, kind, count) -> this.handler.idle(connection, kind, count));
        }
    }

    /** @return the idle detection started on every connection, or {@code null} */
    public @Nullable IdlePolicy idlePolicy() {
        return this.idle;
    }

    /** Per connection: counts, then delegates. */
    private final class Counting {

        private final FramedConnection connection;

        private long discardedSeen;

        Counting(FramedConnection connection) {
            this.connection = connection;
        }

        void frame(AsyncIoState state, java.nio.ByteBuffer frame) {
            statistics.frameIn(frame.remaining());
            countDiscarded();
            handler.frame(this.connection, frame);
        }

        void ended(AsyncIoState state, IoStatus status, @Nullable Throwable failure) {
            countDiscarded();
            if (failure instanceof FrameException bad) {
                statistics.error(bad.kind());
            }
            handler.ended(this.connection, status, failure);
        }

        private void countDiscarded() {
            FrameReader reader = this.connection.readerOrNull();
            if (reader == null) {
                return;
            }
            long now = reader.framesDiscarded();
            if (now != this.discardedSeen) {
                statistics.discarded(now - this.discardedSeen);
                this.discardedSeen = now;
            }
        }
    }

    @Override
    public String toString() {
        return "FramedConnectionFunction[" + this.framing + " -> " + this.handler + "]";
    }
}
