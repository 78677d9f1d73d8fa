package dev.asyncio.sample.kv.command;

import java.util.List;

/**
 * A command of the {@link CommandTable}: its lower-case name, Redis' arity convention (positive = exactly that many
 * words including the name, negative = at least that many), the flags and key positions {@code COMMAND INFO}
 * reports, and its handler.
 *
 * @param name     lower-case name, e.g. {@code "set"}
 * @param arity    exact (positive) or minimum (negative) number of words
 * @param flags    Redis command flags, e.g. {@code write}, {@code denyoom}, {@code fast}
 * @param firstKey position of the first key argument, 0 when none
 * @param lastKey  position of the last key argument, -1 = the last argument
 * @param step     distance between keys
 * @param handler  runs the command
 */
public record CommandSpec(String name, int arity, List<String> flags, int firstKey, int lastKey, int step,
        CommandHandler handler) {

    /**
     * @param words the number of words in a call, the name included
     * @return whether the arity allows it
     */
    public boolean acceptsArity(int words) {
        return arity > 0 ? words == arity : words >= -arity;
    }

    /** @return whether the command may grow memory and is refused above {@code maxmemory} */
    public boolean denyOom() {
        return flags.contains("denyoom");
    }
}
