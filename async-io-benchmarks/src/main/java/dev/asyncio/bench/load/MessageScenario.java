package dev.asyncio.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Fixed-size echo messages over N connections, on one thread with one selector.
 *
 * <p><b>Closed loop</b> (S1, S2): each connection keeps {@code depth} messages in flight and sends the next one as soon
 * as one echo is complete; latency runs from the actual send. <b>Open loop</b> (S3): messages are sent at a fixed total
 * rate, round-robin over the connections, whatever the server does; latency runs from the <em>intended</em> send time
 * (wrk2's correction for coordinated omission), so a stalled server shows up in the tail instead of hiding.
 *
 * <p>Every echoed byte is compared with what was sent; a wrong byte, an early EOF or an I/O error counts as an error
 * and drops that connection.
 */
final class MessageScenario {

    private final LoadOptions o;
    private final boolean openLoop;
    private final EchoPattern pattern;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(256 * 1024);
    private final Histogram latency = new Histogram(60_000_000_000L, 3);
    private final List<EchoConnection> connections = new ArrayList<>();
    private long messages;
    private long errors;
    private long now;

    MessageScenario(LoadOptions options, boolean openLoop) {
        this.o = options;
        this.openLoop = openLoop;
        this.pattern = new EchoPattern(readBuffer.capacity());
    }

    Result run() throws IOException {
        InetSocketAddress server = new InetSocketAddress(o.host(), o.port());
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < o.connections(); i++) {
                connections.add(EchoConnection.open(selector, server, i, openLoop ? 64 : o.depth()));
            }
            long start = System.nanoTime();
            long measureStart = start + (long) (o.warmupSeconds() * 1e9);
            long end = measureStart + (long) (o.seconds() * 1e9);
            double periodNanos = 1e9 / o.rate();
            long scheduled = 0;
            if (!openLoop) {
                now = System.nanoTime();
                for (EchoConnection c : connections) {
                    for (int d = 0; d < o.depth(); d++) {
                        send(c, now);
                    }
                }
            }
            boolean measuring = false;
            CpuMeter cpuMeter = null;
            while (true) {
                now = System.nanoTime();
                if (!measuring && now >= measureStart) {
                    measuring = true;
                    messages = 0;
                    latency.reset();
                    cpuMeter = CpuMeter.start(o.serverPid());
                    measureStart = now;
                }
                if (now >= end) {
                    break;
                }
                long timeout = 100;
                if (openLoop) {
                    long due;
                    while ((due = start + (long) (scheduled * periodNanos)) <= now) {
                        EchoConnection c = connections.get((int) (scheduled % connections.size()));
                        if (!c.dead) {
                            send(c, due);
                        }
                        scheduled++;
                    }
                    timeout = (due - now) / 1_000_000 - 1; // spin (selectNow) for the last millisecond
                }
                if (timeout > 0) {
                    selector.select(this::ready, timeout);
                } else {
                    selector.selectNow(this::ready);
                }
            }
            double elapsed = (System.nanoTime() - measureStart) / 1e9;
            if (cpuMeter != null) {
                cpuMeter.stop();
            }
            long stalled = 0;
            long t = System.nanoTime();
            for (EchoConnection c : connections) {
                // Closed loop: a message unanswered for 2 s on loopback means the server lost bytes or hung.
                if (!openLoop && !c.dead && c.stamps.size() > 0 && t - c.stamps.peek() > 2_000_000_000L) {
                    stalled++;
                }
                c.kill();
            }
            errors += stalled;
            Result r = new Result().put("msgs/s", Math.round(messages / elapsed));
            if (openLoop) {
                r.put("target/s", o.rate());
            }
            if (stalled > 0) {
                r.put("stalled", stalled);
            }
            return CpuMeter.addTo(cpuMeter, r.latencies(latency), elapsed).errors(errors);
        }
    }

    private void send(EchoConnection c, long stamp) {
        c.owed += o.size();
        c.stamps.add(stamp);
        try {
            c.flush(pattern, 64 * 1024);
        } catch (IOException e) {
            fail(c);
        }
    }

    private void ready(SelectionKey key) {
        EchoConnection c = (EchoConnection) key.attachment();
        try {
            if (key.isReadable()) {
                long before = c.received / o.size();
                if (c.readChecked(readBuffer, pattern) < 0) {
                    fail(c);
                    return;
                }
                long done = c.received / o.size() - before;
                long t = System.nanoTime();
                for (long i = 0; i < done; i++) {
                    latency.recordValue(Math.max(0, t - c.stamps.poll()));
                    messages++;
                    if (!openLoop) {
                        send(c, t);
                    }
                }
            }
            if (!c.dead && key.isValid() && key.isWritable()) {
                c.flush(pattern, 64 * 1024);
            }
        } catch (IOException | RuntimeException e) {
            fail(c);
        }
    }

    private void fail(EchoConnection c) {
        if (!c.dead) {
            errors++;
            c.kill();
        }
    }
}
