package dev.asyncio.sample.kv.command;

import java.util.List;

import dev.asyncio.sample.kv.resp.ReplyBuffer;

/**
 * The connection commands: {@code PING}, {@code ECHO}, {@code QUIT}, {@code SELECT}, {@code HELLO} (RESP2 only)
 * and {@code CLIENT} ({@code ID}, {@code GETNAME}, {@code SETNAME}, {@code SETINFO}, {@code INFO}, {@code LIST},
 * {@code HELP}), with Redis 7's replies and errors.
 */
final class ConnectionCommands {

    private ConnectionCommands() {
    }

    static List<CommandSpec> specs(ServerState server) {
        return List.of(
                new CommandSpec("ping", -1, List.of("fast"), 0, 0, 0, (call, reply) -> {
                    if (call.size() > 2) {
                        throw CommandException.arity("ping");
                    }
                    if (call.size() == 2) {
                        reply.bulk(call.bytes(1));
                    } else {
                        reply.simple("PONG");
                    }
                }),
                new CommandSpec("echo", 2, List.of("fast"), 0, 0, 0, (call, reply) -> reply.bulk(call.bytes(1))),
                new CommandSpec("quit", -1, List.of("fast"), 0, 0, 0, (call, reply) -> {
                    reply.simple("OK");
                    call.session().requestCloseAfterReply();
                }),
                new CommandSpec("select", 2, List.of("fast"), 0, 0, 0, (call, reply) -> {
                    long index = parseOr(call, 1, "ERR invalid DB index");
                    if (index != 0) {
                        throw new CommandException("ERR DB index is out of range");
                    }
                    reply.simple("OK");
                }),
                new CommandSpec("hello", -1, List.of("fast"), 0, 0, 0, (call, reply) -> hello(server, call, reply)),
                new CommandSpec("client", -2, List.of(), 0, 0, 0, (call, reply) -> client(server, call, reply)));
    }

    private static long parseOr(CommandCall call, int index, String error) {
        try {
            return call.integer(index);
        } catch (CommandException e) {
            throw new CommandException(error);
        }
    }

    /** HELLO [protover [AUTH user pass] [SETNAME name]]: only RESP2 is spoken; AUTH checks the password. */
    private static void hello(ServerState server, CommandCall call, ReplyBuffer reply) {
        int next = 1;
        if (call.size() >= 2) {
            long version = parseOr(call, next++, "ERR Protocol version is not an integer or out of range");
            if (version != 2) {
                // Redis speaks 2 and 3; this server speaks RESP2 only, and says so the way Redis refuses versions.
                throw new CommandException("NOPROTO unsupported protocol version");
            }
        }
        String name = null;
        boolean authenticates = false;
        for (int j = next; j < call.size(); j++) {
            int more = call.size() - 1 - j;
            if (call.is(j, "AUTH") && more >= 2) {
                Authentication.authenticate(server, call, j + 1, j + 2);
                authenticates = true;
                j += 2;
            } else if (call.is(j, "SETNAME") && more >= 1) {
                name = validName(call.text(++j));
            } else {
                throw new CommandException("ERR Syntax error in HELLO option '" + call.text(j) + "'");
            }
        }
        if (!authenticates && server.requiresPassword() && !call.session().authenticated()) {
            throw new CommandException(Authentication.HELLO_NOAUTH);
        }
        if (name != null) {
            call.session().setName(name);
        }
        reply.arrayHeader(14);
        reply.bulk("server").bulk("redis");
        reply.bulk("version").bulk(ServerState.REDIS_COMPATIBLE_VERSION);
        reply.bulk("proto").integer(2);
        reply.bulk("id").integer(call.session().id());
        reply.bulk("mode").bulk("standalone");
        reply.bulk("role").bulk("master");
        reply.bulk("modules").arrayHeader(0);
    }

    private static void client(ServerState server, CommandCall call, ReplyBuffer reply) {
        ClientSession session = call.session();
        String sub = call.option(1);
        switch (sub) {
            case "ID" -> {
                arity(call, 2, "client|id");
                reply.integer(session.id());
            }
            case "GETNAME" -> {
                arity(call, 2, "client|getname");
                reply.bulk(session.name().isEmpty() ? null : session.name());
            }
            case "SETNAME" -> {
                arity(call, 3, "client|setname");
                session.setName(validName(call.text(2)));
                reply.simple("OK");
            }
            case "SETINFO" -> {
                arity(call, 4, "client|setinfo");
                String value = call.text(3);
                switch (call.option(2)) {
                    case "LIB-NAME" -> {
                        if (!value.chars().allMatch(c -> c >= '!' && c <= '~')) {
                            throw new CommandException("ERR lib-name cannot contain spaces, newlines or special "
                                    + "characters.");
                        }
                        session.setLibraryName(value);
                    }
                    case "LIB-VER" -> {
                        if (!value.chars().allMatch(c -> c >= '!' && c <= '~')) {
                            throw new CommandException("ERR lib-ver cannot contain spaces, newlines or special "
                                    + "characters.");
                        }
                        session.setLibraryVersion(value);
                    }
                    default -> throw new CommandException("ERR Unrecognized option '" + call.text(2) + "'");
                }
                reply.simple("OK");
            }
            case "INFO" -> {
                arity(call, 2, "client|info");
                reply.bulk(describe(server, session, "client|info"));
            }
            case "LIST" -> reply.bulk(describe(server, session, "client|list"));
            case "HELP" -> {
                List<String> lines = List.of(
                        "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                        "GETNAME", "    Return the name of the current connection.",
                        "ID", "    Return the ID of the current connection.",
                        "INFO", "    Return information about the current client connection.",
                        "LIST", "    Return information about client connections.",
                        "SETINFO <option> <value>", "    Set client meta attr. Options are:",
                        "    * LIB-NAME: the client lib name.", "    * LIB-VER: the client lib version.",
                        "SETNAME <name>", "    Assign the name <name> to the current connection.",
                        "HELP", "    Print this help.");
                reply.arrayHeader(lines.size());
                lines.forEach(reply::simple);
            }
            default -> throw ServerCommands.unknownSubcommand(call);
        }
    }

    private static void arity(CommandCall call, int words, String fullName) {
        if (call.size() != words) {
            throw CommandException.arity(fullName);
        }
    }

    /** Redis' rule for client names: printable ASCII without blanks; an empty name clears it. */
    private static String validName(String name) {
        if (!name.chars().allMatch(c -> c >= '!' && c <= '~')) {
            throw new CommandException("ERR Client names cannot contain spaces, newlines or special characters.");
        }
        return name;
    }

    /** One line of CLIENT LIST / CLIENT INFO with the fields this server knows, in Redis' order. */
    private static String describe(ServerState server, ClientSession s, String command) {
        long now = server.store().now();
        return "id=" + s.id() + " addr=" + s.address() + " laddr=" + s.localAddress() + " fd=-1 name=" + s.name()
                + " age=" + (now - s.createdAt()) / 1000 + " idle=0 flags=N db=0 sub=0 psub=0 ssub=0 multi=-1"
                + " cmd=" + command + " user=default lib-name=" + s.libraryName() + " lib-ver="
                + s.libraryVersion() + " resp=2\n";
    }
}
