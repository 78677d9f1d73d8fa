package dev.asyncio.spring;

import dev.asyncio.core.AsyncIoState;
import dev.asyncio.core.IdleKind;

/**
 * Implemented by a handle's {@link dev.asyncio.core.ConnectionFunction} bean that wants to hear that one of its
 * connections was idle for a period of {@code async-io.handles.<name>.idle.*}. A framed handle's {@link FrameHandler}
 * has {@link FrameHandler#idle} instead.
 *
 * <pre>{@code
 * @Component("echo")
 * class Echo implements ConnectionFunction, IdleListener {
 *     public void connected(AcceptingHandle handle, AsyncIoState state) { ... }
 *     public void idle(AsyncIoState state, IdleKind kind, int count) {
 *         state.writeBuffer(PING, null);        // with idle.action=notify: a heartbeat instead of a close
 *     }
 * }
 * }</pre>
 *
 * <p>Runs on the loop thread of the connection's collection; keep it short. An exception goes to the collection's
 * callback error policy; under {@code idle.action=close} the connection is closed all the same.
 */
@FunctionalInterface
public interface IdleListener {

    /**
     * Called on the loop thread when {@code state} has been idle in direction {@code kind} for its period, and
     * again after every further full period (before the close, under {@code idle.action=close}).
     * @param state the connection
     * @param kind which direction was idle: reader, writer or all
     * @param count idle periods in a row, 1 the first time after activity
     */
    void idle(AsyncIoState state, IdleKind kind, int count);
}
