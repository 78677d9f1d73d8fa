package dev.asyncio.sample.kv.resp;

/**
 * Malformed or over-limit RESP input. The message is the text Redis itself sends for the same input, without the
 * {@code ERR} prefix (for example {@code "Protocol error: invalid bulk length"}); the connection answers it as an
 * error reply and then closes, because after a framing error the rest of the stream cannot be trusted.
 */
public final class RespProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message the Redis error text, without the {@code ERR} prefix */
    public RespProtocolException(String message) {
        super(message, null, false, false);
    }
}
