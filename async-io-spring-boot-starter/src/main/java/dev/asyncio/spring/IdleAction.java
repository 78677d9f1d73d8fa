package dev.asyncio.spring;

/**
 * What a handle does when one of its connections has been idle for a configured period
 * ({@code async-io.handles.<name>.idle.action}); either way the event is counted ({@code asyncio.idle.events}) and
 * told to the connection function if it listens ({@link IdleListener}, {@link FrameHandler#idle}).
 */
public enum IdleAction {
    /** Only tell (and count): the connection function decides, e.g. sends a heartbeat or closes. */
    NOTIFY,
    /**
     * Tell, then close the connection at once (as Netty's {@code ctx.close()} from {@code userEventTriggered}, and as
     * Vert.x's {@code idleTimeout} does): output that could not be written is dropped. Counted in
     * {@code asyncio.idle.closes}.
     */
    CLOSE
}
