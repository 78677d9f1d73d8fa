package dev.asyncio.sample.kvproxy;

/**
 * Where {@code kv-proxy} sends commands: a Redis-protocol server reached through a pipelined client. The proxy is
 * written against this small interface so that its connection logic is tested with a fake upstream, and the real one
 * (built on the async-io client) adapts the async-io client.
 *
 * <p>Contract: every {@link #send} ends in exactly one call of {@link Reply#replied} or {@link Reply#failed}, on any
 * thread, possibly before {@code send} returns. Commands sent with the same {@code lane} reach the server in the order
 * they were sent, on one connection (so a client's {@code SET k} is executed before its {@code GET k}); the proxy
 * gives each client connection a lane of its own. While the server is unreachable, {@code send} fails the command at
 * once instead of queueing it.
 */
public interface KvUpstream {

    /**
     * Sends one complete command.
     *
     * @param lane    keeps the commands of one client in order (any int; equal lanes share a connection)
     * @param command one RESP command (a multi-bulk array); the upstream owns the array from now on
     * @param reply   told the outcome, exactly once, on any thread
     */
    void send(int lane, byte[] command, Reply reply);

    /** The outcome of one command. */
    interface Reply {

        /**
         * The server answered.
         *
         * @param reply one complete RESP reply, as the server sent it (an error reply included)
         */
        void replied(byte[] reply);

        /**
         * No answer will come: the server is unreachable, the connection broke with the command in flight, or the
         * reply timed out.
         *
         * @param error a RESP error text without the leading {@code -} and without CRLF, e.g.
         *              {@code ERR upstream unavailable: connection refused (127.0.0.1:6379)}
         */
        void failed(String error);
    }
}
