package dev.asyncio.core.client;

/**
 * What a client does with a connection on which a request timed out ({@link ClientOptions#requestTimeoutAction()}).
 *
 * <p>Either way the timed-out request's callback gets a {@link ClientException.Kind#REQUEST_TIMEOUT} failure at its
 * deadline, and no reply is ever given to the wrong request.
 */
public enum RequestTimeoutAction {
    /**
     * Close the connection (the default, as twemproxy does with a server that times out): the requests queued behind
     * the timed-out one fail with {@link ClientException.Kind#CONNECTION_LOST}, and a shared connection reconnects.
     * Safe with any server, including one that drops a request without answering: with FIFO correlation a reply that
     * never comes would shift every later reply onto the wrong request.
     */
    CLOSE_CONNECTION,
    /**
     * Keep the connection: the timed-out request keeps its place in the FIFO, its reply, when it comes, goes to
     * {@link ClientOptions#unsolicitedFrameHandler()} with {@code late = true} (and
     * {@link ClientListener#unsolicitedFrame}), never to the next request. Only for servers that answer every request
     * (Redis, a Spring Integration gateway); cheaper than a new connection for a slow reply.
     */
    KEEP_CONNECTION
}
