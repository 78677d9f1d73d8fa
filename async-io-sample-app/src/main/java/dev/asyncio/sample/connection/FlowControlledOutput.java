package dev.asyncio.sample.connection;

import java.time.Duration;
import java.util.ArrayDeque;

import dev.asyncio.core.AsyncIoState;
import dev.asyncio.core.IoStatus;

/**
 * The output side of one connection: writes byte arrays in order, tells the reader when to pause (too much output
 * waiting) and when to resume (drained), and closes the connection once everything handed to it was written.
 *
 * <p>Backpressure, the way Netty's {@code isWritable()} is used: after each write the owner asks
 * {@link #shouldPause()}; while it is true the owner stops reading, so a peer that sends requests but never reads the
 * replies holds at most about one high-water mark of output on the server. {@link #shouldPause()} follows the state's
 * own {@link AsyncIoState#isWritable() water marks} when the state queues output; the {@code resume} action runs on
 * the completion of the write that brings the output back to writable.
 *
 * <p>Two modes, chosen from the state: with {@code queueOutput} on (the starter's default) every array goes straight
 * to {@link AsyncIoState#writeBuffer}, so the core owns all accepted output and a graceful close or drain writes all
 * of it. With {@code queueOutput} off (LispWorks' default: one write at a time) arrays wait here, coalesced, until
 * the write in flight completes; a drain that closes the state then drops what still waits here.
 *
 * <p>Used on the connection's loop thread only: from the connection function and from callbacks.
 */
public final class FlowControlledOutput {

    /** Output kept here (queue-output off) before the reader is asked to pause, like Netty's 64 KiB high water mark. */
    static final int HIGH_WATER_MARK = 64 * 1024;

    private final AsyncIoState state;
    private final Runnable resume;
    private final Duration closeTimeout;
    private final boolean direct;
    private final ArrayDeque<byte[]> waiting = new ArrayDeque<>();
    private long waitingBytes;
    /** Lengths of the arrays handed to writeBuffer whose write has not completed: the core retains them whole. */
    private long inFlightBytes;
    private boolean inFlight;
    private boolean closeRequested;

    /**
     * @param state        the connection
     * @param resume       run (on the loop thread) when output drained after {@link #shouldPause()} was true
     * @param closeTimeout how long a close after the last reply may spend writing it ({@code null} = the state's
     *                     write timeout only)
     */
    public FlowControlledOutput(AsyncIoState state, Runnable resume, Duration closeTimeout) {
        this.state = state;
        this.resume = resume;
        this.closeTimeout = closeTimeout;
        this.direct = state.queueOutput();
    }

    /**
     * Writes {@code data} after everything written before. Ignored once the state is closed or a close was requested.
     *
     * @param data the bytes; this object owns them from now on
     */
    public void write(byte[] data) {
        if (data.length == 0 || closeRequested || !state.isOpen() || state.isClosing()) {
            return;
        }
        if (direct) {
            inFlightBytes += data.length;
            state.writeBuffer(data, 0, data.length, this::written);
            return;
        }
        waiting.add(data);
        waitingBytes += data.length;
        if (!inFlight) {
            writeWaiting();
        }
    }

    /** @return whether the owner should stop reading until {@code resume} runs */
    public boolean shouldPause() {
        return direct ? !state.isWritable() : waitingBytes >= HIGH_WATER_MARK;
    }

    /** @return bytes accepted and not yet written (here and in the state's queue) */
    public long pendingBytes() {
        return waitingBytes + state.queuedOutput();
    }

    /**
     * @return bytes of the arrays this output holds or the core holds for it until their writes complete: what the
     *         heap retains, which can be far more than {@link #pendingBytes()} (a 4 MiB reply of which all but a few
     *         bytes reached the socket is still a 4 MiB array)
     */
    public long retainedBytes() {
        return waitingBytes + inFlightBytes;
    }

    /**
     * Closes the connection once everything written so far has reached the socket (then the peer sees EOF after the
     * last byte). Later writes are ignored.
     */
    public void closeWhenWritten() {
        if (closeRequested) {
            return;
        }
        closeRequested = true;
        if (waiting.isEmpty()) {
            state.closeGracefully(closeTimeout, null);
        }
    }

    private void writeWaiting() {
        byte[] chunk;
        if (waiting.size() == 1) {
            chunk = waiting.poll();
        } else {
            chunk = new byte[(int) Math.min(waitingBytes, Integer.MAX_VALUE - 8)];
            int at = 0;
            while (!waiting.isEmpty() && at + waiting.peek().length <= chunk.length) {
                byte[] part = waiting.poll();
                System.arraycopy(part, 0, chunk, at, part.length);
                at += part.length;
            }
        }
        waitingBytes -= chunk.length;
        inFlightBytes += chunk.length;
        inFlight = true;
        state.writeBuffer(chunk, 0, chunk.length, this::written);
        if (closeRequested && waiting.isEmpty()) {
            // The core writes what it accepted before a graceful close completes.
            state.closeGracefully(closeTimeout, null);
        }
    }

    private void written(AsyncIoState s, byte[] buffer, int count) {
        inFlightBytes -= buffer.length;
        if (s.writeStatus() != IoStatus.OK) {
            // Timeout or I/O error: the peer is gone or stuck; nothing later can be delivered in order.
            waiting.clear();
            waitingBytes = 0;
            s.close();
            return;
        }
        inFlight = false;
        if (!direct && !waiting.isEmpty() && s.isOpen() && !s.isClosing()) {
            writeWaiting();
        }
        if (!closeRequested && !shouldPause() && s.isOpen() && !s.isClosing()) {
            resume.run();
        }
    }
}
