package dev.asyncio.bench.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The "sendFile of a 1 GiB file" section of {@code RESULTS.md}: run.sh's {@code sendfile} phase (cell
 * {@code sendfile}) downloads the benchmark file from each file server; one row per server with MB/s, the wall time
 * and the CPU both sides spent per transfer, and the ratios to Netty's {@code DefaultFileRegion} on NIO and epoll.
 */
final class SendFileSection {

    /** Row order and labels; unknown servers follow under their own names. */
    private static final Map<String, String> LABELS = new LinkedHashMap<>();

    static {
        LABELS.put("async-io", "async-io `sendFile` (`FileChannel.transferTo`)");
        LABELS.put("async-io-copy", "async-io, file read into direct buffers + `writeBuffer` (copy)");
        LABELS.put("async-io-tls", "async-io `sendFile` over TLS (chunked through the engine)");
        LABELS.put("netty-nio", "Netty 4.2 NIO, `DefaultFileRegion`");
        LABELS.put("netty-epoll", "Netty 4.2 epoll, `DefaultFileRegion` (`sendfile(2)`)");
    }

    private static final List<String> RATIO_TO = List.of("netty-nio", "netty-epoll");

    private SendFileSection() {
    }

    /**
     * Appends the section; nothing when the run has no {@code sendfile} cell.
     *
     * @param results the parsed raw results
     * @param md where the markdown goes
     */
    static void render(ResultsReport.Results results, StringBuilder md) {
        String cell = "sendfile";
        String gen = "java";
        List<String> found = results.servers(cell, gen);
        if (found.isEmpty()) {
            return;
        }
        Double bytes = null;
        for (String s : found) {
            bytes = bytes != null ? bytes : results.median(cell, gen, s, "bytes");
        }
        md.append("## sendFile of a ").append(size(bytes)).append(" file\n\n");
        md.append("Each connection gets the whole file (real random content, in the page cache), then EOF; the "
                + "Java client (`LoadGenerator download`) reads it to EOF with blocking reads into one reused 1 MiB "
                + "buffer and checks the count and one byte in 4,093. Per server start: untimed transfers first "
                + "(page cache, JIT), then timed ones back to back, one connection at a time, for a fixed time "
                + "(`sendfile` under *Machine, JDK and method*); servers alternate per round, medians of the "
                + "rounds. MB/s = 10^6 bytes per second of wall time (connect to EOF); ms and CPU ms are means per "
                + "transfer; CPU % is of one CPU over the timed transfers. On loopback the server's CPU includes "
                + "the kernel's TCP work of the send path, the client's the copy into its buffer.\n\n");
        List<String> ratioCols = RATIO_TO.stream().filter(found::contains).toList();
        md.append("| server | MB/s (median) | min–max | ms per transfer | server CPU % | client CPU % "
                + "| server CPU ms per transfer | timed transfers | errors |");
        for (String r : ratioCols) {
            md.append(" ÷ ").append(r).append(" |");
        }
        md.append("\n|---|---:|---:|---:|---:|---:|---:|---:|---:|").append("---:|".repeat(ratioCols.size()))
                .append('\n');
        for (String server : ordered(found)) {
            Double mbs = results.median(cell, gen, server, "MB/s");
            long errors = results.errors(cell, gen, server);
            md.append("| ").append(LABELS.getOrDefault(server, server)).append(" | ").append(ResultsReport.fmt(mbs))
                    .append(" | ").append(mbs == null ? "–" : ResultsReport.fmt(results.min(cell, gen, server, "MB/s"))
                            + "–" + ResultsReport.fmt(results.max(cell, gen, server, "MB/s"))).append(" | ");
            for (String key : List.of("wall_ms", "server_cpu_pct", "client_cpu_pct", "server_cpu_ms", "transfers")) {
                md.append(ResultsReport.fmt(results.median(cell, gen, server, key))).append(" | ");
            }
            md.append(errors == 0 ? "0" : "**" + errors + "**").append(" |");
            for (String r : ratioCols) {
                Double other = results.median(cell, gen, r, "MB/s");
                md.append(' ').append(r.equals(server) || mbs == null || other == null || other == 0 ? "–"
                        : ResultsReport.ratio(mbs / other)).append(" |");
            }
            md.append('\n');
        }
        md.append('\n');
    }

    private static List<String> ordered(List<String> found) {
        List<String> rows = new java.util.ArrayList<>();
        for (String s : LABELS.keySet()) {
            if (found.contains(s)) {
                rows.add(s);
            }
        }
        for (String s : found) {
            if (!rows.contains(s)) {
                rows.add(s);
            }
        }
        return rows;
    }

    private static String size(Double bytes) {
        if (bytes == null) {
            return "benchmark";
        }
        long b = Math.round(bytes);
        if (b % (1L << 30) == 0) {
            return (b >> 30) + " GiB";
        }
        return b % (1L << 20) == 0 ? (b >> 20) + " MiB" : String.format(java.util.Locale.ROOT, "%,d-byte", b);
    }
}
