package dev.asyncio.sample.kv.command;

/**
 * A command's error reply, thrown from a handler to end it early. The message is the complete Redis error text
 * including its code, for example {@code "ERR syntax error"}; the dispatcher writes it as {@code -<message>\r\n}.
 */
public final class CommandException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message the error text, starting with its code ({@code ERR}, {@code NOPROTO}, {@code OOM}, …) */
    public CommandException(String message) {
        super(message, null, false, false);
    }

    /** @return Redis' error for an argument that is not a 64-bit integer */
    static CommandException notAnInteger() {
        return new CommandException("ERR value is not an integer or out of range");
    }

    /** @return Redis' generic syntax error */
    static CommandException syntax() {
        return new CommandException("ERR syntax error");
    }

    /**
     * @param command the lower-case command name
     * @return Redis' arity error
     */
    static CommandException arity(String command) {
        return new CommandException("ERR wrong number of arguments for '" + command + "' command");
    }
}
