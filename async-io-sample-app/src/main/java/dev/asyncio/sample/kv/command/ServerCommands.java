package dev.asyncio.sample.kv.command;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.asyncio.sample.kv.KeyValueStore;
import dev.asyncio.sample.kv.resp.ReplyBuffer;

/**
 * The introspection commands clients and tools send on connect: {@code COMMAND} ({@code COUNT}, {@code LIST},
 * {@code INFO}, {@code DOCS}, {@code HELP}), {@code INFO} and {@code CONFIG GET}. Enough for {@code redis-cli} and
 * {@code redis-benchmark} to work without warnings; replies have Redis 7's shapes.
 */
final class ServerCommands {

    /** The configuration parameters {@code CONFIG GET} reports; {@code redis-benchmark} reads the first two. */
    private static final Map<String, String> CONFIG = new LinkedHashMap<>();

    static {
        CONFIG.put("save", "");
        CONFIG.put("appendonly", "no");
        CONFIG.put("databases", "1");
        CONFIG.put("maxmemory-policy", "noeviction");
    }

    private ServerCommands() {
    }

    static List<CommandSpec> specs(ServerState server) {
        return List.of(
                new CommandSpec("command", -1, List.of("loading", "stale"), 0, 0, 0, ServerCommands::command),
                new CommandSpec("info", -1, List.of("loading", "stale"), 0, 0, 0,
                        (call, reply) -> reply.bulk(info(server, call))),
                new CommandSpec("config", -2, List.of(), 0, 0, 0, (call, reply) -> config(server, call, reply)));
    }

    static CommandException unknownSubcommand(CommandCall call) {
        return new CommandException("ERR unknown subcommand '" + truncate(call.text(1)) + "'. Try "
                + call.text(0).toUpperCase(Locale.ROOT) + " HELP.");
    }

    private static String truncate(String text) {
        return text.length() > 128 ? text.substring(0, 128) : text;
    }

    private static void command(CommandCall call, ReplyBuffer reply) {
        CommandTable table = call.table();
        if (call.size() == 1) {
            reply.arrayHeader(table.commands().size());
            table.commands().forEach(spec -> commandInfo(spec, reply));
            return;
        }
        switch (call.option(1)) {
            case "COUNT" -> {
                if (call.size() != 2) {
                    throw CommandException.arity("command|count");
                }
                reply.integer(table.commands().size());
            }
            case "LIST" -> {
                reply.arrayHeader(table.commands().size());
                table.commands().forEach(spec -> reply.bulk(spec.name()));
            }
            case "INFO" -> {
                if (call.size() == 2) {
                    reply.arrayHeader(table.commands().size());
                    table.commands().forEach(spec -> commandInfo(spec, reply));
                    return;
                }
                reply.arrayHeader(call.size() - 2);
                for (int i = 2; i < call.size(); i++) {
                    CommandSpec spec = table.find(call.text(i));
                    if (spec == null) {
                        reply.nullArray();
                    } else {
                        commandInfo(spec, reply);
                    }
                }
            }
            // No documentation is served: clients such as redis-cli then fall back to their built-in help.
            case "DOCS" -> reply.arrayHeader(0);
            case "HELP" -> {
                List<String> lines = List.of(
                        "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                        "(no subcommand)", "    Return details about all commands.",
                        "COUNT", "    Return the total number of commands in this server.",
                        "LIST", "    Return a list of all commands in this server.",
                        "INFO [<command-name> ...]", "    Return details about multiple commands.",
                        "DOCS [<command-name> ...]", "    Return documentation details about multiple commands.",
                        "HELP", "    Print this help.");
                reply.arrayHeader(lines.size());
                lines.forEach(reply::simple);
            }
            default -> throw unknownSubcommand(call);
        }
    }

    /**
     * Redis 7's ten-element command info: name, arity, flags, first key, last key, step, ACL categories, tips, key
     * specs, subcommands.
     */
    private static void commandInfo(CommandSpec spec, ReplyBuffer reply) {
        reply.arrayHeader(10);
        reply.bulk(spec.name());
        reply.integer(spec.arity());
        reply.arrayHeader(spec.flags().size());
        spec.flags().forEach(reply::simple);
        reply.integer(spec.firstKey());
        reply.integer(spec.lastKey());
        reply.integer(spec.step());
        reply.arrayHeader(0);
        reply.arrayHeader(0);
        reply.arrayHeader(0);
        reply.arrayHeader(0);
    }

    private static void config(ServerState server, CommandCall call, ReplyBuffer reply) {
        String sub = call.option(1);
        if (sub.equals("GET")) {
            if (call.size() < 3) {
                throw CommandException.arity("config|get");
            }
            Map<String, String> found = new LinkedHashMap<>();
            for (int i = 2; i < call.size(); i++) {
                String pattern = call.text(i).toLowerCase(Locale.ROOT);
                CONFIG.forEach((name, value) -> {
                    if (pattern.equals("*") || pattern.equals(name)) {
                        found.put(name, value);
                    }
                });
                if (pattern.equals("*") || pattern.equals("maxmemory")) {
                    found.put("maxmemory", Long.toString(server.maxMemory()));
                }
                if (pattern.equals("*") || pattern.equals("port")) {
                    found.put("port", Integer.toString(server.port()));
                }
            }
            reply.arrayHeader(found.size() * 2);
            found.forEach((name, value) -> reply.bulk(name).bulk(value));
        } else if (sub.equals("HELP")) {
            List<String> lines = List.of(
                    "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                    "GET <pattern>", "    Return parameters matching the glob-like <pattern> and their values.",
                    "HELP", "    Print this help.");
            reply.arrayHeader(lines.size());
            lines.forEach(reply::simple);
        } else {
            throw unknownSubcommand(call);
        }
    }

    /** INFO [section ...]: the server, clients, memory, stats and keyspace sections in Redis' text format. */
    private static String info(ServerState server, CommandCall call) {
        List<String> wanted = new java.util.ArrayList<>();
        for (int i = 1; i < call.size(); i++) {
            wanted.add(call.text(i).toLowerCase(Locale.ROOT));
        }
        boolean all = wanted.isEmpty() || wanted.contains("all") || wanted.contains("everything")
                || wanted.contains("default");
        KeyValueStore store = server.store();
        long now = store.now();
        StringBuilder out = new StringBuilder();
        if (all || wanted.contains("server")) {
            long uptime = (now - server.startedAt()) / 1000;
            section(out, "Server")
                    .append("redis_version:").append(ServerState.REDIS_COMPATIBLE_VERSION).append("\r\n")
                    .append("redis_mode:standalone\r\n")
                    .append("server_name:async-io-kv\r\n")
                    .append("os:").append(System.getProperty("os.name")).append(' ')
                    .append(System.getProperty("os.arch")).append("\r\n")
                    .append("process_id:").append(ManagementFactory.getRuntimeMXBean().getPid()).append("\r\n")
                    .append("tcp_port:").append(server.port()).append("\r\n")
                    .append("uptime_in_seconds:").append(uptime).append("\r\n")
                    .append("uptime_in_days:").append(uptime / 86400).append("\r\n");
        }
        if (all || wanted.contains("clients")) {
            section(out, "Clients")
                    .append("connected_clients:").append(server.snapshotConnectedClients()).append("\r\n");
        }
        if (all || wanted.contains("memory")) {
            section(out, "Memory")
                    .append("used_memory:").append(server.usedMemory()).append("\r\n")
                    .append("used_memory_dataset:").append(store.usedMemory()).append("\r\n")
                    .append("mem_clients_normal:").append(server.clientMemory()).append("\r\n")
                    .append("maxmemory:").append(server.maxMemory()).append("\r\n")
                    .append("maxmemory_policy:noeviction\r\n");
        }
        if (all || wanted.contains("stats")) {
            section(out, "Stats")
                    .append("total_connections_received:").append(server.totalConnections()).append("\r\n")
                    .append("total_commands_processed:").append(server.totalCommands()).append("\r\n")
                    .append("rejected_connections:").append(server.rejectedConnections()).append("\r\n")
                    .append("client_output_buffer_limit_disconnections:")
                    .append(server.outputLimitDisconnections()).append("\r\n")
                    .append("client_output_budget_disconnections:").append(server.outputBudgetDisconnections())
                    .append("\r\n")
                    .append("request_deadline_disconnections:").append(server.requestDeadlineDisconnections())
                    .append("\r\n")
                    .append("pending_request_budget_disconnections:").append(server.pendingBudgetDisconnections())
                    .append("\r\n")
                    .append("expired_keys:").append(store.expiredKeys()).append("\r\n");
        }
        if (all || wanted.contains("keyspace")) {
            section(out, "Keyspace");
            if (store.size() > 0) {
                out.append("db0:keys=").append(store.size()).append(",expires=").append(store.expiringSize())
                        .append(",avg_ttl=0\r\n");
            }
        }
        return out.toString();
    }

    private static StringBuilder section(StringBuilder out, String name) {
        if (out.length() > 0) {
            out.append("\r\n");
        }
        return out.append("# ").append(name).append("\r\n");
    }
}
