package dev.asyncio.bench.chaos;

import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.List;

/**
 * Scenario 2: the budget attack across handles. 4,500 TLS clients at a time (each one the server closes is replaced)
 * open a connection to tls-echo and trickle a real ClientHello one byte a second, so every one holds a handshake
 * in progress, against the sample at {@code -Xmx256m} and {@code ulimit -n 4096}. Meanwhile the UDP echo, an echo
 * connection opened before the attack and a new echo connection per probe must keep answering, promptly.
 */
final class BudgetAttackScenario implements Scenario {

    static final int CLIENTS = 4500;
    private static final Duration ATTACK = Duration.ofSeconds(30);
    private static final Duration PROBE_EVERY = Duration.ofMillis(200);
    private static final Duration PROBE = Duration.ofSeconds(5);
    private static final long MAX_LATENCY_MS = 1000;

    @Override
    public String name() {
        return "budget-attack";
    }

    @Override
    public String criterion() {
        return CLIENTS + " slow TLS clients (partial ClientHello, 1 byte/s, replaced when closed) for "
                + ATTACK.toSeconds() + " s at -Xmx256m, ulimit -n 4096: every UDP echo, echo (open connection) "
                + "and echo (new connection) probe answered, max latency < " + MAX_LATENCY_MS
                + " ms, no OutOfMemoryError, the sample still running";
    }

    @Override
    public Outcome run(ChaosEnv env) throws Exception {
        Outcome o = new Outcome();
        byte[] hello = DemoTrust.clientHello(env.tls());
        try (SampleProcess sample = env.start(4096, List.of());
                PersistentEcho echoConn = new PersistentEcho(sample.ports().echo(), PROBE);
                DatagramChannel udp = DatagramChannel.open()) {
            SamplePorts p = sample.ports();
            Latencies udpLat = new Latencies();
            Latencies echoLat = new Latencies();
            Latencies freshLat = new Latencies();
            o.check(echoConn.probe() >= 0 && Probes.udpEcho(udp, p.udp(), PROBE) >= 0,
                    "the echoes did not answer before the attack");
            NioSwarm swarm = new NioSwarm(new InetSocketAddress("127.0.0.1", p.tls()), CLIENTS, hello, 5, 1,
                    Duration.ofSeconds(1), true).start();
            try {
                long end = System.nanoTime() + ATTACK.toNanos();
                while (System.nanoTime() < end) {
                    long next = System.nanoTime() + PROBE_EVERY.toNanos();
                    udpLat.probe(Probes.udpEcho(udp, p.udp(), PROBE));
                    echoLat.probe(echoConn.probe());
                    freshLat.probe(Probes.freshEcho(p.echo(), PROBE));
                    long rest = next - System.nanoTime();
                    if (rest > 0) {
                        Thread.sleep(rest / 1_000_000); // probe pacing, not synchronisation
                    }
                }
                o.put("tls_connected", swarm.established()).put("tls_open_at_end", swarm.stillOpen())
                        .put("tls_pending_at_end", swarm.pending()).put("tls_closed_by_server",
                                swarm.closedByPeer() + swarm.resetByPeer());
            } finally {
                swarm.close();
            }
            // After the attack: is a failure above a stall that passed, or did the attack close the service?
            long udpAfter = Probes.udpEcho(udp, p.udp(), PROBE);
            long echoAfter = Probes.freshEcho(p.echo(), PROBE);
            o.put("udp_after_attack", udpAfter < 0 ? "no answer" : "answered")
                    .put("echo_after_attack", echoAfter < 0 ? "no answer" : "answered");
            udpLat.report(o, "udp");
            echoLat.report(o, "echo_open");
            o.put("echo_open_closed_by_server", echoConn.closedByServer());
            freshLat.report(o, "echo_new");
            boolean alive = sample.process().isAlive();
            LogLevelCounter log = sample.logCounts(0);
            o.put("alive", alive).put("log_errors", log.errors()).put("log_warnings", log.warnings())
                    .put("oom_lines", log.outOfMemory());
            check(o, "udp", udpLat);
            check(o, "echo_open", echoLat);
            check(o, "echo_new", freshLat);
            o.check(log.outOfMemory() == 0, "OutOfMemoryError in the log");
            o.check(alive, "the sample died");
            if (!log.firstErrors().isEmpty()) {
                o.put("first_error", log.firstErrors().get(0));
            }
        }
        return o;
    }

    private static void check(Outcome o, String name, Latencies l) {
        o.check(l.failures() == 0, l.failures() + " " + name + " probes unanswered");
        o.check(l.count() == 0 || l.maxMillis() < MAX_LATENCY_MS, name + " max latency " + Latencies.round(
                l.maxMillis()) + " ms");
    }
}
