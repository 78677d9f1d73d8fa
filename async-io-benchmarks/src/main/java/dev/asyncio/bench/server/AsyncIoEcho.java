package dev.asyncio.bench.server;

import dev.asyncio.core.AsyncIoState;
import dev.asyncio.core.BufferCallback;
import dev.asyncio.core.IoStatus;

/**
 * The echo handler of one async-io connection: {@code readWithChecking} stays armed; each callback copies what
 * arrived into an array borrowed from the collection's {@link EchoBufferPool}, discards it and {@code writeBuffer}s
 * the copy (the state has {@code queueOutput} on, so a second write may queue behind the first); the write callback
 * returns the array.
 *
 * <p>The copy is needed because the read-with-checking array is the collection's shared scratch, valid only during
 * the callback, while {@code writeBuffer} keeps a reference until the bytes are out. Up to {@link #WRITES_IN_FLIGHT}
 * writes may be in flight, so reading proceeds while writes wait for the socket (the loop reads up to 16 times per
 * wake-up, and one gathering write sends what they brought); with that many in flight the handler {@code finish}es
 * the read (the socket is no longer read, TCP pushes back on the peer) and re-arms it from the write callback.
 *
 * <p>Per connection this costs one small object (kept as the state's {@code userInfo}, so the write callback can be
 * one shared function); steady-state echo allocates nothing. All methods run on the collection's loop thread. EOF,
 * a read error or a write error closes the connection.
 */
public final class AsyncIoEcho implements BufferCallback {

    /**
     * Writes one connection may have in flight before reading pauses: 16, the reads one wake-up serves (as Netty's
     * {@code maxMessagesPerRead}), so a streaming peer's 16 reads go out in one gathering write; at most 1 MiB per
     * connection with 64 KiB reads.
     */
    public static final int WRITES_IN_FLIGHT = 16;

    private static final BufferCallback WRITTEN = (state, buffer, count) ->
            ((AsyncIoEcho) state.userInfo()).written(state, buffer);

    private final EchoBufferPool pool;
    private int inFlight;
    private boolean paused;

    private AsyncIoEcho(EchoBufferPool pool) {
        this.pool = pool;
    }

    /**
     * Starts echoing on {@code state}; use as (part of) a connection function. Takes over the state's
     * {@code userInfo}.
     *
     * @param state a TCP state whose options have {@code queueOutput} on
     * @param pool the output arrays of the state's collection (one pool per collection)
     */
    public static void start(AsyncIoState state, EchoBufferPool pool) {
        AsyncIoEcho echo = new AsyncIoEcho(pool);
        state.setUserInfo(echo);
        state.readWithChecking(echo);
    }

    /**
     * The read-with-checking callback (loop thread): echoes {@code buffer[0, end)}, or pauses reading while two
     * writes are in flight, or closes the state on EOF or error.
     *
     * @param state the connection
     * @param buffer the collection's scratch or the state's input array, valid only during this call
     * @param end the number of undiscarded bytes
     */
    @Override
    public void call(AsyncIoState state, byte[] buffer, int end) {
        if (state.readStatus() != IoStatus.OK) {
            state.close();
            return;
        }
        if (inFlight >= WRITES_IN_FLIGHT) {
            paused = true;
            state.finish();
            return;
        }
        byte[] out = pool.take(end);
        System.arraycopy(buffer, 0, out, 0, end);
        state.discard(end);
        inFlight++;
        state.writeBuffer(out, 0, end, WRITTEN);
    }

    private void written(AsyncIoState state, byte[] buffer) {
        inFlight--;
        pool.give(buffer);
        if (state.writeStatus() != IoStatus.OK) {
            state.close();
            return;
        }
        if (paused && state.isOpen()) {
            paused = false;
            state.readWithChecking(this);
        }
    }
}
