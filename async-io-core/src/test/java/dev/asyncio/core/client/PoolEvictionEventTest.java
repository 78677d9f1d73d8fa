package dev.asyncio.core.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** The listener hears each eviction of a pool with its reason, as the statistics count it. */
class PoolEvictionEventTest extends ClientTestSupport {

    /** Records the evictions' reasons and ports. */
    static final class Evictions implements ClientListener {
        final List<String> seen = new CopyOnWriteArrayList<>();

        @Override
        public void evicted(AsyncIoClient client, ClientAddress address, EvictionReason reason) {
            seen.add(reason + " " + address.port());
        }
    }

    private static ClientOptions.Builder pool(LineServer server, PoolOptions.Builder pool, Evictions evictions) {
        return lines(server.address()).mode(ClientMode.POOL).pool(pool.build()).listener(evictions);
    }

    @Test
    void anIdleConnectionEvictedIsTold() throws Exception {
        LineServer server = server("idle");
        Evictions evictions = new Evictions();
        AsyncIoClient c = client("idle", pool(server, PoolOptions.builder().idleTimeout(Duration.ofMillis(50))
                .evictionInterval(Duration.ofMillis(20)), evictions).build()).start();
        assertThat(ask(c, "one")).isEqualTo("one");
        await().until(() -> c.statistics().evictions() == 1);
        assertThat(evictions.seen).containsExactly("IDLE " + server.port());
    }

    @Test
    void anOldConnectionEvictedIsTold() throws Exception {
        LineServer server = server("old");
        Evictions evictions = new Evictions();
        AsyncIoClient c = client("old", pool(server, PoolOptions.builder().idleTimeout(null)
                .maxLifetime(Duration.ofMillis(50)).evictionInterval(Duration.ofMillis(20)), evictions).build())
                .start();
        assertThat(ask(c, "one")).isEqualTo("one");
        await().until(() -> c.statistics().evictions() >= 1);
        assertThat(evictions.seen).first().isEqualTo("LIFETIME " + server.port());
    }

    @Test
    void aConnectionThatFailsItsCheckIsTold() throws Exception {
        LineServer server = server("check");
        Evictions evictions = new Evictions();
        AtomicInteger checks = new AtomicInteger();
        AsyncIoClient c = client("check", pool(server, PoolOptions.builder()
                .connectionCheck(state -> checks.incrementAndGet() > 1), evictions).build()).start();
        assertThat(ask(c, "one")).isEqualTo("one");
        assertThat(ask(c, "two")).isEqualTo("two");   // the idle one fails its check: replaced
        assertThat(c.statistics().evictions()).isEqualTo(1);
        assertThat(evictions.seen).containsExactly("FAILED_CHECK " + server.port());
    }
}
