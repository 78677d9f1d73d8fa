package dev.asyncio.spring;

import java.nio.ByteBuffer;

import dev.asyncio.core.FrameException;
import dev.asyncio.core.IdleKind;
import dev.asyncio.core.IoStatus;
import org.jspecify.annotations.Nullable;

/**
 * The connection function of a framed handle ({@code async-io.handles.<name>.framing.type} set): receives each whole
 * frame a connection reads, and may answer with frames. Declare it as a bean and name it in
 * {@code async-io.handles.<name>.connection-function} (or name the bean like the handle):
 *
 * <pre>{@code
 * @Bean
 * FrameHandler frames() {
 *     return (connection, frame) -> connection.reply(frame);     // echo each frame
 * }
 * }</pre>
 *
 * <p><b>Threads.</b> Every method runs on the loop thread of the connection's collection: keep it short, never block.
 * An exception thrown from {@link #frame} goes to the collection's callback error policy and ends the reading.
 *
 * <p>The frame is a read-only view into the connection's input, valid only during the call: copy what you keep.
 * {@link FramedConnection#reply(ByteBuffer)} copies it for you.
 */
@FunctionalInterface
public interface FrameHandler {

    /**
     * Called once per frame, in order, on the loop thread.
     * @param connection the connection, to reply, stop reading or close
     * @param frame the payload (header, delimiter or STX/ETX removed) from its position to its limit; valid only
     * during the call
     */
    void frame(FramedConnection connection, ByteBuffer frame);

    /**
     * Called on the loop thread when a connection is accepted, before its first frame. Does nothing by default.
     * @param connection the new connection
     */
    default void connected(FramedConnection connection) {
    }

    /**
     * Called once on the loop thread when the connection's reading ends. By default closes the connection after
     * writing what is queued (a bad frame has already closed it unless the policy is {@code discard}).
     * @param connection the connection
     * @param status {@link IoStatus#EOF} for a clean end between frames, {@link IoStatus#TIMEOUT}, or
     * {@link IoStatus#ERROR}
     * @param failure for {@code ERROR}: a {@link FrameException} (too long, corrupt, truncated) or the I/O failure
     */
    default void ended(FramedConnection connection, IoStatus status, @Nullable Throwable failure) {
        if (connection.state().isOpen() && !connection.state().isClosing()) {
            connection.state().closeGracefully(null, null);
        }
    }

    /**
     * Called on the loop thread when the connection has been idle for a period of
     * {@code async-io.handles.<name>.idle.*} (and again after every further full period), before the handle's
     * {@code idle.action} (under {@code close} the connection is closed right after). Does nothing by default.
     * @param connection the idle connection, e.g. to {@link FramedConnection#reply reply} with a heartbeat frame
     * @param kind which direction was idle: reader, writer or all
     * @param count idle periods in a row, 1 the first time after activity
     */
    default void idle(FramedConnection connection, IdleKind kind, int count) {
    }
}
