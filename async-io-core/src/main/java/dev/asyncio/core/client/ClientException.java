package dev.asyncio.core.client;

import org.jspecify.annotations.Nullable;

import java.util.Objects;

/**
 * Why a request or an acquire of an {@link AsyncIoClient} failed. Handed to {@link ReplyCallback} and
 * {@link AcquireCallback} on the loop thread (never thrown at the caller: misuse is, as
 * {@link IllegalArgumentException} or {@link IllegalStateException}). {@link #kind()} is a small fixed set, fit for a
 * metric tag or a protocol's error reply.
 */
public final class ClientException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The kinds of failure. */
    public enum Kind {
        /** No connection and none can be made now (reconnecting after a failure, failed, disconnected, or the connect of this use failed). */
        NOT_CONNECTED,
        /** The connection dropped (or was closed) while the request was in flight or queued on it. */
        CONNECTION_LOST,
        /** No reply within {@link ClientOptions#requestTimeout()}. */
        REQUEST_TIMEOUT,
        /** No pooled connection came free within {@link PoolOptions#acquireTimeout()}. */
        ACQUIRE_TIMEOUT,
        /** {@link PoolOptions#maxPendingAcquires()} acquires were already waiting. */
        POOL_EXHAUSTED,
        /** {@link ClientOptions#maxPendingRequests()} requests were already in flight on the connection. */
        TOO_MANY_PENDING_REQUESTS,
        /** The client was closed. */
        CLOSED
    }

    private final Kind kind;
    private final String client;

    /**
     * @param kind what went wrong
     * @param client the client's name
     * @param message the details
     * @param cause the underlying failure, or {@code null}
     */
    public ClientException(Kind kind, String client, String message, @Nullable Throwable cause) {
        super("client '" + client + "': " + message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.client = client;
    }

    /** @return what went wrong */
    public Kind kind() {
        return kind;
    }

    /** @return the name of the client */
    public String client() {
        return client;
    }
}
