package dev.asyncio.sample.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.asyncio.core.AcceptOptions;
import dev.asyncio.core.WaitStateCollection;
import dev.asyncio.sample.testing.ExternalTool;
import dev.asyncio.sample.testing.ExternalTool.Result;

/**
 * The real Redis tools against the key-value server: {@code redis-cli} and a short {@code redis-benchmark}
 * (2000 requests per test, a correctness check, not a measurement). Skipped where {@code redis-tools} is not
 * installed ({@code apt-get install redis-tools}).
 */
class RedisToolsTest {

    private WaitStateCollection collection;
    private KvConnectionFunction kv;
    private String port;

    @BeforeEach
    void start() {
        collection = WaitStateCollection.createAndRun("kv-tools-test");
        kv = new KvConnectionFunction(KvSettings.DEFAULTS);
        port = Integer.toString(collection.acceptTcpConnections(0, kv,
                AcceptOptions.builder().address("127.0.0.1").queueOutput(true).build()).localPort());
    }

    @AfterEach
    void stop() {
        kv.close();
        collection.close();
    }

    private Result cli(String... args) throws Exception {
        String[] command = new String[args.length + 5];
        command[0] = ExternalTool.find("redis-cli");
        command[1] = "-h";
        command[2] = "127.0.0.1";
        command[3] = "-p";
        command[4] = port;
        System.arraycopy(args, 0, command, 5, args.length);
        return ExternalTool.run(30, command);
    }

    @Test
    void redisCliWorks() throws Exception {
        assumeTrue(ExternalTool.find("redis-cli") != null, "redis-cli not installed (apt-get install redis-tools)");
        assertThat(cli("PING").output()).isEqualTo("PONG\n");
        assertThat(cli("SET", "tool", "works", "EX", "100").output()).isEqualTo("OK\n");
        assertThat(cli("GET", "tool").output()).isEqualTo("works\n");
        assertThat(cli("TTL", "tool").output()).isEqualTo("100\n");
        assertThat(cli("INCRBY", "n", "5").output()).isEqualTo("5\n");
        assertThat(cli("MSET", "a", "1", "b", "2").output()).isEqualTo("OK\n");
        assertThat(cli("MGET", "a", "b", "zz").output()).isEqualTo("1\n2\n\n");
        assertThat(cli("DBSIZE").output()).isEqualTo("4\n");
        assertThat(cli("INCR", "tool").output()).isEqualTo("ERR value is not an integer or out of range\n\n");
        assertThat(cli("INFO", "server").output()).contains("redis_version:");
    }

    @Test
    void redisBenchmarkRunsWithoutErrors() throws Exception {
        String benchmark = ExternalTool.find("redis-benchmark");
        assumeTrue(benchmark != null, "redis-benchmark not installed (apt-get install redis-tools)");
        Result r = ExternalTool.run(120, benchmark, "-h", "127.0.0.1", "-p", port, "-t", "ping,set,get,incr,mset",
                "-n", "2000", "-q");
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).doesNotContainIgnoringCase("error").doesNotContain("WARNING")
                .contains("PING_INLINE", "PING_MBULK", "SET", "GET", "INCR", "MSET (10 keys)")
                .contains("requests per second");
    }
}
