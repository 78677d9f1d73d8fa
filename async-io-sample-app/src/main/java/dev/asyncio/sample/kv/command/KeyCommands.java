package dev.asyncio.sample.kv.command;

import java.util.List;

import dev.asyncio.sample.kv.KeyValueStore;
import dev.asyncio.sample.kv.resp.ReplyBuffer;

/**
 * The keyspace commands: {@code DEL}, {@code EXISTS}, {@code EXPIRE} (with {@code NX XX GT LT}), {@code TTL},
 * {@code PTTL}, {@code DBSIZE}, {@code FLUSHALL} and {@code FLUSHDB}, with Redis 7's replies and errors.
 */
final class KeyCommands {

    private KeyCommands() {
    }

    static List<CommandSpec> specs(ServerState server) {
        KeyValueStore store = server.store();
        return List.of(
                new CommandSpec("del", -2, List.of("write"), 1, -1, 1, (call, reply) -> {
                    long removed = 0;
                    for (int i = 1; i < call.size(); i++) {
                        removed += store.delete(call.bytes(i)) ? 1 : 0;
                    }
                    reply.integer(removed);
                }),
                new CommandSpec("exists", -2, List.of("readonly", "fast"), 1, -1, 1, (call, reply) -> {
                    // Redis counts a key named twice twice.
                    long found = 0;
                    for (int i = 1; i < call.size(); i++) {
                        found += store.exists(call.bytes(i)) ? 1 : 0;
                    }
                    reply.integer(found);
                }),
                new CommandSpec("expire", -3, List.of("write", "fast"), 1, 1, 1,
                        (call, reply) -> expire(store, call, reply)),
                new CommandSpec("ttl", 2, List.of("readonly", "fast"), 1, 1, 1,
                        (call, reply) -> reply.integer(ttl(store, call.bytes(1), true))),
                new CommandSpec("pttl", 2, List.of("readonly", "fast"), 1, 1, 1,
                        (call, reply) -> reply.integer(ttl(store, call.bytes(1), false))),
                new CommandSpec("dbsize", 1, List.of("readonly", "fast"), 0, 0, 0,
                        (call, reply) -> reply.integer(store.size())),
                new CommandSpec("flushall", -1, List.of("write"), 0, 0, 0, (call, reply) -> flush(store, call, reply)),
                new CommandSpec("flushdb", -1, List.of("write"), 0, 0, 0, (call, reply) -> flush(store, call, reply)));
    }

    private static void flush(KeyValueStore store, CommandCall call, ReplyBuffer reply) {
        if (call.size() > 2 || (call.size() == 2 && !call.is(1, "ASYNC") && !call.is(1, "SYNC"))) {
            throw CommandException.syntax();
        }
        store.clear();
        reply.simple("OK");
    }

    /** Redis: -2 for a missing key, -1 for a key without expiry, else the rest rounded to the nearest second. */
    private static long ttl(KeyValueStore store, byte[] key, boolean seconds) {
        long expiresAt = store.expiresAt(key);
        if (expiresAt == -1) {
            return -2;
        }
        if (expiresAt == KeyValueStore.NO_EXPIRY) {
            return -1;
        }
        long rest = Math.max(0, expiresAt - store.now());
        return seconds ? (rest + 500) / 1000 : rest;
    }

    /** EXPIRE key seconds [NX | XX | GT | LT]: 1 when the timeout was set (or the key deleted), else 0. */
    private static void expire(KeyValueStore store, CommandCall call, ReplyBuffer reply) {
        boolean nx = false;
        boolean xx = false;
        boolean gt = false;
        boolean lt = false;
        for (int i = 3; i < call.size(); i++) {
            switch (call.option(i)) {
                case "NX" -> nx = true;
                case "XX" -> xx = true;
                case "GT" -> gt = true;
                case "LT" -> lt = true;
                default -> throw new CommandException("ERR Unsupported option " + call.text(i));
            }
        }
        if (nx && (xx || gt || lt)) {
            throw new CommandException("ERR NX and XX, GT or LT options at the same time are not compatible");
        }
        if (gt && lt) {
            throw new CommandException("ERR GT and LT options at the same time are not compatible");
        }
        long seconds = call.integer(2);
        if (seconds > Long.MAX_VALUE / 1000 || seconds < Long.MIN_VALUE / 1000) {
            throw StringCommands.invalidExpireTime("expire");
        }
        long now = store.now();
        long millis = seconds * 1000;
        if (millis > Long.MAX_VALUE - now) {
            throw StringCommands.invalidExpireTime("expire");
        }
        long when = millis + now;
        byte[] key = call.bytes(1);
        long current = store.expiresAt(key);
        if (current == -1) {
            reply.integer(0);
            return;
        }
        boolean persistent = current == KeyValueStore.NO_EXPIRY;
        // A key without expiry counts as an infinite TTL for GT and LT.
        if ((nx && !persistent) || (xx && persistent) || (gt && (persistent || when <= current))
                || (lt && !persistent && when >= current)) {
            reply.integer(0);
            return;
        }
        if (when <= now) {
            store.delete(key);
        } else {
            store.expireAt(key, when);
        }
        reply.integer(1);
    }
}
