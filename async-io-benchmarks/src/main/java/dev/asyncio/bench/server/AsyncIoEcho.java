package dev.asyncio.bench.server;

import dev.asyncio.core.AsyncIoState;
import dev.asyncio.core.BufferCallback;
import dev.asyncio.core.IoStatus;

/**
 * The echo handler of one async-io connection: {@code readWithChecking} stays armed, each callback copies what
 * arrived into one of two per-connection output arrays, discards it and {@code writeBuffer}s the copy (the state has
 * {@code queueOutput} on, so a second write may queue behind the first).
 *
 * <p>The copy is needed because the read-with-checking array is the collection's shared scratch, valid only during
 * the callback, while {@code writeBuffer} keeps a reference until the bytes are out. Two arrays let the next read
 * proceed while one write is pending; when both are in flight the handler {@code finish}es the read (the socket stops
 * being read, TCP pushes back on the peer) and re-arms it from the write callback. In steady state nothing is
 * allocated per message: the arrays grow only to the largest chunk seen (a power of two, at least 64 bytes).
 *
 * <p>All methods run on the collection's loop thread. EOF, a read error or a write error closes the connection.
 */
public final class AsyncIoEcho implements BufferCallback {

    private final BufferCallback written = this::written;
    private byte[] spareA;
    private byte[] spareB;
    private int inFlight;
    private boolean paused;

    private AsyncIoEcho() {
    }

    /**
     * Starts echoing on {@code state}; use as (part of) a connection function.
     *
     * @param state a TCP state whose options have {@code queueOutput} on
     */
    public static void start(AsyncIoState state) {
        state.readWithChecking(new AsyncIoEcho());
    }

    @Override
    public void call(AsyncIoState state, byte[] buffer, int end) {
        if (state.readStatus() != IoStatus.OK) {
            state.close();
            return;
        }
        byte[] out = take(end);
        if (out == null) {
            paused = true;
            state.finish();
            return;
        }
        System.arraycopy(buffer, 0, out, 0, end);
        state.discard(end);
        inFlight++;
        state.writeBuffer(out, 0, end, written);
    }

    private void written(AsyncIoState state, byte[] buffer, int count) {
        inFlight--;
        if (state.writeStatus() != IoStatus.OK) {
            state.close();
            return;
        }
        if (spareA == null) {
            spareA = buffer;
        } else {
            spareB = buffer;
        }
        if (paused && state.isOpen()) {
            paused = false;
            state.readWithChecking(this);
        }
    }

    /** @return a free output array of at least {@code n} bytes, or null when two writes are in flight */
    private byte[] take(int n) {
        byte[] b = spareA;
        if (b != null && b.length >= n) {
            spareA = null;
            return b;
        }
        b = spareB;
        if (b != null && b.length >= n) {
            spareB = null;
            return b;
        }
        if (inFlight >= 2) {
            return null;
        }
        // Grow: replace the too-small spare (if any) by a bigger array.
        if (spareA != null) {
            spareA = null;
        } else {
            spareB = null;
        }
        return new byte[Math.max(64, Integer.highestOneBit(Math.max(1, n - 1)) << 1)];
    }
}
