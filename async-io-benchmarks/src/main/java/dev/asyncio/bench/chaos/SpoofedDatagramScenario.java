package dev.asyncio.bench.chaos;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scenario 4: the spoofed UDP datagram. One datagram through a raw socket with the UDP echo's own address and port as
 * its source: an echo that answers every sender would answer itself, forever, at full speed. Pass: once dropped it
 * costs nothing (the sample's CPU over the next 3 s stays under 5 % of a core) and the echo still answers others.
 */
final class SpoofedDatagramScenario implements Scenario {

    private static final Duration SETTLE = Duration.ofSeconds(1);
    private static final Duration MEASURE = Duration.ofSeconds(3);
    private static final double MAX_CPU_PCT = 5.0;
    private static final Pattern VALUE = Pattern.compile("\"value\"\\s*:\\s*([0-9.Ee+-]+)");

    @Override
    public String name() {
        return "spoofed-datagram";
    }

    @Override
    public String criterion() {
        return "one raw datagram from 127.0.0.1:<udp port> to itself: the sample's CPU over the " + MEASURE.toSeconds()
                + " s after it (" + SETTLE.toSeconds() + " s settle) < " + MAX_CPU_PCT
                + " % of a core; the UDP echo still answers; skipped without root";
    }

    @Override
    public Outcome run(ChaosEnv env) throws Exception {
        Outcome o = new Outcome();
        String why = RawDatagramSender.unavailable();
        if (why != null) {
            return o.skip(why);
        }
        try (SampleProcess sample = env.start(4096, List.of()); DatagramChannel udp = DatagramChannel.open()) {
            SamplePorts p = sample.ports();
            o.check(Probes.udpEcho(udp, p.udp(), Duration.ofSeconds(5)) >= 0, "the UDP echo did not answer before");
            o.put("cpu_idle_pct", Latencies.round(quiet(sample.pid())));
            double received0 = counter(p, "received");
            double sent0 = counter(p, "sent");
            Inet4Address loopback = (Inet4Address) InetAddress.getByName("127.0.0.1");
            byte[] packet = Ipv4UdpPacket.build(loopback, p.udp(), loopback, p.udp(),
                    "chaos: self-addressed".getBytes(StandardCharsets.US_ASCII), 0x4242);
            RawDatagramSender.send(packet, "127.0.0.1");
            Waits.idle(SETTLE);
            double cpu = cpuPercent(sample.pid(), MEASURE);
            o.put("cpu_after_pct", Latencies.round(cpu));
            o.put("received_delta", Latencies.round(counter(p, "received") - received0))
                    .put("sent_delta", Latencies.round(counter(p, "sent") - sent0))
                    .put("dropped_total", Latencies.round(counter(p, "dropped")));
            long after = Probes.udpEcho(udp, p.udp(), Duration.ofSeconds(5));
            o.put("udp_after_ms", after < 0 ? "no answer" : Latencies.round(after / 1e6));
            LogLevelCounter log = sample.logCounts(0);
            o.put("log_errors", log.errors()).put("log_warnings", log.warnings());
            o.check(cpu >= 0 && cpu < MAX_CPU_PCT, "CPU " + Latencies.round(cpu) + " % of a core after the datagram");
            o.check(after >= 0, "the UDP echo stopped answering");
        }
        return o;
    }

    /**
     * Waits (at most 30 s) until the sample's start-up work (JIT, class loading) has died down, so the measurement
     * after the datagram is not the tail of the start-up.
     *
     * @return the last second's CPU in percent of a core
     */
    private static double quiet(long pid) throws InterruptedException {
        double cpu = -1;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        do {
            cpu = cpuPercent(pid, Duration.ofSeconds(1));
        } while (cpu >= MAX_CPU_PCT && System.nanoTime() < deadline);
        return cpu;
    }

    /** @return the sample's CPU use over {@code d} in percent of one core, or -1 when /proc cannot tell */
    private static double cpuPercent(long pid, Duration d) throws InterruptedException {
        double c0 = ProcCpu.seconds(pid);
        long t0 = System.nanoTime();
        Waits.idle(d);
        double c1 = ProcCpu.seconds(pid);
        if (c0 < 0 || c1 < 0) {
            return -1;
        }
        return 100.0 * (c1 - c0) / ((System.nanoTime() - t0) / 1e9);
    }

    /** @return the UDP echo's datagram counter for one direction, from the metrics endpoint, or NaN */
    private static double counter(SamplePorts p, String direction) {
        String r = Probes.http(p.http(), "/actuator/metrics/sample.udp.echo.datagrams?tag=direction:" + direction,
                SampleProcess.PASSWORD, Duration.ofSeconds(10));
        if (r == null) {
            return Double.NaN;
        }
        Matcher m = VALUE.matcher(r);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }
}
