package dev.asyncio.bench.chaos;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.List;

/**
 * Scenario 1: the first connection after an idle period is served. The sample runs with 2 s timeouts of every kind
 * (echo and tls-echo read timeout, tls-echo handshake timeout, kv request deadline) and is left idle for longer
 * than them, three times (3, 6 and 12 s); after each idle period a new echo client, a new TLS client and a new kv
 * client must be served at once, and so must a kv client that connected before the idle period (kv has no idle
 * timeout; its request deadline starts with a request's first byte). An echo client idle for the whole period must
 * have been closed by the read timeout: the timeouts do fire, they just must not hit the wrong connection.
 */
final class IdleThenConnectScenario implements Scenario {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final List<Duration> IDLE = List.of(Duration.ofSeconds(3), Duration.ofSeconds(6),
            Duration.ofSeconds(12));
    private static final Duration PROBE = Duration.ofSeconds(10);

    @Override
    public String name() {
        return "idle-then-connect";
    }

    @Override
    public String criterion() {
        return "timeouts 2 s (echo/tls read, tls handshake, kv request deadline); after idling 3, 6 and 12 s a new "
                + "echo, TLS and kv client and a kv client connected before the idle are all served; an echo "
                + "client idle through the period was closed by its read timeout";
    }

    @Override
    public Outcome run(ChaosEnv env) throws Exception {
        Outcome o = new Outcome();
        String t = TIMEOUT.toSeconds() + "s";
        try (SampleProcess sample = env.start(4096, List.of(
                "--async-io.handles.echo.read-timeout=" + t,
                "--async-io.handles.tls-echo.read-timeout=" + t,
                "--async-io.handles.tls-echo.tls.handshake-timeout=" + t,
                "--sample.kv.request-deadline=" + t))) {
            SamplePorts p = sample.ports();
            Latencies echo = new Latencies();
            Latencies tls = new Latencies();
            Latencies kvNew = new Latencies();
            Latencies kvIdle = new Latencies();
            int idleEchoClosed = 0;
            // Controls, before any idle period: if these fail the sample or the harness is broken, not the timers.
            // Each is the second of two back-to-back probes: start-up and readiness polling may already have left
            // the loop idle longer than the timeouts, and the first probe is then itself a probe after idle.
            long echoFirst = Probes.freshEcho(p.echo(), PROBE);
            long echoControl = Probes.freshEcho(p.echo(), PROBE);
            long tlsFirst = Probes.tlsEcho(p.tls(), env.tls(), PROBE);
            long tlsControl = Probes.tlsEcho(p.tls(), env.tls(), PROBE);
            o.put("first_echo_after_start", ms(echoFirst)).put("control_echo_ms", ms(echoControl))
                    .put("first_tls_after_start", ms(tlsFirst)).put("control_tls_ms", ms(tlsControl));
            o.check(echoControl >= 0 && tlsControl >= 0, "the control probes before any idle period failed");
            for (Duration idle : IDLE) {
                try (Socket kvOld = Probes.connect(p.kv(), PROBE); Socket echoOld = Probes.connect(p.echo(), PROBE)) {
                    Waits.idle(idle);
                    echo.probe(Probes.freshEcho(p.echo(), PROBE));
                    tls.probe(Probes.tlsEcho(p.tls(), env.tls(), PROBE));
                    kvNew.probe(Probes.freshKvPing(p.kv(), PROBE));
                    kvIdle.probe(Probes.kvPing(kvOld, System.nanoTime()));
                    if (closed(echoOld)) {
                        idleEchoClosed++;
                    }
                }
            }
            echo.report(o, "echo");
            tls.report(o, "tls");
            kvNew.report(o, "kv_new");
            kvIdle.report(o, "kv_idle");
            o.put("idle_echo_closed", idleEchoClosed + "/" + IDLE.size());
            LogLevelCounter log = sample.logCounts(0);
            o.put("log_errors", log.errors()).put("log_warnings", log.warnings());
            o.check(echo.failures() == 0, "a new echo client after idle was not served");
            o.check(tls.failures() == 0, "a TLS handshake after idle failed");
            o.check(kvNew.failures() == 0, "a new kv client after idle got no PONG");
            o.check(kvIdle.failures() == 0, "a kv client connected before the idle got no PONG");
            o.check(idleEchoClosed == IDLE.size(), "an idle echo client outlived its read timeout");
        }
        return o;
    }

    /** @return whether the server has closed {@code s} (EOF or reset), waiting at most the probe timeout */
    private static boolean closed(Socket s) {
        try {
            return s.getInputStream().read() < 0;
        } catch (IOException e) {
            return !(e instanceof java.net.SocketTimeoutException);
        }
    }

    private static String ms(long nanos) {
        return nanos < 0 ? "failed" : Latencies.round(nanos / 1e6);
    }
}
