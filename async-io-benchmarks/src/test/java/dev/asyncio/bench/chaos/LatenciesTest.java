package dev.asyncio.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Probe latency summaries (nearest-rank quantiles) and the /proc parsing the CPU figures rest on. */
class LatenciesTest {

    @Test
    void quantilesByNearestRank() {
        Latencies l = new Latencies();
        for (int ms = 100; ms >= 1; ms--) {
            l.probe(ms * 1_000_000L);
        }
        l.probe(-1);
        assertThat(l.count()).isEqualTo(100);
        assertThat(l.failures()).isEqualTo(1);
        assertThat(l.millis(0.5)).isEqualTo(50.0);
        assertThat(l.millis(0.99)).isEqualTo(99.0);
        assertThat(l.maxMillis()).isEqualTo(100.0);
        Outcome o = new Outcome();
        l.report(o, "echo");
        assertThat(o.figures()).containsEntry("echo_n", "100").containsEntry("echo_failed", "1")
                .containsEntry("echo_p50_ms", "50.0").containsEntry("echo_max_ms", "100.0");
    }

    @Test
    void withoutSamplesTheFiguresAreDashes() {
        Latencies l = new Latencies();
        l.fail();
        Outcome o = new Outcome();
        l.report(o, "kv");
        assertThat(o.figures()).containsEntry("kv_n", "0").containsEntry("kv_failed", "1")
                .containsEntry("kv_p50_ms", "-");
    }

    @Test
    void procStatWithSpacesAndParenthesesInTheCommandName() {
        String stat = "4711 (java (main) x) S 1 4711 4711 0 -1 4194560 1000 0 0 0 250 50 0 0 20 0 40 0 100 "
                + "1000000 5000 18446744073709551615";
        assertThat(ProcCpu.parseStat(stat)).isEqualTo(3.0); // (250 + 50) ticks at 100 per second
    }

    @Test
    void portBlocksDoNotOverlapAndStayInRange() {
        SamplePorts first = SamplePorts.block(25000, 0);
        SamplePorts second = SamplePorts.block(25000, 1);
        assertThat(first).isEqualTo(new SamplePorts(25000, 25001, 25002, 25003, 25004, 25005));
        assertThat(second.http()).isEqualTo(25010);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SamplePorts.block(65530, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--port-base");
    }
}
