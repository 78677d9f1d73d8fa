package dev.asyncio.bench.report;

/**
 * The "Targets (issue 11)" table of {@code RESULTS.md}: the direct-buffer echo ({@code async-io-direct}: readPooled
 * and writeBuffer of the pooled buffer, the sample's echo) against Netty NIO, Netty epoll and the C epoll server in
 * streaming (S4) and round trips (S1), the {@code byte[]} echo's round trips (no regression from the new paths), one
 * connection's p99, and what {@code sendFile} does against Netty's {@code DefaultFileRegion}. Every figure is a
 * median of the same run; a row whose cells were not run says so.
 */
final class ZeroCopyTargets {

    private static final String DIRECT = "async-io-direct";

    private final ResultsReport.Results results;
    private final StringBuilder md;
    /** {@code "i-"} when the run has the interleaved cells (the servers side by side), else {@code ""}. */
    private final String prefix;

    private ZeroCopyTargets(ResultsReport.Results results, StringBuilder md) {
        this.results = results;
        this.md = md;
        this.prefix = results.cells("i-").isEmpty() ? "" : "i-";
    }

    /**
     * Appends the table; nothing when the run has no direct-echo cells and no sendFile cell.
     *
     * @param results the parsed raw results
     * @param md where the markdown goes
     */
    static void render(ResultsReport.Results results, StringBuilder md) {
        if (results.servers("s4-c1", "java").stream().noneMatch(DIRECT::equals)
                && results.servers("i-s4-c1", "java").stream().noneMatch(DIRECT::equals)
                && results.servers("sendfile", "java").isEmpty()) {
            return;
        }
        new ZeroCopyTargets(results, md).table();
    }

    private void table() {
        md.append("## Targets (issue 11)\n\n`async-io-direct` is the direct-buffer echo (the sample's echo handle); ")
                .append("`async-io` the `byte[]` echo. Each row gives both medians and the median over rounds of "
                        + "the ratio within a round; the verdict goes by the ratio. ")
                .append(prefix.isEmpty() ? "From the echo phase (each server in turn)."
                        : "From the interleaved phase (cells `i-*`: the servers up at once, each cell run against "
                        + "them back to back), which this machine's minute-to-minute speed changes do not skew.")
                .append(" *MB per server CPU-second* is what a server moves per second of its own CPU: in a cell "
                        + "that the generator's CPU bounds, throughput also depends on how the server's pace suits "
                        + "the generator, this does not.\n\n| target | measured | verdict |\n|---|---|---|\n");
        for (String[] cell : new String[][] {{"s4-c1", "java"}, {"s4-c4", "java"}, {"s4-c1", "loadgen.c"}}) {
            String where = "S4 " + (cell[0].equals("s4-c1") ? "1 connection" : "4 connections") + " ("
                    + cell[1] + ")";
            ratio(where + ": direct ≥ 1.0× Netty NIO", cell[0], cell[1], DIRECT, "netty-nio", "MB/s", 1.0);
            ratio(where + ": direct ≥ 1.0× Netty epoll", cell[0], cell[1], DIRECT, "netty-epoll", "MB/s", 1.0);
            ratio(where + ": direct ≥ 0.95× C epoll", cell[0], cell[1], DIRECT, "c-epoll", "MB/s", 0.95);
        }
        for (String cell : new String[] {"s4-c1", "s4-c4"}) {
            efficiency("S4 " + (cell.equals("s4-c1") ? "1 connection" : "4 connections")
                    + " (java): MB per server CPU-second, direct ÷ Netty NIO", cell, "netty-nio");
        }
        for (String server : new String[] {DIRECT, "async-io"}) {
            String echo = server.equals(DIRECT) ? "direct" : "`byte[]`";
            for (String gen : new String[] {"java", "loadgen.c"}) {
                ratio("S1 64 connections (" + gen + "): " + echo + " ≥ 1.0× Netty NIO", "s1-c64", gen, server,
                        "netty-nio", "msgs/s", 1.0);
                ratio("S1 64 connections (" + gen + "): " + echo + " ≥ 1.0× Netty epoll", "s1-c64", gen, server,
                        "netty-epoll", "msgs/s", 1.0);
            }
        }
        for (String other : new String[] {"netty-nio", "netty-epoll"}) {
            atMost("S1 1 connection: direct p99 ≤ " + label(other) + "'s", "s1-c1", other, "p99_us");
        }
        sendFile();
        md.append('\n');
    }

    private void ratio(String label, String cell, String gen, String server, String other, String key, double want) {
        Double a = results.median(prefix + cell, gen, server, key);
        Double b = results.median(prefix + cell, gen, other, key);
        Double r = results.medianRatio(prefix + cell, gen, server, other, key);
        md.append("| ").append(label).append(" | ");
        if (a == null || b == null || r == null) {
            md.append("not measured | – |\n");
            return;
        }
        md.append(ResultsReport.fmt(a)).append(" vs ").append(ResultsReport.fmt(b)).append(" ").append(key)
                .append("; ratio ").append(ResultsReport.ratio(r)).append(" | ").append(verdict(r >= want,
                        1 - r / want)).append(" |\n");
    }

    private void efficiency(String label, String cell, String other) {
        Double a = perCpuSecond(prefix + cell, DIRECT);
        Double b = perCpuSecond(prefix + cell, other);
        md.append("| ").append(label).append(" | ");
        if (a == null || b == null || b == 0) {
            md.append("not measured | – |\n");
            return;
        }
        md.append(ResultsReport.fmt(a)).append(" vs ").append(ResultsReport.fmt(b)).append(" = ")
                .append(ResultsReport.ratio(a / b)).append(" | reported |\n");
    }

    /** @return MB/s over the server's CPU share, from the medians of both */
    private Double perCpuSecond(String cell, String server) {
        Double mbs = results.median(cell, "java", server, "MB/s");
        Double cpu = results.median(cell, "java", server, "server_cpu_pct");
        return mbs == null || cpu == null || cpu <= 0 ? null : mbs / (cpu / 100);
    }

    private void atMost(String label, String cell, String other, String key) {
        Double a = results.median(prefix + cell, "java", DIRECT, key);
        Double b = results.median(prefix + cell, "java", other, key);
        Double r = results.medianRatio(prefix + cell, "java", DIRECT, other, key);
        md.append("| ").append(label).append(" | ");
        if (a == null || b == null || r == null) {
            md.append("not measured | – |\n");
            return;
        }
        md.append(ResultsReport.fmt(a)).append(" vs ").append(ResultsReport.fmt(b)).append(" µs; ratio ")
                .append(ResultsReport.ratio(r)).append(" | ").append(verdict(r <= 1, r - 1)).append(" |\n");
    }

    private void sendFile() {
        Double a = results.median("sendfile", "java", "async-io", "MB/s");
        for (String other : new String[] {"netty-nio", "netty-epoll"}) {
            Double b = results.median("sendfile", "java", other, "MB/s");
            Double r = results.medianRatio("sendfile", "java", "async-io", other, "MB/s");
            md.append("| sendFile 1 GiB against ").append(label(other)).append("'s `DefaultFileRegion` | ");
            if (a == null || b == null || r == null) {
                md.append("not measured | – |\n");
                continue;
            }
            md.append(ResultsReport.fmt(a)).append(" vs ").append(ResultsReport.fmt(b)).append(" MB/s; ratio ")
                    .append(ResultsReport.ratio(r)).append("; server CPU ")
                    .append(ResultsReport.fmt(results.median("sendfile", "java", "async-io", "server_cpu_ms")))
                    .append(" vs ").append(ResultsReport.fmt(results.median("sendfile", "java", other,
                            "server_cpu_ms")))
                    .append(" ms per transfer | reported |\n");
        }
    }

    private static String label(String server) {
        return server.equals("netty-nio") ? "Netty NIO" : server.equals("netty-epoll") ? "Netty epoll" : server;
    }

    private static String verdict(boolean met, double missedBy) {
        // One decimal: a ratio of 0.997 is a miss, and "missed by 0 %" would read as a contradiction.
        return met ? "met" : "**missed** by " + String.format(java.util.Locale.ROOT, "%.1f %%", missedBy * 100);
    }
}
