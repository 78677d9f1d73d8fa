package dev.asyncio.sample.echo;

import java.time.Duration;
import java.util.Arrays;

import dev.asyncio.core.AcceptingHandle;
import dev.asyncio.core.AsyncIoState;
import dev.asyncio.core.ConnectionFunction;
import dev.asyncio.core.IoStatus;
import dev.asyncio.sample.connection.FlowControlledOutput;

/**
 * The connection function of the {@code echo} handle: writes back every byte it reads, in order.
 *
 * <p>Each connection reads with {@code readWithChecking} and hands what arrived to a {@link FlowControlledOutput}.
 * While the peer does not read its echoes fast enough (the state is not writable), the connection stops reading,
 * so a peer that only sends holds at most about one high-water mark of output on the server; it reads again once
 * the output drained. On EOF it writes what it read and then closes (a graceful close: the peer gets every byte,
 * then EOF, and no {@code CLOSE_WAIT} socket is left behind). A read timeout or error closes the connection at once.
 *
 * <p>Stateless and thread-safe; callbacks run on the loop thread of the connection's collection.
 */
public final class EchoConnectionFunction implements ConnectionFunction {

    private final Duration closeTimeout;

    /**
     * @param closeTimeout how long a connection closing after EOF may spend writing its last echo; {@code null} = no
     *                     limit
     */
    public EchoConnectionFunction(Duration closeTimeout) {
        this.closeTimeout = closeTimeout;
    }

    /**
     * Starts echoing on a new connection. Runs on the loop thread.
     *
     * @param handle the accepting handle
     * @param state  the new connection
     */
    @Override
    public void connected(AcceptingHandle handle, AsyncIoState state) {
        new Connection(state, closeTimeout).start();
    }

    /** One echo connection's read loop. */
    private static final class Connection {
        private final AsyncIoState state;
        private final FlowControlledOutput output;
        private boolean paused;

        Connection(AsyncIoState state, Duration closeTimeout) {
            this.state = state;
            this.output = new FlowControlledOutput(state, this::resume, closeTimeout);
        }

        void start() {
            state.readWithChecking(this::received);
        }

        private void received(AsyncIoState s, byte[] buffer, int end) {
            if (end > 0) {
                // The buffer is only valid during this call: copy what goes out.
                output.write(Arrays.copyOf(buffer, end));
            }
            IoStatus status = s.readStatus();
            if (status == IoStatus.OK) {
                if (output.shouldPause()) {
                    paused = true;
                    s.finish(end);
                } else if (end > 0) {
                    s.discard(end);
                }
                return;
            }
            s.finish(end);
            if (status == IoStatus.EOF) {
                output.closeWhenWritten();
            } else {
                s.close();
            }
        }

        private void resume() {
            if (paused && state.isOpen() && !state.isClosing()) {
                paused = false;
                state.readWithChecking(this::received);
            }
        }
    }
}
