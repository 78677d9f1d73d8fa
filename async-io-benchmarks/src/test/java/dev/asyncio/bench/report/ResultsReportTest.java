package dev.asyncio.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The report renders the Unix-vs-TCP and the sendFile sections from {@code raw.tsv} lines as run.sh writes them
 * (round, server, cell, generator, key=value pairs): medians over rounds, the ratios, errors, and leaves both out of
 * a run that has neither phase.
 */
class ResultsReportTest {

    private static final List<String> UNIX = List.of(
            "1\tasync-io-direct\tunix-tcp-s1-c64\tjava\tmsgs/s=200000 p50_us=300 server_cpu_pct=99 errors=0 ",
            "2\tasync-io-direct\tunix-tcp-s1-c64\tjava\tmsgs/s=220000 p50_us=290 server_cpu_pct=98 errors=0 ",
            "3\tasync-io-direct\tunix-tcp-s1-c64\tjava\tmsgs/s=210000 p50_us=295 server_cpu_pct=97 errors=0 ",
            "1\tasync-io-direct\tunix-uds-s1-c64\tjava\tmsgs/s=840000 server_cpu_pct=95 errors=0 ",
            "2\tasync-io-direct\tunix-uds-s1-c64\tjava\tmsgs/s=860000 server_cpu_pct=96 errors=0 ",
            "3\tasync-io-direct\tunix-uds-s1-c64\tjava\tmsgs/s=820000 server_cpu_pct=94 errors=0 ",
            "1\tasync-io-direct\tunix-tcp-s4-c1\tjava\tMB/s=7000 errors=0 ",
            "1\tasync-io-direct\tunix-uds-s4-c1\tjava\tMB/s=10500 errors=0 ",
            "1\tasync-io\tunix-tcp-s4-c1\tjava\tMB/s=4000 errors=0 ",
            "1\tasync-io\tunix-uds-s4-c1\tjava\tcrashed=1 errors=1 ");

    private static final List<String> SENDFILE = List.of(
            "1\tasync-io\tsendfile\tjava\tMB/s=6000 wall_ms=179 bytes=1073741824 transfers=3 server_cpu_ms=120 "
                    + "client_cpu_ms=170 server_cpu_pct=67 client_cpu_pct=95 errors=0 ",
            "2\tasync-io\tsendfile\tjava\tMB/s=6200 wall_ms=173 bytes=1073741824 transfers=3 server_cpu_ms=118 "
                    + "client_cpu_ms=168 server_cpu_pct=68 client_cpu_pct=96 errors=0 ",
            "1\tnetty-nio\tsendfile\tjava\tMB/s=5000 wall_ms=215 bytes=1073741824 transfers=3 server_cpu_pct=70 "
                    + "errors=0 ",
            "2\tnetty-nio\tsendfile\tjava\tMB/s=5000 wall_ms=215 bytes=1073741824 transfers=3 server_cpu_pct=70 "
                    + "errors=0 ",
            "1\tnetty-epoll\tsendfile\tjava\tMB/s=4000 wall_ms=268 bytes=1073741824 transfers=3 errors=0 ",
            "1\tasync-io-copy\tsendfile\tjava\tMB/s=3000 wall_ms=358 bytes=1073741824 transfers=3 errors=1 ");

    @Test
    void rendersUnixVsTcpWithTheRatioPerRow() {
        String md = render(UNIX);
        assertThat(md).contains("## Unix domain socket vs TCP loopback\n");
        assertThat(md).contains("| direct buffers | `s1-c64` (msgs/s) | 210,000 (200,000–220,000) | "
                + "840,000 (820,000–860,000) | 3.91× | 98 / 95 | 0 |");
        assertThat(md).contains("| direct buffers | `s4-c1` (MB/s) | 7,000 (7,000–7,000) | 10,500 (10,500–10,500) | "
                + "1.50× |");
        // A crashed Unix run ("crashed 1 errors 1", counted as 2): no figure, no ratio, and its errors show.
        assertThat(md).contains("| `byte[]` | `s4-c1` (MB/s) | 4,000 (4,000–4,000) | – | – | – / – | **2** |");
        // The unix cells are not mistaken for the S1 and S4 tables of the echo phase.
        assertThat(md).doesNotContain("## S1:").doesNotContain("## S4:");
    }

    @Test
    void rendersSendFileWithRatiosToBothNettyTransports() {
        String md = render(SENDFILE);
        assertThat(md).contains("## sendFile of a 1 GiB file\n");
        assertThat(md).contains("| server | MB/s (median) | min–max | ms per transfer | server CPU % | client CPU % "
                + "| server CPU ms per transfer | timed transfers | errors | ÷ netty-nio | ÷ netty-epoll |");
        assertThat(md).contains("| async-io `sendFile` (`FileChannel.transferTo`) | 6,100 | 6,000–6,200 | 176 | "
                + "67.5 | 95.5 | 119 | 3 | 0 | 1.22× | 1.53× |");
        assertThat(md).contains("| Netty 4.2 NIO, `DefaultFileRegion` | 5,000 | 5,000–5,000 | 215 | 70 | – | – | 3 "
                + "| 0 | – | 1.25× |");
        assertThat(md).contains("| async-io, file read into direct buffers + `writeBuffer` (copy) | 3,000 | "
                + "3,000–3,000 | 358 | – | – | – | 3 | **1** | 0.60× | 0.75× |");
        // Rows in the fixed order: sendFile, copy, then Netty NIO and epoll.
        assertThat(md.indexOf("async-io `sendFile`")).isLessThan(md.indexOf("(copy)"));
        assertThat(md.indexOf("(copy)")).isLessThan(md.indexOf("Netty 4.2 NIO, `DefaultFileRegion`"));
    }

    @Test
    void aSmallerFileIsNamedInMebibytes() {
        String md = render(List.of("1\tasync-io\tsendfile\tjava\tMB/s=6000 bytes=67108864 transfers=1 errors=0 "));
        assertThat(md).contains("## sendFile of a 64 MiB file\n");
    }

    @Test
    void aRunWithoutThosePhasesHasNeitherSection() {
        String md = render(List.of("1\tasync-io\ts1-c64\tjava\tmsgs/s=200000 errors=0 "));
        assertThat(md).contains("## S1:").doesNotContain("Unix domain socket").doesNotContain("sendFile of")
                .doesNotContain("Targets (issue 11)");
    }

    @Test
    void theIssue11TargetsCompareTheDirectEchoWithEachServerAndSayByHowMuchOneIsMissed() {
        String md = render(List.of(
                "1\tasync-io-direct\ts4-c1\tjava\tMB/s=5000 errors=0 ",
                "1\tnetty-nio\ts4-c1\tjava\tMB/s=4000 errors=0 ",
                "1\tnetty-epoll\ts4-c1\tjava\tMB/s=5000 errors=0 ",
                "1\tc-epoll\ts4-c1\tjava\tMB/s=5500 errors=0 ",
                "1\tasync-io-direct\ts1-c1\tjava\tmsgs/s=50000 p99_us=30 errors=0 ",
                "1\tnetty-nio\ts1-c1\tjava\tmsgs/s=50000 p99_us=24 errors=0 ",
                "1\tasync-io-direct\ts4-c4\tjava\tMB/s=4000 server_cpu_pct=50 errors=0 ",
                "1\tnetty-nio\ts4-c4\tjava\tMB/s=4000 server_cpu_pct=100 errors=0 ",
                "1\tasync-io\tsendfile\tjava\tMB/s=6000 server_cpu_ms=60 errors=0 ",
                "1\tnetty-nio\tsendfile\tjava\tMB/s=5000 server_cpu_ms=66 errors=0 "));
        assertThat(md).contains("## Targets (issue 11)\n");
        assertThat(md).contains("| S4 1 connection (java): direct ≥ 1.0× Netty NIO | 5,000 vs 4,000 MB/s; ratio 1.25× | met |");
        assertThat(md).contains("| S4 1 connection (java): direct ≥ 1.0× Netty epoll | 5,000 vs 5,000 MB/s; ratio 1.00× | met |");
        assertThat(md).contains("| S4 1 connection (java): direct ≥ 0.95× C epoll | 5,000 vs 5,500 MB/s; ratio 0.91× | "
                + "**missed** by 4.3 % |");
        assertThat(md).contains("| S4 4 connections (java): direct ≥ 1.0× Netty NIO | 4,000 vs 4,000 MB/s; ratio 1.00× | met |");
        assertThat(md).contains("| S4 4 connections (java): direct ≥ 1.0× Netty epoll | not measured | – |");
        assertThat(md).contains("| S4 4 connections (java): MB per server CPU-second, direct ÷ Netty NIO | 8,000 vs "
                + "4,000 = 2.00× | reported |");
        assertThat(md).contains("From the echo phase");
        assertThat(md).contains("| S1 1 connection: direct p99 ≤ Netty NIO's | 30 vs 24 µs; ratio 1.25× | **missed** by 25.0 % |");
        assertThat(md).contains("| sendFile 1 GiB against Netty NIO's `DefaultFileRegion` | 6,000 vs 5,000 MB/s; "
                + "ratio 1.20×; server CPU 60 vs 66 ms per transfer | reported |");
        assertThat(md.indexOf("## Targets (issue 6)")).isLessThan(md.indexOf("## Targets (issue 11)"));
    }

    @Test
    void theIssue11TargetsPreferTheInterleavedCells() {
        String md = render(List.of(
                "1\tasync-io-direct\ts4-c1\tjava\tMB/s=1000 errors=0 ",
                "1\tnetty-nio\ts4-c1\tjava\tMB/s=9000 errors=0 ",
                "1\tasync-io-direct\ti-s4-c1\tjava\tMB/s=5000 errors=0 ",
                "2\tasync-io-direct\ti-s4-c1\tjava\tMB/s=5200 errors=0 ",
                "3\tasync-io-direct\ti-s4-c1\tjava\tMB/s=5200 errors=0 ",
                "1\tnetty-nio\ti-s4-c1\tjava\tMB/s=5000 errors=0 ",
                "2\tnetty-nio\ti-s4-c1\tjava\tMB/s=5000 errors=0 ",
                // Round 3: the machine got twice as fast between the two servers; the ratio within each round
                // is what the verdict takes, so that round cannot swing it.
                "3\tnetty-nio\ti-s4-c1\tjava\tMB/s=10000 errors=0 "));
        assertThat(md).contains("From the interleaved phase");
        assertThat(md).contains("| S4 1 connection (java): direct ≥ 1.0× Netty NIO | 5,200 vs 5,000 MB/s; ratio 1.00× | "
                + "met |");
        assertThat(md).contains("## Interleaved S4 (issue 11)").contains("### `i-s4-c1` — java generator");
    }

    private static String render(List<String> raw) {
        Properties machine = new Properties();
        machine.setProperty("mode", "full");
        machine.setProperty("rounds", "3");
        machine.setProperty("sendfile", "ran: 1024 MiB file");
        return new ResultsReport(ResultsReport.Results.parse(raw), machine).render("", "", "");
    }
}
