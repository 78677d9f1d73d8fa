package dev.asyncio.sample.kv.command;

import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.asyncio.sample.kv.KeyValueStore;
import dev.asyncio.sample.kv.resp.ReplyBuffer;
import dev.asyncio.sample.kv.resp.RespIntegers;

/**
 * The string commands: {@code GET}, {@code SET} (with {@code EX PX EXAT PXAT NX XX KEEPTTL GET}), {@code MGET},
 * {@code MSET}, {@code INCR}, {@code INCRBY}, {@code DECR}, {@code DECRBY}, with Redis 7's replies and errors.
 */
final class StringCommands {

    private StringCommands() {
    }

    static List<CommandSpec> specs(ServerState server) {
        KeyValueStore store = server.store();
        return List.of(
                new CommandSpec("get", 2, List.of("readonly", "fast"), 1, 1, 1,
                        (call, reply) -> reply.bulk(store.get(call.bytes(1)))),
                new CommandSpec("set", -3, List.of("write", "denyoom"), 1, 1, 1,
                        (call, reply) -> set(store, call, reply)),
                new CommandSpec("mget", -2, List.of("readonly", "fast"), 1, -1, 1,
                        (call, reply) -> {
                            reply.arrayHeader(call.size() - 1);
                            for (int i = 1; i < call.size(); i++) {
                                reply.bulk(store.get(call.bytes(i)));
                            }
                        }),
                new CommandSpec("mset", -3, List.of("write", "denyoom"), 1, -1, 2,
                        (call, reply) -> {
                            if (call.size() % 2 == 0) {
                                throw CommandException.arity("mset");
                            }
                            for (int i = 1; i < call.size(); i += 2) {
                                store.set(call.bytes(i), call.bytes(i + 1), KeyValueStore.NO_EXPIRY, false);
                            }
                            reply.simple("OK");
                        }),
                new CommandSpec("incr", 2, List.of("write", "denyoom", "fast"), 1, 1, 1,
                        (call, reply) -> reply.integer(add(store, call.bytes(1), 1))),
                new CommandSpec("decr", 2, List.of("write", "denyoom", "fast"), 1, 1, 1,
                        (call, reply) -> reply.integer(add(store, call.bytes(1), -1))),
                new CommandSpec("incrby", 3, List.of("write", "denyoom", "fast"), 1, 1, 1,
                        (call, reply) -> reply.integer(add(store, call.bytes(1), call.integer(2)))),
                new CommandSpec("decrby", 3, List.of("write", "denyoom", "fast"), 1, 1, 1,
                        (call, reply) -> {
                            long decrement = call.integer(2);
                            if (decrement == Long.MIN_VALUE) {
                                throw new CommandException("ERR decrement would overflow");
                            }
                            reply.integer(add(store, call.bytes(1), -decrement));
                        }));
    }

    /** SET key value [NX | XX] [GET] [EX s | PX ms | EXAT s | PXAT ms | KEEPTTL], parsed as Redis 7 does. */
    private static void set(KeyValueStore store, CommandCall call, ReplyBuffer reply) {
        boolean nx = false;
        boolean xx = false;
        boolean get = false;
        boolean keepTtl = false;
        String expireUnit = null;
        int expireIndex = -1;
        for (int i = 3; i < call.size(); i++) {
            boolean hasNext = i + 1 < call.size();
            String option = call.option(i);
            switch (option) {
                case "NX" -> {
                    if (xx) {
                        throw CommandException.syntax();
                    }
                    nx = true;
                }
                case "XX" -> {
                    if (nx) {
                        throw CommandException.syntax();
                    }
                    xx = true;
                }
                case "GET" -> get = true;
                case "KEEPTTL" -> {
                    if (expireUnit != null) {
                        throw CommandException.syntax();
                    }
                    keepTtl = true;
                }
                case "EX", "PX", "EXAT", "PXAT" -> {
                    if (keepTtl || (expireUnit != null && !expireUnit.equals(option)) || !hasNext) {
                        throw CommandException.syntax();
                    }
                    expireUnit = option;
                    expireIndex = ++i;
                }
                default -> throw CommandException.syntax();
            }
        }
        long expiresAt = KeyValueStore.NO_EXPIRY;
        if (expireUnit != null) {
            expiresAt = expiryTime(store, call, expireUnit, expireIndex);
        }
        byte[] key = call.bytes(1);
        byte[] old = store.get(key);
        boolean write = !(nx && old != null) && !(xx && old == null);
        if (write) {
            store.set(key, call.bytes(2), expiresAt, keepTtl);
        }
        if (get) {
            reply.bulk(old);
        } else if (write) {
            reply.simple("OK");
        } else {
            reply.nullBulk();
        }
    }

    private static long expiryTime(KeyValueStore store, CommandCall call, String unit, int index) {
        long value = call.integer(index);
        boolean seconds = unit.equals("EX") || unit.equals("EXAT");
        if (value <= 0 || (seconds && value > Long.MAX_VALUE / 1000)) {
            throw invalidExpireTime("set");
        }
        long millis = seconds ? value * 1000 : value;
        if (unit.equals("EX") || unit.equals("PX")) {
            long now = store.now();
            if (millis > Long.MAX_VALUE - now) {
                throw invalidExpireTime("set");
            }
            millis += now;
        }
        return millis;
    }

    static CommandException invalidExpireTime(String command) {
        return new CommandException("ERR invalid expire time in '" + command + "' command");
    }

    /** INCRBY's core: the stored value must be a 64-bit integer by Redis' rules; the key keeps its expiry time. */
    private static long add(KeyValueStore store, byte[] key, long increment) {
        byte[] current = store.get(key);
        long value = 0;
        if (current != null) {
            value = RespIntegers.parse(current);
            if (value == RespIntegers.INVALID && !RespIntegers.isInteger(current)) {
                throw CommandException.notAnInteger();
            }
        }
        if ((increment < 0 && value < 0 && increment < Long.MIN_VALUE - value)
                || (increment > 0 && value > 0 && increment > Long.MAX_VALUE - value)) {
            throw new CommandException("ERR increment or decrement would overflow");
        }
        long result = value + increment;
        store.set(key, Long.toString(result).getBytes(StandardCharsets.US_ASCII), KeyValueStore.NO_EXPIRY, true);
        return result;
    }
}
