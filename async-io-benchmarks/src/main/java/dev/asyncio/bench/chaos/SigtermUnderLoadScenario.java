package dev.asyncio.bench.chaos;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * Scenario 6: SIGTERM under load. 200 echo clients stream; the harness stops them writing and at once sends SIGTERM.
 * The graceful shutdown must echo what it was sent, close each connection cleanly, finish within the shutdown
 * phase's timeout (set to 10 s) and exit normally, without ERROR lines during the shutdown.
 */
final class SigtermUnderLoadScenario implements Scenario {

    private static final int CLIENTS = 200;
    private static final Duration PHASE = Duration.ofSeconds(10);
    private static final Duration SLACK = Duration.ofSeconds(5);
    private static final Duration LOAD = Duration.ofSeconds(3);

    @Override
    public String name() {
        return "sigterm-under-load";
    }

    @Override
    public String criterion() {
        return CLIENTS + " echo clients streaming, SIGTERM (timeout-per-shutdown-phase " + PHASE.toSeconds()
                + " s): the JVM exits 0 or 143 (128+SIGTERM, the JVM's normal status on SIGTERM) within "
                + PHASE.plus(SLACK).toSeconds() + " s; every client gets a clean EOF, none reset, hung or "
                + "corrupt, and all its bytes back unless its EOF came first; no ERROR lines after SIGTERM";
    }

    @Override
    public Outcome run(ChaosEnv env) throws Exception {
        Outcome o = new Outcome();
        try (SampleProcess sample = env.start(4096, List.of(
                "--spring.lifecycle.timeout-per-shutdown-phase=" + PHASE.toSeconds() + "s"))) {
            EchoStreamers streams = new EchoStreamers(new InetSocketAddress("127.0.0.1", sample.ports().echo()),
                    CLIENTS).start();
            try {
                o.check(streams.awaitFlowing(Duration.ofSeconds(30)), "not every client got echoes before SIGTERM");
                Waits.idle(LOAD);
                int logMark = sample.logLines().size();
                streams.stopSending();
                long t0 = System.nanoTime();
                sample.terminate();
                boolean exited = sample.awaitExit(PHASE.multipliedBy(3));
                double seconds = (System.nanoTime() - t0) / 1e9;
                boolean ended = streams.awaitEnded(Duration.ofSeconds(10));
                o.put("exit_s", Latencies.round(seconds))
                        .put("exit_code", exited ? Integer.toString(sample.process().exitValue()) : "still running");
                o.put("bytes_sent", streams.sent()).put("bytes_echoed", streams.received())
                        .put("complete", streams.complete()).put("short_eof", streams.shortEof())
                        .put("reset", streams.reset()).put("hung", streams.hung())
                        .put("corrupt", streams.corrupt()).put("all_ended", ended);
                LogLevelCounter log = sample.logCounts(logMark);
                o.put("shutdown_log_errors", log.errors()).put("shutdown_log_warnings", log.warnings());
                if (!log.firstErrors().isEmpty()) {
                    o.put("first_error", log.firstErrors().get(0));
                }
                o.check(exited && seconds < PHASE.plus(SLACK).toSeconds(),
                        "exit took " + Latencies.round(seconds) + " s" + (exited ? "" : " (still running)"));
                o.check(!exited || sample.process().exitValue() == 0 || sample.process().exitValue() == 143,
                        "exit code " + (exited ? sample.process().exitValue() : -1));
                o.check(streams.reset() == 0, streams.reset() + " clients reset");
                o.check(streams.hung() == 0, streams.hung() + " clients saw no end");
                o.check(streams.corrupt() == 0, streams.corrupt() + " clients got corrupt echoes");
                o.check(log.errors() == 0, log.errors() + " ERROR lines during shutdown");
            } finally {
                streams.close();
            }
        }
        return o;
    }
}
