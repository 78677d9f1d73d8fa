package dev.asyncio.sample.kv.command;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import dev.asyncio.sample.kv.resp.RespIntegers;

/**
 * One command as received: its words and the client session that sent it, with helpers that parse arguments by
 * Redis' rules and throw {@link CommandException} with Redis' error text.
 *
 * @param table     the table the command was found in (for introspection commands such as {@code COMMAND})
 * @param session   the client that sent the command
 * @param arguments the command's words; index 0 is the name as the client spelled it
 */
public record CommandCall(CommandTable table, ClientSession session, List<byte[]> arguments) {

    /** @return the number of words, the name included */
    public int size() {
        return arguments.size();
    }

    /**
     * @param index the word's position
     * @return its bytes
     */
    public byte[] bytes(int index) {
        return arguments.get(index);
    }

    /**
     * @param index the word's position
     * @return the word decoded as UTF-8 (for options and names, never for values)
     */
    public String text(int index) {
        return new String(arguments.get(index), StandardCharsets.UTF_8);
    }

    /**
     * @param index the word's position
     * @param option an option name
     * @return whether the word is that option, ignoring case
     */
    public boolean is(int index, String option) {
        return text(index).equalsIgnoreCase(option);
    }

    /**
     * @param index the word's position
     * @return the word upper-cased, for {@code switch} on option names
     */
    public String option(int index) {
        return text(index).toUpperCase(Locale.ROOT);
    }

    /**
     * @param index the word's position
     * @return the word as a 64-bit integer
     * @throws CommandException {@code ERR value is not an integer or out of range} otherwise
     */
    public long integer(int index) {
        byte[] word = arguments.get(index);
        long value = RespIntegers.parse(word);
        if (value == RespIntegers.INVALID && !RespIntegers.isInteger(word)) {
            throw CommandException.notAnInteger();
        }
        return value;
    }
}
