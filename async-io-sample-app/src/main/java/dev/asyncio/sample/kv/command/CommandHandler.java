package dev.asyncio.sample.kv.command;

import dev.asyncio.sample.kv.resp.ReplyBuffer;

/**
 * Runs one command whose name and arity the {@link CommandTable} has already checked. Runs on the loop thread of
 * the connection; it must not block.
 */
@FunctionalInterface
public interface CommandHandler {
    /**
     * @param call  the command's arguments (index 0 is the name) and the client that sent it
     * @param reply where to write exactly one reply
     * @throws CommandException to answer with an error instead; nothing must have been written then
     */
    void execute(CommandCall call, ReplyBuffer reply);
}
