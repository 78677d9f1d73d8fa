package dev.asyncio.core.internal.engine;

import dev.asyncio.core.BufferCallback;

/**
 * One kind of read-direction operation (read-buffer, read-with-checking, wait-for-input, datagram receive). The
 * {@link ReadSide} runs at most one at a time and drives it through these events, all on the loop thread.
 */
public interface ReadOperation {

    /** @return whether it can complete without the socket (an empty range): serve it from the ready list */
    boolean completesAtOnce();

    /**
     * @return whether the read deadline counts from the operation's start; a read-with-checking counts it from the
     *         first byte of each message instead
     */
    default boolean deadlineFromStart() {
        return true;
    }

    /** Input waits in memory (buffered, or decrypted by TLS): serve it from the ready list. */
    void serveBuffered();

    /** The socket is readable. */
    void readable();

    /** The idle timeout passed without progress. */
    void timedOut();

    /**
     * The operation is aborted: end it and call {@code cb} with the arguments its own callback would have had.
     *
     * @param cb the abort callback, or {@code null}
     * @param callBack whether to call it ({@code false} when the output is aborted too and the caller calls back)
     */
    void abort(BufferCallback cb, boolean callBack);

    /** Drops references to the caller's buffer and callbacks: the operation ended. */
    void clear();
}
