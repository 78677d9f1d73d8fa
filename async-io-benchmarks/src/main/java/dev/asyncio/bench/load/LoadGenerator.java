package dev.asyncio.bench.load;

/**
 * The load generator shared by every echo server: one process, one NIO selector thread, every echoed byte checked.
 *
 * <pre>
 * java -cp async-io-benchmarks.jar dev.asyncio.bench.load.LoadGenerator MODE --port N [options]
 *   pingpong  S1/S2 closed loop: --conns N --size 64 --depth 1 (messages in flight per connection)
 *   openloop  S3 fixed total rate: --conns N --size 64 --rate MSGS_PER_S, latency from the intended send time
 *   stream    S4 bulk echo: --conns N --chunk 65536, reports MB/s
 *   churn     S5 connect, echo, close: --conns CONCURRENT --size 64, reports conns/s
 *   idle      memory: --conns N --control-port C --server-pid P [--source-ips 127.0.0.2,127.0.0.3]
 *   download  sendFile benchmark: --bytes FILE_SIZE --transfers N (at least, timed) --verify sampled|full
 *             --timeout SECONDS (per transfer) [--keystore P12 for TLS]; one connection at a time read to EOF,
 *             untimed for --warmup s, then timed for --seconds s; reports MB/s and CPU per transfer
 * common: --host 127.0.0.1 --warmup SECONDS --seconds SECONDS --server-pid PID (adds server_cpu_pct)
 * </pre>
 *
 * Prints one line of {@code key value} pairs (as {@code loadgen.c} does) and exits with 1 when any error was seen,
 * 2 on a usage error.
 */
public final class LoadGenerator {

    private LoadGenerator() {
    }

    /**
     * Runs one scenario and prints its result line.
     *
     * @param args mode and options, see the class comment
     * @throws Exception on an I/O failure outside a single connection (e.g. nothing listening)
     */
    public static void main(String[] args) throws Exception {
        LoadOptions o;
        try {
            o = LoadOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("LoadGenerator: " + e.getMessage());
            System.exit(2);
            return;
        }
        Result r = switch (o.mode()) {
            case "pingpong" -> new MessageScenario(o, false).run();
            case "openloop" -> new MessageScenario(o, true).run();
            case "stream" -> new StreamScenario(o).run();
            case "churn" -> new ChurnScenario(o).run();
            case "idle" -> new IdleScenario(o).run();
            case "download" -> new FileDownload(o).run();
            default -> {
                System.err.println("LoadGenerator: unknown mode '" + o.mode()
                        + "'; use pingpong, openloop, stream, churn, idle or download");
                System.exit(2);
                yield null;
            }
        };
        System.out.println(r.format());
        System.exit(r.errors() == 0 ? 0 : 1);
    }
}
