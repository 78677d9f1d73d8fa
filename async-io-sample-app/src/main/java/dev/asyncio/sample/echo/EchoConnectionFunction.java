package dev.asyncio.sample.echo;

import java.nio.ByteBuffer;
import java.time.Duration;

import dev.asyncio.core.AcceptingHandle;
import dev.asyncio.core.AsyncIoState;
import dev.asyncio.core.BufferPool;
import dev.asyncio.core.ByteBufferCallback;
import dev.asyncio.core.ConnectionFunction;
import dev.asyncio.core.IoStatus;
import dev.asyncio.core.OutputLimitExceededException;

/**
 * The connection function of the {@code echo} handle: writes back every byte it reads, in order, without copying
 * them: socket → a pooled direct buffer → socket.
 *
 * <p>Each read is {@link AsyncIoState#readPooled}: the loop takes a direct buffer from the collection's
 * {@link BufferPool} only once bytes are there; what arrived is written from that same buffer with
 * {@link AsyncIoState#writeBuffer(ByteBuffer, ByteBufferCallback)}, and the write's callback gives the buffer back
 * to the pool. So an idle connection holds no buffer, and a steady echo allocates nothing. With {@code queueOutput}
 * on (the sample's {@code application.yml} sets it; the starter's default is off) the next read starts while the
 * echo is being written; while the peer does not read its echoes fast enough (the state is not writable) the
 * connection stops reading, so a peer that only sends holds at most about one high-water mark of output on the
 * server, and it reads again once the output drained. With
 * {@code queueOutput} off (one write at a time) it reads again after each write. Once a graceful close was requested
 * (the shutdown drain calls {@code closeGracefully} from its own thread) it starts nothing more: bytes that arrived
 * just then are dropped, as the close would drop them. On EOF it closes gracefully (the
 * peer gets every byte, then EOF, and no {@code CLOSE_WAIT} socket is left behind); a read timeout or error, or a
 * failed write, closes the connection at once.
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
        new Connection(state, closeTimeout).read();
    }

    /** One echo connection: its read loop, and the writes it has in flight. */
    private static final class Connection {
        private final AsyncIoState state;
        private final BufferPool pool;
        private final Duration closeTimeout;
        private final boolean pipelined;
        // Made once per connection: a method reference written at each call would allocate every time.
        private final ByteBufferCallback onRead = this::received;
        private final ByteBufferCallback onWritten = this::written;
        private boolean paused;

        Connection(AsyncIoState state, Duration closeTimeout) {
            this.state = state;
            this.pool = state.collection().bufferPool();
            this.closeTimeout = closeTimeout;
            this.pipelined = state.queueOutput();
        }

        void read() {
            state.readPooled(onRead);
        }

        private void received(AsyncIoState s, ByteBuffer buffer, int count) {
            boolean writing = buffer != null && s.isOpen() && !s.isClosing();
            if (writing) {
                // The buffer is ours from the read's callback on: hand it to the write, which gives it back.
                try {
                    s.writeBuffer(buffer.flip(), onWritten);
                } catch (OutputLimitExceededException full) {
                    // The process's memory budget (or this connection's output limit) is exhausted: this peer is
                    // not reading what it is sent, so it goes, quietly (one log line per failure would be a flood).
                    pool.release(buffer);
                    s.close();
                    return;
                }
            } else if (buffer != null) {
                pool.release(buffer);
            }
            if (!s.isOpen() || s.isClosing()) {
                // Closed, or a graceful close (the shutdown drain) was requested from another thread after these
                // bytes arrived: the close ends reading and no new operation may start (readPooled would throw).
                return;
            }
            IoStatus status = s.readStatus();
            if (status == IoStatus.EOF) {
                s.closeGracefully(closeTimeout, null);
            } else if (status != IoStatus.OK) {
                s.close();
            } else if (!writing) {
                read();
            } else if (pipelined && s.isWritable()) {
                read();
            } else {
                paused = true;
            }
        }

        private void written(AsyncIoState s, ByteBuffer buffer, int count) {
            pool.release(buffer);
            if (s.writeStatus() != IoStatus.OK) {
                // Timeout or I/O error: the peer is gone or stuck; nothing later can be delivered in order.
                s.close();
                return;
            }
            if (paused && s.isWritable() && s.isOpen() && !s.isClosing()) {
                paused = false;
                read();
            }
        }
    }
}
