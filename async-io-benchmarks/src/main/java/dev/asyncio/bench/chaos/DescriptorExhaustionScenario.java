package dev.asyncio.bench.chaos;

import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.List;

/**
 * Scenario 3: descriptor exhaustion. The sample runs at {@code ulimit -n 4096}; 4,500 clients connect to the plain
 * echo, send one byte each and stay idle: more than the process has descriptors. Exhausted means either the process
 * is at its limit or echo holds its whole share of descriptors (the starter's start-up check caps each handle's
 * max-connections to a share of the limit, so with defaults echo stops there and the process never runs dry). Then
 * the other services must still answer: HTTP health on a new connection, kv PING on a new connection, a new TLS echo
 * client, the UDP echo, and the log must stay quiet (an EMFILE storm must not become thousands of ERROR lines).
 */
final class DescriptorExhaustionScenario implements Scenario {

    static final int CLIENTS = 4500;
    private static final int FILE_LIMIT = 4096;
    private static final int PROBES = 3;
    private static final int MAX_ERRORS = 10;
    private static final Duration PROBE = Duration.ofSeconds(5);
    /** Descriptors short of the limit that count as exhausted (the JVM's own files vary). */
    private static final int SPARE = 64;

    @Override
    public String name() {
        return "descriptor-exhaustion";
    }

    @Override
    public String criterion() {
        return "ulimit -n " + FILE_LIMIT + ", " + CLIENTS + " idle echo clients (the sample at its descriptor "
                + "limit, or echo holding its whole share of it): " + PROBES + " of each of health "
                + "(new HTTP connection, any status), kv PING, new TLS echo client, UDP echo all answer; fewer than "
                + MAX_ERRORS + " ERROR lines in the log";
    }

    @Override
    public Outcome run(ChaosEnv env) throws Exception {
        Outcome o = new Outcome();
        try (SampleProcess sample = env.start(FILE_LIMIT, List.of());
                DatagramChannel udp = DatagramChannel.open()) {
            SamplePorts p = sample.ports();
            // Each client sends one byte (echoed, then idle): a connect the kernel completed with a SYN cookie while
            // the accept queue was full never reaches the server until data arrives, so a silent client may never
            // take a descriptor there.
            NioSwarm swarm = new NioSwarm(new InetSocketAddress("127.0.0.1", p.echo()), CLIENTS, new byte[] {'\n'},
                    1, 0, Duration.ofSeconds(1), false).start();
            Latencies health = new Latencies();
            Latencies kv = new Latencies();
            Latencies tls = new Latencies();
            Latencies udpLat = new Latencies();
            StringBuilder statuses = new StringBuilder();
            try {
                // Connects past what the server can accept stay pending (SYN retries): settle or give up after 30 s.
                boolean settled = swarm.awaitSettled(Duration.ofSeconds(30));
                // A connect completes in the kernel before the server accepts it: wait for the server's descriptors.
                int fds = awaitDescriptors(sample.pid());
                o.put("echo_connected", swarm.established()).put("echo_pending", swarm.pending())
                        .put("echo_failed", swarm.failed()).put("settled", settled).put("sample_fds", fds);
                int[] echo = echoConnections(p.http());
                o.put("echo_active", echo[0]).put("echo_max_connections", echo[1]);
                boolean shareFull = echo[1] > 0 && echo[0] >= echo[1];
                o.check(fds >= FILE_LIMIT - SPARE || shareFull, "neither did the sample run out of descriptors ("
                        + fds + " open) nor did echo fill its share (" + echo[0] + " of " + echo[1] + ")");
                for (int i = 0; i < PROBES; i++) {
                    long t0 = System.nanoTime();
                    int status = Probes.healthStatus(p.http(), PROBE);
                    health.probe(status > 0 ? System.nanoTime() - t0 : -1);
                    statuses.append(statuses.length() > 0 ? "," : "").append(status);
                    kv.probe(Probes.freshKvPing(p.kv(), PROBE));
                    tls.probe(Probes.tlsEcho(p.tls(), env.tls(), PROBE));
                    udpLat.probe(Probes.udpEcho(udp, p.udp(), PROBE));
                }
                o.put("echo_closed_by_server", swarm.closedByPeer() + swarm.resetByPeer());
            } finally {
                swarm.close();
            }
            o.put("health_status", statuses);
            health.report(o, "health");
            kv.report(o, "kv");
            tls.report(o, "tls");
            udpLat.report(o, "udp");
            boolean alive = sample.process().isAlive();
            LogLevelCounter log = sample.logCounts(0);
            o.put("alive", alive).put("log_errors", log.errors()).put("log_warnings", log.warnings())
                    .put("oom_lines", log.outOfMemory());
            if (!log.firstErrors().isEmpty()) {
                o.put("first_error", log.firstErrors().get(0));
            }
            o.check(health.failures() == 0, health.failures() + " health probes unanswered");
            o.check(kv.failures() == 0, kv.failures() + " kv PINGs unanswered");
            o.check(tls.failures() == 0, tls.failures() + " new TLS clients not served");
            o.check(udpLat.failures() == 0, udpLat.failures() + " UDP probes unanswered");
            o.check(log.errors() < MAX_ERRORS, log.errors() + " ERROR lines");
            o.check(alive, "the sample died");
        }
        return o;
    }

    /**
     * Echo's connections and its max-connections in effect, from the actuator endpoint {@code asyncio/echo}.
     *
     * @return {active, max}; {-1, -1} when the endpoint does not answer
     */
    private static int[] echoConnections(int httpPort) {
        String response = Probes.http(httpPort, "/actuator/asyncio/echo", SampleProcess.PASSWORD,
                Duration.ofSeconds(5));
        if (response == null) {
            return new int[] {-1, -1};
        }
        return new int[] {jsonInt(response, "activeConnections"), jsonInt(response, "maxConnections")};
    }

    private static int jsonInt(String json, String field) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + field + "\"\\s*:\\s*(-?\\d+)")
                .matcher(json);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    /**
     * Waits until the sample is within {@value #SPARE} descriptors of its limit, or its count has not grown for 5 s
     * (at most 60 s), then a little longer so every handle has tried to accept into the exhaustion.
     *
     * @return the sample's open descriptors then
     */
    private static int awaitDescriptors(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        int best = ProcCpu.openFiles(pid);
        long grewAt = System.nanoTime();
        while (best < FILE_LIMIT - SPARE && System.nanoTime() < deadline
                && System.nanoTime() - grewAt < Duration.ofSeconds(5).toNanos()) {
            Waits.idle(Duration.ofMillis(500)); // polling another process's descriptor table
            int now = ProcCpu.openFiles(pid);
            if (now > best) {
                best = now;
                grewAt = System.nanoTime();
            }
        }
        Waits.idle(Duration.ofSeconds(2));
        return Math.max(best, ProcCpu.openFiles(pid));
    }
}
