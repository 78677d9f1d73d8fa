package dev.asyncio.spring.autoconfigure;

import java.time.Duration;

import dev.asyncio.spring.IdleAction;
import org.jspecify.annotations.Nullable;

/**
 * {@code async-io.handles.<name>.idle.*}: idle detection on each of a handle's connections (Netty's
 * {@code IdleStateHandler}, Vert.x's idle timeouts), mapped onto the core's {@link dev.asyncio.core.IdleOptions} by
 * {@link IdleMapper}. Binding only checks types; the values are checked at start-up, naming the property.
 */
public class IdleProperties {

    /**
     * How long a connection may read no byte before it is reader-idle. Not detected when not set. A connection
     * whose function started no read reads nothing, and becomes reader-idle.
     */
    private @Nullable Duration reader;

    /**
     * How long a connection may write no byte to the socket before it is writer-idle: output queued behind a peer
     * that reads nothing counts as idle. Not detected when not set.
     */
    private @Nullable Duration writer;

    /** How long a connection may neither read nor write a byte before it is all-idle. Not detected when not set. */
    private @Nullable Duration all;

    /**
     * What an idle event does: close (the default) closes the connection at once, counted in asyncio.idle.closes;
     * notify only tells the connection function (an IdleListener, or FrameHandler.idle) and counts it.
     */
    private IdleAction action = IdleAction.CLOSE;

    /** @return the reader-idle period, {@code null} = off */
    public @Nullable Duration getReader() {
        return this.reader;
    }

    /** @param reader the reader-idle period, {@code null} = off */
    public void setReader(@Nullable Duration reader) {
        this.reader = reader;
    }

    /** @return the writer-idle period, {@code null} = off */
    public @Nullable Duration getWriter() {
        return this.writer;
    }

    /** @param writer the writer-idle period, {@code null} = off */
    public void setWriter(@Nullable Duration writer) {
        this.writer = writer;
    }

    /** @return the all-idle period, {@code null} = off */
    public @Nullable Duration getAll() {
        return this.all;
    }

    /** @param all the all-idle period, {@code null} = off */
    public void setAll(@Nullable Duration all) {
        this.all = all;
    }

    /** @return what an idle event does */
    public IdleAction getAction() {
        return this.action;
    }

    /** @param action what an idle event does */
    public void setAction(IdleAction action) {
        this.action = action;
    }
}
