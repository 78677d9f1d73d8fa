package dev.asyncio.spring;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.asyncio.core.AsyncIoState;
import dev.asyncio.core.BuffersCallback;
import org.jspecify.annotations.Nullable;

/**
 * The copy of a reply's payload that one {@link FramedConnection} reuses: a frame view handed to a
 * {@link FrameHandler} is only valid during its callback, so {@link FramedConnection#reply(ByteBuffer)} must copy
 * it, and the state owns the copy until the write completes. Reusing one buffer per connection makes a reply
 * allocation-free in the steady state (one reply outstanding at a time, the usual request-reply); while the buffer
 * is in flight a further reply gets a fresh copy, as before.
 *
 * <p>{@link #take} may run on any thread; {@link #call} (the write's completion) runs on the loop thread. Made on
 * a connection's first reply, so idle connections do not carry it.
 */
final class ReplyCopy implements BuffersCallback {

    /** Payloads above this size get a fresh copy each time, so a connection does not hold a large buffer idle. */
    static final int MAX_KEPT = 64 * 1024;

    private final AtomicBoolean inFlight = new AtomicBoolean();

    private @Nullable ByteBuffer buffer;

    /**
     * @param payload the bytes from its position to its limit; its position is not moved
     * @return the kept buffer holding a copy (the caller must pass this object as the write's callback, or call
     * {@link #release} if the write is refused), or {@code null} when the kept buffer is in flight or the payload is
     * too large: copy it yourself then
     */
    @Nullable ByteBuffer take(ByteBuffer payload) {
        int n = payload.remaining();
        if (n > MAX_KEPT || !this.inFlight.compareAndSet(false, true)) {
            return null;
        }
        ByteBuffer b = this.buffer;
        if (b == null || b.capacity() < n) {
            b = ByteBuffer.allocate(Math.max(n, (b == null) ? 256 : Math.min(MAX_KEPT, b.capacity() * 2)));
            this.buffer = b;
        }
        b.clear();
        b.put(0, payload, payload.position(), n);
        b.limit(n);
        return b;
    }

    /** Makes the kept buffer available again: after its write completed, or was refused. */
    void release() {
        this.inFlight.set(false);
    }

    /** The kept buffer's write completed (loop thread): the buffer is free for the next reply. */
    @Override
    public void call(AsyncIoState state, ByteBuffer[] buffers, long count) {
        release();
    }
}
