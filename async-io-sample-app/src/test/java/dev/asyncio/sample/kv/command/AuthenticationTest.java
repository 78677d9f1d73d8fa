package dev.asyncio.sample.kv.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.asyncio.sample.kv.KeyValueStore;
import dev.asyncio.sample.kv.resp.ReplyBuffer;

/** {@code requirepass} and {@code AUTH}, with Redis 7's replies. */
class AuthenticationTest {

    private final KeyValueStore store = new KeyValueStore(() -> 0L);
    private final ClientSession session = new ClientSession("10.0.0.9:50000", "10.0.0.1:6380", 0L);

    private static String run(CommandTable table, ClientSession session, String... words) {
        List<byte[]> args = new ArrayList<>();
        for (String w : words) {
            args.add(w.getBytes(StandardCharsets.UTF_8));
        }
        ReplyBuffer reply = new ReplyBuffer(1 << 20);
        table.execute(session, args, reply);
        return new String(reply.take(), StandardCharsets.UTF_8);
    }

    @Test
    void withAPasswordNothingButAuthHelloAndQuitRunsBeforeAuthentication() {
        CommandTable table = CommandTable.standard(new ServerState(store, 1 << 20, "s3cret"));
        assertThat(run(table, session, "SET", "k", "v")).isEqualTo("-NOAUTH Authentication required.\r\n");
        assertThat(run(table, session, "FLUSHALL")).isEqualTo("-NOAUTH Authentication required.\r\n");
        assertThat(run(table, session, "PING")).isEqualTo("-NOAUTH Authentication required.\r\n");
        assertThat(run(table, session, "HELLO", "2")).startsWith("-NOAUTH HELLO must be called");
        assertThat(run(table, session, "AUTH", "nope"))
                .isEqualTo("-WRONGPASS invalid username-password pair or user is disabled.\r\n");
        assertThat(run(table, session, "AUTH", "admin", "s3cret"))
                .as("only the default user exists").startsWith("-WRONGPASS");
        assertThat(run(table, session, "AUTH", "a", "b", "c")).isEqualTo("-ERR syntax error\r\n");
        assertThat(session.authenticated()).isFalse();
        assertThat(run(table, session, "AUTH", "s3cret")).isEqualTo("+OK\r\n");
        assertThat(run(table, session, "SET", "k", "v")).isEqualTo("+OK\r\n");
    }

    @Test
    void authWithTheDefaultUserAndHelloAuthAuthenticate() {
        CommandTable table = CommandTable.standard(new ServerState(store, 1 << 20, "s3cret"));
        assertThat(run(table, session, "AUTH", "default", "s3cret")).isEqualTo("+OK\r\n");
        ClientSession other = new ClientSession("10.0.0.9:50001", "10.0.0.1:6380", 0L);
        assertThat(run(table, other, "HELLO", "2", "AUTH", "default", "bad")).startsWith("-WRONGPASS");
        assertThat(run(table, other, "HELLO", "2", "AUTH", "default", "s3cret")).startsWith("*14\r\n");
        assertThat(run(table, other, "GET", "k")).isEqualTo("$-1\r\n");
    }

    @Test
    void withoutAPasswordAuthIsAnErrorAndEverythingRuns() {
        CommandTable table = CommandTable.standard(new ServerState(store, 1 << 20));
        assertThat(run(table, session, "PING")).isEqualTo("+PONG\r\n");
        assertThat(run(table, session, "AUTH", "x")).isEqualTo("-ERR AUTH <password> called without any password "
                + "configured for the default user. Are you sure your configuration is correct?\r\n");
        assertThat(run(table, session, "HELLO", "2", "AUTH", "default", "anything")).startsWith("*14\r\n");
    }
}
