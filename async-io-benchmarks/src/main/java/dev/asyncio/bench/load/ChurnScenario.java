package dev.asyncio.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import org.HdrHistogram.Histogram;

/**
 * S5: {@code conns} slots each loop connect, send one {@code size}-byte message, check its echo, close. Reports
 * completed cycles per second and the latency of a whole cycle. Exercises the accept and close paths; the client
 * closes first, so TIME_WAIT stays on the client side (loopback reuses those ports with {@code tcp_tw_reuse=2}).
 */
final class ChurnScenario {

    private final LoadOptions o;
    private final EchoPattern pattern = new EchoPattern(64 * 1024);
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024);
    private final Histogram latency = new Histogram(60_000_000_000L, 3);
    private final InetSocketAddress server;
    private long cycles;
    private long started;
    private long errors;

    /** One connection in its connect–echo–close cycle. */
    private static final class Cycle {
        SocketChannel channel;
        SelectionKey key;
        int shift;
        long begin;
        long sent;
        long received;
    }

    ChurnScenario(LoadOptions options) {
        this.o = options;
        this.server = new InetSocketAddress(options.host(), options.port());
    }

    Result run() throws IOException {
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < o.connections(); i++) {
                begin(selector, new Cycle());
            }
            long measureStart = System.nanoTime() + (long) (o.warmupSeconds() * 1e9);
            long end = measureStart + (long) (o.seconds() * 1e9);
            boolean measuring = false;
            CpuMeter cpuMeter = null;
            long now;
            while ((now = System.nanoTime()) < end) {
                if (!measuring && now >= measureStart) {
                    measuring = true;
                    cycles = 0;
                    latency.reset();
                    measureStart = now;
                    cpuMeter = CpuMeter.start(o.serverPid());
                }
                selector.select(key -> ready(selector, key), 100);
            }
            double elapsed = (System.nanoTime() - measureStart) / 1e9;
            if (cpuMeter != null) {
                cpuMeter.stop();
            }
            for (SelectionKey key : selector.keys()) {
                key.channel().close();
            }
            return CpuMeter.addTo(cpuMeter, new Result().put("conns/s", Math.round(cycles / elapsed))
                    .latencies(latency), elapsed).errors(errors);
        }
    }

    private void begin(Selector selector, Cycle c) {
        try {
            c.channel = SocketChannel.open();
            c.channel.configureBlocking(false);
            c.channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            c.shift = EchoPattern.shift(started++);
            c.begin = System.nanoTime();
            c.sent = 0;
            c.received = 0;
            if (c.channel.connect(server)) {
                c.key = c.channel.register(selector, SelectionKey.OP_READ, c);
                send(c);
            } else {
                c.key = c.channel.register(selector, SelectionKey.OP_CONNECT, c);
            }
        } catch (IOException e) {
            errors++;
            close(c);
        }
    }

    private void send(Cycle c) throws IOException {
        c.sent += pattern.write(c.channel, c.sent, c.shift, (int) (o.size() - c.sent));
        c.key.interestOps(c.sent < o.size() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
    }

    private void ready(Selector selector, SelectionKey key) {
        Cycle c = (Cycle) key.attachment();
        try {
            if (key.isConnectable()) {
                c.channel.finishConnect();
                send(c);
                return;
            }
            if (key.isWritable()) {
                send(c);
            }
            if (key.isReadable()) {
                readBuffer.clear();
                int n = c.channel.read(readBuffer);
                readBuffer.flip();
                if (n < 0 || !pattern.matches(readBuffer, c.received, c.shift)) {
                    errors++;
                    close(c);
                    begin(selector, c);
                    return;
                }
                c.received += n;
                if (c.received >= o.size()) {
                    close(c);
                    if (c.received > o.size()) {
                        errors++; // the server echoed more than was sent
                    }
                    latency.recordValue(System.nanoTime() - c.begin);
                    cycles++;
                    begin(selector, c);
                }
            }
        } catch (IOException | RuntimeException e) {
            errors++;
            close(c);
            begin(selector, c);
        }
    }

    private static void close(Cycle c) {
        try {
            if (c.channel != null) {
                c.channel.close();
            }
        } catch (IOException e) {
            // the cycle is over either way
        }
    }
}
