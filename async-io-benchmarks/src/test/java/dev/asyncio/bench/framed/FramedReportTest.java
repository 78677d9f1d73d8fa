package dev.asyncio.bench.framed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The framed report: medians, per-round ratios, the target verdicts and left-out lines. */
class FramedReportTest {

    private static String line(int round, String server, String cell, int rate, int p99, int errors) {
        return round + "\t" + server + "\t" + cell + "\tmsgs/s=" + rate + " MB/s=1.0 p50_us=10 p99_us=" + p99
                + " p999_us=90 errors=" + errors;
    }

    @Test
    void ratiosAreMediansOfRatiosWithinARound() {
        FramedReport r = FramedReport.parse(List.of(
                line(1, "async-io", "c64x1", 100, 50, 0), line(1, "netty-nio", "c64x1", 50, 100, 0),
                line(2, "async-io", "c64x1", 300, 50, 0), line(2, "netty-nio", "c64x1", 200, 50, 0),
                line(3, "async-io", "c64x1", 90, 50, 0), line(3, "netty-nio", "c64x1", 100, 25, 0)));
        // Round ratios 2.0, 1.5, 0.9: the median is 1.5 (the median of the rates would give 100 / 100 = 1.0).
        assertThat(r.ratio("netty-nio", "c64x1", false)).isEqualTo(1.5);
        assertThat(r.ratio("netty-nio", "c64x1", true)).isEqualTo(1.0);
        String md = r.markdown(List.of("machine: test"));
        assertThat(md).contains("- machine: test")
                .contains("## c64x1: 64 connections, 1 frame in flight each")
                .contains("| netty-nio | 100 | 50–200 | 50 | 1.50× | 1.00× |")
                .contains("| c64x1 | netty-nio | 1.50× | 1.00× | met |");
    }

    @Test
    void aP99AtTheHistogramCapHasNoRatio() {
        FramedReport r = FramedReport.parse(List.of(
                line(1, "async-io", "c64x1", 100, 4096, 0), line(1, "netty-nio", "c64x1", 100, 900, 0)));
        assertThat(r.ratio("netty-nio", "c64x1", true)).isNaN();
        assertThat(r.markdown(List.of())).contains("| async-io | 100 | 100–100 | ≥ 4096 |  |  |")
                .contains("| c64x1 | netty-nio | 1.00× | – | round trips met; p99 at the histogram's cap, not compared |");
    }

    @Test
    void missedTargetsSayByHowMuchAndErrorsAreLeftOut() {
        FramedReport r = FramedReport.parse(List.of(
                line(1, "async-io", "c1x1", 80, 30, 0), line(1, "netty-epoll", "c1x1", 100, 20, 0),
                line(1, "netty-io_uring", "c1x1", 100, 20, 3), "1\tnetty-nio\tc1x1\tcrashed=1 errors=1"));
        String md = r.markdown(List.of());
        assertThat(md).contains("| c1x1 | netty-epoll | 0.80× | 1.50× | missed: round trips 20 % short, p99 50 % higher |")
                .doesNotContain("| c1x1 | netty-io_uring |")
                .contains("## Left out (errors or no result)")
                .contains("round 1 netty-io_uring c1x1: msgs/s=100");
    }
}
