package dev.asyncio.bench.load;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The load generator's command line: {@code MODE --name value ...}. See {@link LoadGenerator} for the modes.
 * Unknown options and malformed numbers throw {@link IllegalArgumentException} naming the option.
 */
record LoadOptions(String mode, String host, int port, int connections, int size, int depth, double warmupSeconds,
        double seconds, double rate, int chunk, long serverPid, int controlPort, List<String> sourceIps,
        String histogram, long bytes, int transfers, String verify, double timeoutSeconds, String keystore) {

    private static final Set<String> KNOWN = Set.of("host", "port", "conns", "size", "depth", "warmup", "seconds",
            "rate", "chunk", "server-pid", "control-port", "source-ips",
            "histogram", "bytes", "transfers", "verify", "timeout", "keystore");

    static LoadOptions parse(String[] args) {
        if (args.length == 0) {
            throw new IllegalArgumentException(
                    "usage: LoadGenerator pingpong|openloop|stream|churn|idle|download --port N [...]");
        }
        Map<String, String> v = new HashMap<>();
        for (int i = 1; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value pairs, got '" + args[i] + "'");
            }
            String name = args[i].substring(2);
            if (!KNOWN.contains(name)) {
                throw new IllegalArgumentException("unknown option --" + name + "; known: " + KNOWN);
            }
            v.put(name, args[i + 1]);
        }
        if (!v.containsKey("port")) {
            throw new IllegalArgumentException("--port is required");
        }
        List<String> ips = new ArrayList<>();
        for (String ip : v.getOrDefault("source-ips", "").split(",")) {
            if (!ip.isBlank()) {
                ips.add(ip.trim());
            }
        }
        if (d(v, "rate", 1) <= 0 || d(v, "seconds", 1) < 0 || d(v, "warmup", 0) < 0
                || (!"download".equals(args[0]) && d(v, "seconds", 1) == 0)) {
            throw new IllegalArgumentException("--rate and --seconds must be positive (download: --seconds 0 = "
                    + "just --transfers), --warmup not negative");
        }
        if (i(v, "conns", 1) < 1 || i(v, "size", 64) < 1 || i(v, "depth", 1) < 1 || i(v, "chunk", 1) < 1
                || i(v, "transfers", 1) < 1) {
            throw new IllegalArgumentException("--conns, --size, --depth, --chunk and --transfers must be at least 1");
        }
        String verify = v.getOrDefault("verify", "sampled");
        if (!verify.equals("sampled") && !verify.equals("full")) {
            throw new IllegalArgumentException("--verify must be sampled or full, got " + verify);
        }
        if ("download".equals(args[0]) && d(v, "bytes", -1) < 0) {
            throw new IllegalArgumentException("--bytes (the file size the server sends) is required for download");
        }
        if (d(v, "timeout", 1) <= 0) {
            throw new IllegalArgumentException("--timeout must be positive");
        }
        return new LoadOptions(args[0], v.getOrDefault("host", "127.0.0.1"), i(v, "port", 0), i(v, "conns", 1),
                i(v, "size", 64), i(v, "depth", 1), d(v, "warmup", 1), d(v, "seconds", 3), d(v, "rate", 10_000),
                i(v, "chunk", 64 * 1024), (long) d(v, "server-pid", 0), i(v, "control-port", 0), List.copyOf(ips),
                v.get("histogram"), (long) d(v, "bytes", 0), i(v, "transfers", 1), verify, d(v, "timeout", 120), v.get("keystore"));
    }

    private static int i(Map<String, String> v, String name, int dflt) {
        double d = d(v, name, dflt);
        if (d != Math.rint(d) || d < 0) {
            throw new IllegalArgumentException("--" + name + " must be a non-negative integer, got " + v.get(name));
        }
        return (int) d;
    }

    private static double d(Map<String, String> v, String name, double dflt) {
        String s = v.get(name);
        if (s == null) {
            return dflt;
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a number, got '" + s + "'", e);
        }
    }
}
