package dev.asyncio.sample.kv.command;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.asyncio.sample.kv.resp.ReplyBuffer;

/**
 * The commands the key-value server understands, looked up by name ignoring case, and the checks Redis makes before
 * running any of them: unknown command, wrong number of arguments, and {@code OOM} for writes above the memory limit.
 * Every reply and error text matches what Redis 7 answers for the same input.
 *
 * <p>Immutable after construction; {@link #execute} runs on the loop thread of the connection (the store it reaches
 * is confined to that thread).
 */
public final class CommandTable {

    private final ServerState server;
    private final Map<String, CommandSpec> commands;

    private CommandTable(ServerState server, List<CommandSpec> specs) {
        this.server = server;
        Map<String, CommandSpec> byName = new LinkedHashMap<>();
        for (CommandSpec spec : specs) {
            if (byName.put(spec.name(), spec) != null) {
                throw new IllegalArgumentException("command registered twice: " + spec.name());
            }
        }
        this.commands = Collections.unmodifiableMap(byName);
    }

    /**
     * @param server the server the commands act on
     * @return the table with every supported command: strings, keys, connection and server introspection
     */
    public static CommandTable standard(ServerState server) {
        List<CommandSpec> specs = new ArrayList<>();
        specs.addAll(StringCommands.specs(server));
        specs.addAll(KeyCommands.specs(server));
        specs.addAll(ConnectionCommands.specs(server));
        specs.addAll(ServerCommands.specs(server));
        specs.add(Authentication.spec(server));
        return new CommandTable(server, specs);
    }

    /** @return the commands in registration order */
    public Collection<CommandSpec> commands() {
        return commands.values();
    }

    /**
     * @param name a command name in any case
     * @return its spec, or {@code null}
     */
    public CommandSpec find(String name) {
        return commands.get(name.toLowerCase(Locale.ROOT));
    }

    /** @return the server the commands act on */
    public ServerState server() {
        return server;
    }

    /**
     * Runs one command and writes exactly one reply.
     *
     * @param session   the client that sent it
     * @param arguments the command's words, at least one
     * @param reply     where the reply goes
     */
    public void execute(ClientSession session, List<byte[]> arguments, ReplyBuffer reply) {
        server.commandProcessed();
        String given = new String(arguments.get(0), StandardCharsets.UTF_8);
        CommandSpec spec = find(given);
        if (spec == null) {
            reply.error(unknownCommand(given, arguments));
            return;
        }
        session.commandStarted(spec.name(), server.store().now());
        if (server.requiresPassword() && !session.authenticated() && !Authentication.allowedBefore(spec.name())) {
            reply.error(Authentication.NOAUTH);
            return;
        }
        if (!spec.acceptsArity(arguments.size())) {
            reply.error(CommandException.arity(spec.name()).getMessage());
            return;
        }
        if (spec.denyOom() && server.usedMemory() > server.maxMemory()) {
            reply.error("OOM command not allowed when used memory > 'maxmemory'.");
            return;
        }
        try {
            spec.handler().execute(new CommandCall(this, session, arguments), reply);
        } catch (CommandException e) {
            reply.error(e.getMessage());
        }
    }

    /** Redis 7's text: the name and up to 128 characters of quoted arguments, each followed by a blank. */
    private static String unknownCommand(String given, List<byte[]> arguments) {
        StringBuilder args = new StringBuilder();
        for (int i = 1; i < arguments.size() && args.length() < 128; i++) {
            String arg = new String(arguments.get(i), StandardCharsets.UTF_8);
            int room = 128 - args.length();
            args.append('\'').append(arg, 0, Math.min(arg.length(), room)).append("' ");
        }
        String name = given.length() > 128 ? given.substring(0, 128) : given;
        return "ERR unknown command '" + name + "', with args beginning with: " + args;
    }
}
