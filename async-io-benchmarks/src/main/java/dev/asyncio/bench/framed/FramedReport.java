package dev.asyncio.bench.framed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The markdown report of {@code framed.sh}: per cell (connections × frames in flight) each server's round trips/s and
 * p99 (medians over rounds, with min–max), and async-io's ratio to each other server: the median over rounds of the
 * ratio within a round (both measured within seconds of each other, so a machine that changes speed between
 * minutes moves both alike). The last section checks issue 19's target per Netty transport: at least 1.0× the
 * round trips and a p99 at or below theirs.
 *
 * <p>Input: the raw lines {@code round TAB server TAB cell TAB key=value ...}, the keys from {@code loadgen.c}'s
 * output ({@code msgs/s}, {@code p99_us}, {@code errors}, ...). A line with {@code errors} above 0 is reported and
 * left out of the figures. A p99 at {@code loadgen.c}'s histogram cap ({@value #P99_CAP_US} µs) shows as
 * "≥ 4096" and gives no p99 ratio.
 *
 * <p>Usage: {@code java -cp async-io-benchmarks.jar dev.asyncio.bench.framed.FramedReport RAW.tsv OUT.md [NOTES.md]}
 */
public final class FramedReport {

    /** The server whose ratios the report gives. */
    static final String BASELINE = "async-io";
    /** {@code loadgen.c}'s histogram ends here: a p99 of this many µs means "this or more", and has no ratio. */
    static final double P99_CAP_US = 4096;

    /** One measurement. */
    record Sample(int round, String server, String cell, double rate, double p99, long errors) {
    }

    private final List<Sample> samples = new ArrayList<>();
    private final List<String> rejected = new ArrayList<>();

    /**
     * @param lines the raw lines
     * @return the report's data
     * @throws IllegalArgumentException for a line that is not {@code round TAB server TAB cell TAB key=value...}
     */
    static FramedReport parse(List<String> lines) {
        FramedReport r = new FramedReport();
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t");
            if (f.length < 4) {
                throw new IllegalArgumentException("raw line needs round, server, cell and values: '" + line + "'");
            }
            Map<String, String> kv = new LinkedHashMap<>();
            for (String pair : f[3].trim().split("\\s+")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    kv.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
            }
            long errors = (long) number(kv.getOrDefault("errors", "1"));
            Sample s = new Sample(Integer.parseInt(f[0].trim()), f[1], f[2], number(kv.getOrDefault("msgs/s", "0")),
                    number(kv.getOrDefault("p99_us", "-1")), errors);
            if (errors > 0 || s.rate() <= 0) {
                r.rejected.add("round " + s.round() + " " + s.server() + " " + s.cell() + ": " + f[3].trim());
            } else {
                r.samples.add(s);
            }
        }
        return r;
    }

    private static double number(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    private List<Sample> of(String server, String cell) {
        return samples.stream().filter(s -> s.server().equals(server) && s.cell().equals(cell)).toList();
    }

    /** @return the median over rounds of async-io's figure ÷ the server's, rounds where both ran; NaN without any */
    double ratio(String server, String cell, boolean latency) {
        List<Double> ratios = new ArrayList<>();
        for (Sample a : of(BASELINE, cell)) {
            for (Sample b : of(server, cell)) {
                if (a.round() == b.round()) {
                    double x = latency ? a.p99() : a.rate();
                    double y = latency ? b.p99() : b.rate();
                    if (x > 0 && y > 0 && !(latency && (x >= P99_CAP_US || y >= P99_CAP_US))) {
                        ratios.add(x / y);
                    }
                }
            }
        }
        return median(ratios);
    }

    /**
     * @param notes lines about the run (machine, pinning, rounds), written under the title; may be empty
     * @return the markdown
     */
    String markdown(List<String> notes) {
        Set<String> servers = new LinkedHashSet<>();
        Set<String> cells = new LinkedHashSet<>();
        servers.add(BASELINE);
        for (Sample s : samples) {
            servers.add(s.server());
            cells.add(s.cell());
        }
        StringBuilder md = new StringBuilder();
        md.append("# Framed echo: async-io vs Netty's LengthFieldBasedFrameDecoder + LengthFieldPrepender\n\n");
        md.append("64-byte frames on the wire: a 4-byte big-endian length and 60 bytes of payload, echoed as the same "
                + "frame. `loadgen.c` in `frame4` mode, closed loop; cells are *connections × frames in flight per "
                + "connection*. Figures are medians over rounds (min–max); a ratio is the median over rounds of "
                + "async-io ÷ that server within the round (round trips: higher is better for async-io; p99: lower "
                + "is better for async-io).\n\n");
        for (String n : notes) {
            md.append(n.startsWith("-") ? n : "- " + n).append('\n');
        }
        if (!notes.isEmpty()) {
            md.append('\n');
        }
        for (String cell : cells) {
            md.append("## ").append(describe(cell)).append("\n\n");
            md.append("| server | round trips/s | min–max | p99 µs | async-io ÷ it, round trips | async-io ÷ it, p99 |\n");
            md.append("|---|---:|---:|---:|---:|---:|\n");
            for (String server : servers) {
                List<Sample> got = of(server, cell);
                if (got.isEmpty()) {
                    continue;
                }
                List<Double> rates = got.stream().map(Sample::rate).toList();
                List<Double> p99s = got.stream().map(Sample::p99).filter(p -> p >= 0).toList();
                md.append("| ").append(server)
                        .append(" | ").append(String.format(Locale.ROOT, "%,.0f", median(rates)))
                        .append(" | ").append(String.format(Locale.ROOT, "%,.0f–%,.0f",
                                rates.stream().mapToDouble(d -> d).min().orElse(0),
                                rates.stream().mapToDouble(d -> d).max().orElse(0)))
                        .append(" | ").append(p99(p99s))
                        .append(" | ").append(server.equals(BASELINE) ? "" : times(ratio(server, cell, false)))
                        .append(" | ").append(server.equals(BASELINE) ? "" : times(ratio(server, cell, true)))
                        .append(" |\n");
            }
            md.append('\n');
        }
        md.append("## Target (issue 19): at least 1.0× Netty's round trips/s, p99 at or below Netty's\n\n");
        md.append("| cell | against | round trips | p99 | verdict |\n|---|---|---:|---:|---|\n");
        for (String cell : cells) {
            for (String server : servers) {
                if (server.equals(BASELINE) || !server.startsWith("netty") || of(server, cell).isEmpty()) {
                    continue;
                }
                double rt = ratio(server, cell, false);
                double lat = ratio(server, cell, true);
                String verdict = Double.isNaN(rt) ? "no common round"
                        : rt >= 1.0 && Double.isNaN(lat) ? "round trips met; p99 at the histogram's cap, not compared"
                        : rt >= 1.0 && lat <= 1.0 ? "met"
                        : "missed" + (rt < 1.0 ? String.format(Locale.ROOT, ": round trips %.0f %% short",
                                (1 - rt) * 100) : "")
                        + (lat > 1.0 ? String.format(Locale.ROOT, "%s p99 %.0f %% higher", rt < 1.0 ? "," : ":",
                                (lat - 1) * 100) : "");
                md.append("| ").append(cell).append(" | ").append(server).append(" | ").append(times(rt))
                        .append(" | ").append(times(lat)).append(" | ").append(verdict).append(" |\n");
            }
        }
        if (!rejected.isEmpty()) {
            md.append("\n## Left out (errors or no result)\n\n");
            for (String r : rejected) {
                md.append("- ").append(r).append('\n');
            }
        }
        return md.toString();
    }

    static String describe(String cell) {
        String[] p = cell.split("x");
        if (p.length == 2 && cell.startsWith("c")) {
            return cell + ": " + p[0].substring(1) + " connection" + ("1".equals(p[0].substring(1)) ? "" : "s")
                    + ", " + p[1] + " frame" + ("1".equals(p[1]) ? "" : "s") + " in flight each";
        }
        return cell;
    }

    private static String p99(List<Double> values) {
        if (values.isEmpty()) {
            return "–";
        }
        double m = median(values);
        return m >= P99_CAP_US ? String.format(Locale.ROOT, "≥ %.0f", P99_CAP_US) : String.format(Locale.ROOT, "%.0f", m);
    }

    private static String times(double ratio) {
        return Double.isNaN(ratio) ? "–" : String.format(Locale.ROOT, "%.2f×", ratio);
    }

    /**
     * Writes the report.
     *
     * @param args {@code RAW.tsv OUT.md [NOTES.md]}
     * @throws IOException if a file cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: FramedReport RAW.tsv OUT.md [NOTES.md]");
            System.exit(2);
        }
        List<String> notes = args.length > 2 && Files.exists(Path.of(args[2]))
                ? Files.readAllLines(Path.of(args[2])) : List.of();
        String md = parse(Files.readAllLines(Path.of(args[0]))).markdown(notes);
        Files.writeString(Path.of(args[1]), md);
        System.out.println("framed report written to " + args[1]);
    }
}
