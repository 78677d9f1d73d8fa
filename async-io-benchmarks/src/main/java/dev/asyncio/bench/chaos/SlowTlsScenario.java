package dev.asyncio.bench.chaos;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * Scenario 5: slow TLS clients. 1,000 clients send a real ClientHello one byte every half second (it would take them
 * minutes), against a 3 s handshake timeout. A legitimate client's handshake must stay fast meanwhile, and the server
 * must close every slow one once its handshake timeout passed (not much later: a timeout that fires late lets
 * slow clients pile up).
 */
final class SlowTlsScenario implements Scenario {

    private static final int CLIENTS = 1000;
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(3);
    /**
     * How much later than the handshake timeout a slow client may be closed. Generous: the client counts from its
     * connect, which the kernel completes (SYN cookies) before the server accepts; 1,000 connects at once queue.
     */
    private static final Duration SLACK = Duration.ofSeconds(5);
    private static final int LEGIT = 20;
    private static final int WARM_UP = 5;
    private static final int BASELINE = 10;
    /** Legitimate handshakes pass below this p50, or within {@value #IDLE_FACTOR} times the unattacked p50. */
    private static final double MAX_P50_MS = 100;
    private static final double IDLE_FACTOR = 3;
    private static final Duration PROBE = Duration.ofSeconds(10);

    @Override
    public String name() {
        return "slow-tls";
    }

    @Override
    public String criterion() {
        return CLIENTS + " clients trickling a ClientHello (1 byte/500 ms), handshake-timeout "
                + HANDSHAKE_TIMEOUT.toSeconds() + " s: " + LEGIT + " legitimate handshakes all succeed with p50 < "
                + (int) MAX_P50_MS + " ms or < " + (int) IDLE_FACTOR + "x the p50 without the slow clients (the "
                + "machine may be loaded); every slow client is closed by the server within the handshake timeout + "
                + SLACK.toSeconds() + " s";
    }

    @Override
    public Outcome run(ChaosEnv env) throws Exception {
        Outcome o = new Outcome();
        byte[] hello = DemoTrust.clientHello(env.tls());
        o.put("client_hello_bytes", hello.length);
        try (SampleProcess sample = env.start(4096, List.of(
                "--async-io.handles.tls-echo.tls.handshake-timeout=" + HANDSHAKE_TIMEOUT.toSeconds() + "s"))) {
            SamplePorts p = sample.ports();
            for (int i = 0; i < WARM_UP; i++) {
                Probes.tlsEcho(p.tls(), env.tls(), PROBE); // JIT and session caches on both sides, not measured
            }
            Latencies idle = new Latencies();
            for (int i = 0; i < BASELINE; i++) {
                idle.probe(Probes.tlsEcho(p.tls(), env.tls(), PROBE));
            }
            Latencies legit = new Latencies();
            NioSwarm swarm = new NioSwarm(new InetSocketAddress("127.0.0.1", p.tls()), CLIENTS, hello, 1, 1,
                    Duration.ofMillis(500), false).start();
            try {
                swarm.awaitSettled(Duration.ofSeconds(30));
                for (int i = 0; i < LEGIT; i++) {
                    legit.probe(Probes.tlsEcho(p.tls(), env.tls(), PROBE));
                }
                Waits.until(() -> swarm.stillOpen() == 0, HANDSHAKE_TIMEOUT.plus(SLACK).multipliedBy(2));
                o.put("slow_connected", swarm.established()).put("slow_failed", swarm.failed())
                        .put("slow_closed_eof", swarm.closedByPeer()).put("slow_reset", swarm.resetByPeer())
                        .put("slow_still_open", swarm.stillOpen()).put("slow_bytes_sent", swarm.bytesSent());
            } finally {
                swarm.close();
            }
            idle.report(o, "idle_handshake");
            legit.report(o, "legit_handshake");
            Latencies closedAfter = swarm.closedAfter();
            closedAfter.report(o, "slow_closed_after");
            LogLevelCounter log = sample.logCounts(0);
            o.put("log_errors", log.errors()).put("log_warnings", log.warnings());
            o.check(legit.failures() == 0, legit.failures() + " legitimate handshakes failed");
            double bound = Math.max(MAX_P50_MS, IDLE_FACTOR * idle.millis(0.5));
            o.check(legit.count() > 0 && legit.millis(0.5) < bound, "legitimate handshake p50 "
                    + Latencies.round(legit.millis(0.5)) + " ms, bound " + Latencies.round(bound) + " ms");
            o.check(swarm.established() == CLIENTS && swarm.stillOpen() == 0,
                    swarm.stillOpen() + " slow clients still open (of " + swarm.established() + " connected)");
            o.check(closedAfter.count() == 0
                    || closedAfter.maxMillis() < HANDSHAKE_TIMEOUT.plus(SLACK).toMillis(),
                    "a slow client was closed only after " + Latencies.round(closedAfter.maxMillis()) + " ms");
        }
        return o;
    }
}
