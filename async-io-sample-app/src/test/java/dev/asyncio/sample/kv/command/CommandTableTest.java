package dev.asyncio.sample.kv.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.asyncio.sample.kv.KeyValueStore;
import dev.asyncio.sample.kv.resp.ReplyBuffer;

/** Replies and error texts compared with what Redis 7 answers for the same commands. */
class CommandTableTest {

    private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
    private final KeyValueStore store = new KeyValueStore(clock::get);
    private final ServerState server = new ServerState(store, 1024 * 1024);
    private final CommandTable table = CommandTable.standard(server);
    private final ClientSession session = new ClientSession("127.0.0.1:50000", "127.0.0.1:6380", clock.get());

    private String run(String... words) {
        List<byte[]> args = new ArrayList<>();
        for (String w : words) {
            args.add(w.getBytes(StandardCharsets.UTF_8));
        }
        ReplyBuffer reply = new ReplyBuffer(1 << 20);
        table.execute(session, args, reply);
        return new String(reply.take(), StandardCharsets.UTF_8);
    }

    @Test
    void ping() {
        assertThat(run("PING")).isEqualTo("+PONG\r\n");
        assertThat(run("ping", "hello")).isEqualTo("$5\r\nhello\r\n");
        assertThat(run("PING", "a", "b")).isEqualTo("-ERR wrong number of arguments for 'ping' command\r\n");
    }

    @Test
    void echo() {
        assertThat(run("ECHO", "hi")).isEqualTo("$2\r\nhi\r\n");
        assertThat(run("ECHO")).isEqualTo("-ERR wrong number of arguments for 'echo' command\r\n");
    }

    @Test
    void unknownCommandQuotesItsArguments() {
        assertThat(run("FOO", "a", "b"))
                .isEqualTo("-ERR unknown command 'FOO', with args beginning with: 'a' 'b' \r\n");
        assertThat(run("bar")).isEqualTo("-ERR unknown command 'bar', with args beginning with: \r\n");
        assertThat(run("x", "line\r\nbreak")).isEqualTo(
                "-ERR unknown command 'x', with args beginning with: 'line  break' \r\n");
    }

    @Test
    void setAndGet() {
        assertThat(run("GET", "k")).isEqualTo("$-1\r\n");
        assertThat(run("SET", "k", "v")).isEqualTo("+OK\r\n");
        assertThat(run("get", "k")).isEqualTo("$1\r\nv\r\n");
        assertThat(run("SET", "k")).isEqualTo("-ERR wrong number of arguments for 'set' command\r\n");
        assertThat(run("GET", "a", "b")).isEqualTo("-ERR wrong number of arguments for 'get' command\r\n");
    }

    @Test
    void setNxXx() {
        assertThat(run("SET", "k", "1", "XX")).isEqualTo("$-1\r\n");
        assertThat(run("SET", "k", "1", "NX")).isEqualTo("+OK\r\n");
        assertThat(run("SET", "k", "2", "NX")).isEqualTo("$-1\r\n");
        assertThat(run("SET", "k", "3", "xx")).isEqualTo("+OK\r\n");
        assertThat(run("GET", "k")).isEqualTo("$1\r\n3\r\n");
        assertThat(run("SET", "k", "4", "NX", "XX")).isEqualTo("-ERR syntax error\r\n");
        assertThat(run("SET", "k", "4", "BOGUS")).isEqualTo("-ERR syntax error\r\n");
        assertThat(run("SET", "k", "5", "GET")).isEqualTo("$1\r\n3\r\n");
    }

    @Test
    void setWithExpiry() {
        assertThat(run("SET", "k", "v", "EX", "10")).isEqualTo("+OK\r\n");
        assertThat(run("TTL", "k")).isEqualTo(":10\r\n");
        assertThat(run("PTTL", "k")).isEqualTo(":10000\r\n");
        clock.addAndGet(9_400);
        assertThat(run("TTL", "k")).isEqualTo(":1\r\n");
        clock.addAndGet(600);
        assertThat(run("GET", "k")).isEqualTo("$1\r\nv\r\n");
        clock.addAndGet(1);
        assertThat(run("GET", "k")).isEqualTo("$-1\r\n");
        assertThat(run("TTL", "k")).isEqualTo(":-2\r\n");

        assertThat(run("SET", "k", "v", "PX", "1500")).isEqualTo("+OK\r\n");
        assertThat(run("PTTL", "k")).isEqualTo(":1500\r\n");
        assertThat(run("SET", "k", "w", "KEEPTTL")).isEqualTo("+OK\r\n");
        assertThat(run("PTTL", "k")).isEqualTo(":1500\r\n");
        assertThat(run("SET", "k", "w")).isEqualTo("+OK\r\n");
        assertThat(run("TTL", "k")).isEqualTo(":-1\r\n");
    }

    @Test
    void setRejectsBadExpiry() {
        assertThat(run("SET", "k", "v", "EX", "0")).isEqualTo("-ERR invalid expire time in 'set' command\r\n");
        assertThat(run("SET", "k", "v", "PX", "-5")).isEqualTo("-ERR invalid expire time in 'set' command\r\n");
        assertThat(run("SET", "k", "v", "EX", "9223372036854775807"))
                .isEqualTo("-ERR invalid expire time in 'set' command\r\n");
        assertThat(run("SET", "k", "v", "EX", "ten")).isEqualTo("-ERR value is not an integer or out of range\r\n");
        assertThat(run("SET", "k", "v", "EX")).isEqualTo("-ERR syntax error\r\n");
        assertThat(run("SET", "k", "v", "EX", "10", "PX", "100")).isEqualTo("-ERR syntax error\r\n");
        assertThat(run("SET", "k", "v", "EX", "10", "KEEPTTL")).isEqualTo("-ERR syntax error\r\n");
        assertThat(run("EXISTS", "k")).isEqualTo(":0\r\n");
    }

    @Test
    void incrementsAndDecrements() {
        assertThat(run("INCR", "n")).isEqualTo(":1\r\n");
        assertThat(run("INCRBY", "n", "41")).isEqualTo(":42\r\n");
        assertThat(run("DECR", "n")).isEqualTo(":41\r\n");
        assertThat(run("DECRBY", "n", "50")).isEqualTo(":-9\r\n");
        assertThat(run("GET", "n")).isEqualTo("$2\r\n-9\r\n");
        assertThat(run("INCRBY", "n", "x")).isEqualTo("-ERR value is not an integer or out of range\r\n");
        run("SET", "s", "abc");
        assertThat(run("INCR", "s")).isEqualTo("-ERR value is not an integer or out of range\r\n");
        run("SET", "s", " 1");
        assertThat(run("INCR", "s")).isEqualTo("-ERR value is not an integer or out of range\r\n");
        run("SET", "max", "9223372036854775807");
        assertThat(run("INCR", "max")).isEqualTo("-ERR increment or decrement would overflow\r\n");
        run("SET", "min", "-9223372036854775808");
        assertThat(run("DECR", "min")).isEqualTo("-ERR increment or decrement would overflow\r\n");
        assertThat(run("DECRBY", "n", "-9223372036854775808")).isEqualTo("-ERR decrement would overflow\r\n");
        assertThat(run("INCRBY", "n", "-9223372036854775808"))
                .isEqualTo("-ERR increment or decrement would overflow\r\n");
        run("SET", "z", "0");
        assertThat(run("INCRBY", "z", "-9223372036854775808")).isEqualTo(":-9223372036854775808\r\n");
    }

    @Test
    void incrementKeepsTheExpiry() {
        run("SET", "n", "1", "EX", "100");
        run("INCR", "n");
        assertThat(run("TTL", "n")).isEqualTo(":100\r\n");
    }

    @Test
    void multiGetAndSet() {
        assertThat(run("MSET", "a", "1", "b", "2")).isEqualTo("+OK\r\n");
        assertThat(run("MGET", "a", "nope", "b")).isEqualTo("*3\r\n$1\r\n1\r\n$-1\r\n$1\r\n2\r\n");
        assertThat(run("MSET", "a", "1", "b")).isEqualTo("-ERR wrong number of arguments for 'mset' command\r\n");
        assertThat(run("MSET")).isEqualTo("-ERR wrong number of arguments for 'mset' command\r\n");
    }

    @Test
    void delExistsDbsizeFlushall() {
        run("MSET", "a", "1", "b", "2", "c", "3");
        assertThat(run("EXISTS", "a", "a", "zz")).isEqualTo(":2\r\n");
        assertThat(run("DEL", "a", "zz")).isEqualTo(":1\r\n");
        assertThat(run("DBSIZE")).isEqualTo(":2\r\n");
        assertThat(run("FLUSHALL", "NOW")).isEqualTo("-ERR syntax error\r\n");
        assertThat(run("FLUSHALL", "ASYNC")).isEqualTo("+OK\r\n");
        assertThat(run("DBSIZE")).isEqualTo(":0\r\n");
        assertThat(run("DEL")).isEqualTo("-ERR wrong number of arguments for 'del' command\r\n");
    }

    @Test
    void expireAndTtl() {
        assertThat(run("EXPIRE", "k", "10")).isEqualTo(":0\r\n");
        run("SET", "k", "v");
        assertThat(run("TTL", "k")).isEqualTo(":-1\r\n");
        assertThat(run("EXPIRE", "k", "10", "XX")).isEqualTo(":0\r\n");
        assertThat(run("EXPIRE", "k", "10", "NX")).isEqualTo(":1\r\n");
        assertThat(run("EXPIRE", "k", "20", "NX")).isEqualTo(":0\r\n");
        assertThat(run("EXPIRE", "k", "5", "GT")).isEqualTo(":0\r\n");
        assertThat(run("EXPIRE", "k", "50", "GT")).isEqualTo(":1\r\n");
        assertThat(run("EXPIRE", "k", "60", "LT")).isEqualTo(":0\r\n");
        assertThat(run("EXPIRE", "k", "30", "LT")).isEqualTo(":1\r\n");
        assertThat(run("TTL", "k")).isEqualTo(":30\r\n");
        assertThat(run("EXPIRE", "k", "abc")).isEqualTo("-ERR value is not an integer or out of range\r\n");
        assertThat(run("EXPIRE", "k", "10", "NX", "XX"))
                .isEqualTo("-ERR NX and XX, GT or LT options at the same time are not compatible\r\n");
        assertThat(run("EXPIRE", "k", "10", "GT", "LT"))
                .isEqualTo("-ERR GT and LT options at the same time are not compatible\r\n");
        assertThat(run("EXPIRE", "k", "10", "SOON")).isEqualTo("-ERR Unsupported option SOON\r\n");
        assertThat(run("EXPIRE", "k", "9223372036854775807"))
                .isEqualTo("-ERR invalid expire time in 'expire' command\r\n");
        assertThat(run("EXPIRE", "k", "-1")).isEqualTo(":1\r\n");
        assertThat(run("EXISTS", "k")).isEqualTo(":0\r\n");
    }

    @Test
    void quitAsksToCloseAfterTheReply() {
        assertThat(run("QUIT")).isEqualTo("+OK\r\n");
        assertThat(session.closeAfterReply()).isTrue();
    }

    @Test
    void selectOnlyKnowsDatabaseZero() {
        assertThat(run("SELECT", "0")).isEqualTo("+OK\r\n");
        assertThat(run("SELECT", "1")).isEqualTo("-ERR DB index is out of range\r\n");
        assertThat(run("SELECT", "x")).isEqualTo("-ERR invalid DB index\r\n");
    }

    @Test
    void helloSpeaksResp2() {
        assertThat(run("HELLO")).startsWith("*14\r\n$6\r\nserver\r\n$5\r\nredis\r\n").contains("$5\r\nproto\r\n:2\r\n");
        assertThat(run("HELLO", "2", "SETNAME", "me")).startsWith("*14\r\n");
        assertThat(run("CLIENT", "GETNAME")).isEqualTo("$2\r\nme\r\n");
        assertThat(run("HELLO", "3")).isEqualTo("-NOPROTO unsupported protocol version\r\n");
        assertThat(run("HELLO", "x")).isEqualTo("-ERR Protocol version is not an integer or out of range\r\n");
        assertThat(run("HELLO", "2", "FOO")).isEqualTo("-ERR Syntax error in HELLO option 'FOO'\r\n");
    }

    @Test
    void client() {
        assertThat(run("CLIENT", "ID")).isEqualTo(":" + session.id() + "\r\n");
        assertThat(run("CLIENT", "GETNAME")).isEqualTo("$-1\r\n");
        assertThat(run("CLIENT", "SETNAME", "a b")).isEqualTo(
                "-ERR Client names cannot contain spaces, newlines or special characters.\r\n");
        assertThat(run("CLIENT", "SETNAME", "worker")).isEqualTo("+OK\r\n");
        assertThat(run("CLIENT", "SETINFO", "LIB-NAME", "jedis")).isEqualTo("+OK\r\n");
        assertThat(run("CLIENT", "SETINFO", "COLOR", "red")).isEqualTo("-ERR Unrecognized option 'COLOR'\r\n");
        assertThat(run("CLIENT", "INFO")).contains("name=worker").contains("lib-name=jedis").contains("resp=2");
        assertThat(run("CLIENT", "FLY")).isEqualTo("-ERR unknown subcommand 'FLY'. Try CLIENT HELP.\r\n");
        assertThat(run("client", "fly")).isEqualTo("-ERR unknown subcommand 'fly'. Try CLIENT HELP.\r\n");
        assertThat(run("CLIENT", "SETNAME")).isEqualTo(
                "-ERR wrong number of arguments for 'client|setname' command\r\n");
        assertThat(run("CLIENT")).isEqualTo("-ERR wrong number of arguments for 'client' command\r\n");
    }

    @Test
    void commandIntrospection() {
        int count = table.commands().size();
        assertThat(run("COMMAND", "COUNT")).isEqualTo(":" + count + "\r\n");
        assertThat(run("COMMAND")).startsWith("*" + count + "\r\n*10\r\n$3\r\nget\r\n:2\r\n");
        assertThat(run("COMMAND", "INFO", "set", "nope")).startsWith("*2\r\n*10\r\n$3\r\nset\r\n:-3\r\n")
                .endsWith("*-1\r\n");
        assertThat(run("COMMAND", "DOCS")).isEqualTo("*0\r\n");
        assertThat(run("COMMAND", "WHAT")).isEqualTo("-ERR unknown subcommand 'WHAT'. Try COMMAND HELP.\r\n");
    }

    @Test
    void configGetAnswersWhatBenchmarksAsk() {
        assertThat(run("CONFIG", "GET", "save")).isEqualTo("*2\r\n$4\r\nsave\r\n$0\r\n\r\n");
        assertThat(run("CONFIG", "GET", "appendonly")).isEqualTo("*2\r\n$10\r\nappendonly\r\n$2\r\nno\r\n");
        assertThat(run("CONFIG", "GET", "nothing")).isEqualTo("*0\r\n");
        assertThat(run("CONFIG", "SET", "a", "b")).isEqualTo("-ERR unknown subcommand 'SET'. Try CONFIG HELP.\r\n");
    }

    @Test
    void infoHasRedisSections() {
        run("SET", "k", "v", "EX", "100");
        String info = run("INFO");
        assertThat(info).contains("# Server\r\nredis_version:7.2.0\r\n").contains("# Keyspace\r\ndb0:keys=1,expires=1");
        assertThat(run("INFO", "keyspace")).doesNotContain("# Server");
    }

    @Test
    void writesAreRefusedAboveMaxMemory() {
        ServerState tiny = new ServerState(new KeyValueStore(clock::get), 200);
        CommandTable small = CommandTable.standard(tiny);
        ReplyBuffer reply = new ReplyBuffer(1 << 20);
        small.execute(session, List.of(bytes("SET"), bytes("k"), new byte[300]), reply);
        small.execute(session, List.of(bytes("SET"), bytes("k2"), bytes("v")), reply);
        small.execute(session, List.of(bytes("GET"), bytes("k2")), reply);
        small.execute(session, List.of(bytes("DEL"), bytes("k")), reply);
        small.execute(session, List.of(bytes("SET"), bytes("k2"), bytes("v")), reply);
        assertThat(new String(reply.take(), StandardCharsets.UTF_8)).startsWith("+OK\r\n")
                .endsWith("-OOM command not allowed when used memory > 'maxmemory'.\r\n$-1\r\n:1\r\n+OK\r\n");
    }

    /**
     * Data and client buffers are one account, as Redis' {@code used_memory}: with little data but unsent replies
     * and unfinished requests of clients over {@code maxmemory}, writes are refused (they used to succeed while the
     * heap held both); reads still work, and INFO shows the parts.
     */
    @Test
    void clientBuffersCountTowardsMaxMemory() {
        ServerState tiny = new ServerState(new KeyValueStore(clock::get), 10_000);
        AtomicLong clients = new AtomicLong();
        tiny.setClientMemory(clients::get);
        CommandTable small = CommandTable.standard(tiny);
        ReplyBuffer reply = new ReplyBuffer(1 << 20);
        small.execute(session, List.of(bytes("SET"), bytes("k"), bytes("v")), reply);
        clients.set(20_000);
        small.execute(session, List.of(bytes("SET"), bytes("k2"), bytes("v")), reply);
        small.execute(session, List.of(bytes("GET"), bytes("k")), reply);
        assertThat(new String(reply.take(), StandardCharsets.UTF_8)).isEqualTo(
                "+OK\r\n-OOM command not allowed when used memory > 'maxmemory'.\r\n$1\r\nv\r\n");
        small.execute(session, List.of(bytes("INFO"), bytes("memory")), reply);
        assertThat(new String(reply.take(), StandardCharsets.UTF_8))
                .contains("used_memory:" + (tiny.store().usedMemory() + 20_000) + "\r\n")
                .contains("used_memory_dataset:" + tiny.store().usedMemory() + "\r\n")
                .contains("mem_clients_normal:20000\r\n");
        clients.set(0);
        small.execute(session, List.of(bytes("SET"), bytes("k2"), bytes("v")), reply);
        assertThat(new String(reply.take(), StandardCharsets.UTF_8)).isEqualTo("+OK\r\n");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
