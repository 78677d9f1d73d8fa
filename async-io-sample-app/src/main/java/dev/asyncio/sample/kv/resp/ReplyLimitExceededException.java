package dev.asyncio.sample.kv.resp;

/**
 * Thrown by {@link ReplyBuffer} when a client's pending replies would exceed the connection's output limit. The
 * connection answers by closing, as Redis does when a client overcomes its output buffer limit.
 */
public final class ReplyLimitExceededException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param limit the limit in bytes */
    public ReplyLimitExceededException(long limit) {
        super("pending replies would exceed the output limit of " + limit + " bytes", null, false, false);
    }
}
