package dev.asyncio.bench.report;

import java.util.ArrayList;
import java.util.List;

/**
 * The "Unix domain socket vs TCP loopback" section of {@code RESULTS.md}: run.sh's {@code unix} phase runs S1 (64-byte
 * round trips, 1 and 64 connections) and S4 (64 KiB bulk echo, 1 and 4 connections) against one async-io echo server
 * over TCP (cells {@code unix-tcp-*}) and over its Unix socket (cells {@code unix-uds-*}); one row per echo and cell
 * puts the two transports' medians side by side with Unix ÷ TCP.
 */
final class UnixVsTcpSection {

    private static final String TCP = "unix-tcp-";
    private static final String UDS = "unix-uds-";

    private UnixVsTcpSection() {
    }

    /**
     * Appends the section; nothing when the run has no {@code unix} cells.
     *
     * @param results the parsed raw results
     * @param md where the markdown goes
     */
    static void render(ResultsReport.Results results, StringBuilder md) {
        List<String[]> tcpCells = results.cells(TCP);
        if (tcpCells.isEmpty()) {
            return;
        }
        List<String> servers = new ArrayList<>();
        for (String[] cg : tcpCells) {
            for (String s : results.servers(cg[0], cg[1])) {
                if (!servers.contains(s)) {
                    servers.add(s);
                }
            }
        }
        md.append("## Unix domain socket vs TCP loopback\n\n");
        md.append("One async-io echo server listens on TCP and on a Unix socket (`-Dbench.unix=PATH`); the Java "
                + "generator runs each cell over TCP, then over the socket file, against the same server process "
                + "(which restarts every round, the echo servers alternating). S1: 64-byte round trips, one in "
                + "flight per connection; S4: 64 KiB bulk echo. Medians of the rounds, min–max in brackets; Unix ÷ "
                + "TCP is the median over rounds of the ratio within a round; compare within a row.\n\n");
        md.append("| echo | cell | TCP | Unix socket | Unix ÷ TCP | server CPU % (TCP / Unix) | errors |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|\n");
        for (String server : servers) {
            for (String[] cg : tcpCells) {
                String base = cg[0].substring(TCP.length());
                String uds = UDS + base;
                if (!results.servers(cg[0], cg[1]).contains(server)) {
                    continue;
                }
                String key = base.startsWith("s4-") ? "MB/s" : "msgs/s";
                Double t = results.median(cg[0], cg[1], server, key);
                Double u = results.median(uds, cg[1], server, key);
                long errors = results.errors(cg[0], cg[1], server) + results.errors(uds, cg[1], server);
                // Within each round (TCP and Unix ran seconds apart), then the median: this machine's speed can
                // change between rounds, which skews a ratio of two medians.
                Double ratio = t == null || u == null ? null
                        : results.medianRatioOfCells(uds, cg[0], cg[1], server, key);
                md.append("| ").append(server.equals("async-io-direct") ? "direct buffers" : server.equals("async-io")
                        ? "`byte[]`" : server)
                        .append(" | `").append(base).append("` (").append(key).append(") | ")
                        .append(withRange(results, cg[0], cg[1], server, key)).append(" | ")
                        .append(withRange(results, uds, cg[1], server, key)).append(" | ")
                        .append(ratio == null ? "–" : ResultsReport.ratio(ratio)).append(" | ")
                        .append(ResultsReport.fmt(results.median(cg[0], cg[1], server, "server_cpu_pct")))
                        .append(" / ")
                        .append(ResultsReport.fmt(results.median(uds, cg[1], server, "server_cpu_pct")))
                        .append(" | ").append(errors == 0 ? "0" : "**" + errors + "**").append(" |\n");
            }
        }
        md.append('\n');
    }

    private static String withRange(ResultsReport.Results results, String cell, String generator, String server,
            String key) {
        Double med = results.median(cell, generator, server, key);
        if (med == null) {
            return "–";
        }
        return ResultsReport.fmt(med) + " (" + ResultsReport.fmt(results.min(cell, generator, server, key)) + "–"
                + ResultsReport.fmt(results.max(cell, generator, server, key)) + ")";
    }
}
