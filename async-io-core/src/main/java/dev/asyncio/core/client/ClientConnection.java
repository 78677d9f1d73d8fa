package dev.asyncio.core.client;

import org.jspecify.annotations.Nullable;

import dev.asyncio.core.AsyncIoState;

import java.nio.ByteBuffer;

/**
 * One connection of an {@link AsyncIoClient}, as {@link AsyncIoClient#acquire(AcquireCallback)} hands it out: the
 * {@link AsyncIoState} itself, and pipelined request/reply on it alone (so a series of requests runs in order on
 * one server connection, as a proxy or a transaction needs).
 *
 * <p>Exclusive in {@link ClientMode#POOL} (no one else's requests go on it until released), shared in
 * {@link ClientMode#SHARED} (it is the client's one connection; release does nothing to it), new in
 * {@link ClientMode#PER_USE} (closed on release).
 *
 * <p><b>Threads.</b> Any method may be called from any thread; callbacks run on the client's loop thread.
 * <b>Misuse.</b> With {@link ClientOptions#framing()} set the client's frame reader owns the state's read direction:
 * a read of your own throws {@link IllegalStateException}; without framing the read direction is yours, and
 * {@link #request} throws {@link IllegalStateException}. Using a connection after its release throws
 * {@link IllegalStateException}.
 */
public interface ClientConnection {

    /** @return the state: write to it, read it (unframed clients), look at its addresses and counters */
    AsyncIoState state();

    /** @return where it is connected */
    ClientAddress address();

    /** @return the client it belongs to */
    AsyncIoClient client();

    /** @return whether it is open and not closing, and (for a framed client) its reader still runs */
    boolean isOpen();

    /** @return requests sent or queued on it and not yet answered (timed-out ones kept in place included) */
    int pendingRequests();

    /**
     * Sends one request frame on this connection; its reply is the next frame not claimed by an earlier request
     * (FIFO). Several requests may be in flight (pipelining), up to {@link ClientOptions#maxPendingRequests()}.
     *
     * @param payload the request's payload, from its position to its limit; framed by {@link ClientOptions#framing()};
     *                owned by the connection until written (don't change it meanwhile)
     * @param callback gets the reply or the failure, once, on the loop thread
     * @throws IllegalStateException if the client has no framing, or the connection was released
     * @throws IllegalArgumentException if the framing cannot carry the payload (too long, a delimiter inside)
     */
    void request(ByteBuffer payload, ReplyCallback callback);

    /**
     * As {@link #request(ByteBuffer, ReplyCallback)} with all of {@code payload}.
     *
     * @param payload the bytes, owned by the connection until written
     * @param callback gets the reply or the failure, once, on the loop thread
     */
    void request(byte[] payload, ReplyCallback callback);

    /**
     * As {@link #request(ByteBuffer, ReplyCallback)}, for callers off the loop: the future completes on the loop
     * thread with a copy of the reply, or exceptionally with the {@link ClientException}.
     *
     * @param payload the bytes, owned by the connection until written
     * @return the reply's payload
     */
    default java.util.concurrent.CompletableFuture<byte[]> request(byte[] payload) {
        java.util.concurrent.CompletableFuture<byte[]> f = new java.util.concurrent.CompletableFuture<>();
        request(ByteBuffer.wrap(payload), (reply, failure) -> {
            if (failure != null) {
                f.completeExceptionally(failure);
            } else {
                byte[] copy = new byte[reply.remaining()];
                reply.get(copy);
                f.complete(copy);
            }
        });
        return f;
    }

    /**
     * For a holder that does its own request/reply on a raw connection (no {@link ClientOptions#framing()}, as a
     * proxy with a protocol of its own does): counts one request in the client's {@link ClientStatistics} (requests,
     * replies or failures, timeouts) and tells the listeners ({@link ClientListener#requestCompleted}), so meters
     * and health see that traffic too. Any thread. The default does nothing (for implementations outside the
     * client, such as test fakes).
     *
     * @param took from sending the request to its reply or failure
     * @param failure {@code null} for a reply, else why it failed
     */
    default void reportRequest(java.time.Duration took, @Nullable ClientException failure) {
    }

    /**
     * Gives the connection back: to the pool (if open, and not past its lifetime), or closes it (per use). Requests
     * still in flight on it complete first in the pool (it is not handed out until they do). Releasing twice does
     * nothing.
     */
    void release();

    /**
     * Closes the connection instead of releasing it (for one left in an unknown protocol state): requests in flight
     * fail with {@link ClientException.Kind#CONNECTION_LOST}; the pool opens a new one when needed, a shared
     * client reconnects.
     */
    void close();
}
