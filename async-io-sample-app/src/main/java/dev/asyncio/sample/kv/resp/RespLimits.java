package dev.asyncio.sample.kv.resp;

/**
 * The bounds a {@link RespRequestParser} enforces so that a peer can never make the server allocate or buffer more
 * than it decides: the longest inline request or header line, the longest bulk string, and the most arguments of one
 * command. A request over a bound is answered with a RESP protocol error and the connection is closed, as Redis does.
 *
 * @param maxLineLength the longest inline request or {@code *}/{@code $} header line, in bytes (Redis: 64 KiB)
 * @param maxBulkLength the longest bulk string argument, in bytes (Redis' {@code proto-max-bulk-len} is 512 MiB;
 *                      this server keeps values small so a connection's input buffer stays bounded)
 * @param maxArguments  the most arguments of one multi-bulk command (Redis: 1024 * 1024)
 * @param maxRequestLength the most bytes of bulk data in one command, all arguments together (the counterpart of
 *                      Redis' {@code client-query-buffer-limit}); it bounds what a half-sent command can hold
 */
public record RespLimits(int maxLineLength, int maxBulkLength, int maxArguments, long maxRequestLength) {

    /** The defaults: 64 KiB lines, 1 MiB bulk strings, 65 536 arguments, 16 MiB per command. */
    public static final RespLimits DEFAULTS = new RespLimits(64 * 1024, 1024 * 1024, 64 * 1024, 16L * 1024 * 1024);

    /**
     * Checks the bounds.
     *
     * @param maxLineLength    the longest line
     * @param maxBulkLength    the longest bulk string
     * @param maxArguments     the most arguments
     * @param maxRequestLength the most bulk bytes per command
     * @throws IllegalArgumentException when a bound is not positive
     */
    public RespLimits {
        if (maxLineLength <= 0 || maxBulkLength <= 0 || maxArguments <= 0 || maxRequestLength <= 0) {
            throw new IllegalArgumentException("RESP limits must be positive, got maxLineLength=" + maxLineLength
                    + " maxBulkLength=" + maxBulkLength + " maxArguments=" + maxArguments + " maxRequestLength="
                    + maxRequestLength);
        }
    }
}
