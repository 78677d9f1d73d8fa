package dev.asyncio.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;

/**
 * S4: each connection streams {@code chunk}-byte writes (64 KiB by default) as fast as the socket takes them and reads
 * the echo back, checking every byte. At most 4 MiB per connection is unacknowledged, so the run stays bounded even
 * against a server that buffers without limit. Reports echoed MB/s (10^6 bytes).
 */
final class StreamScenario {

    private static final long WINDOW = 4L * 1024 * 1024;

    private final LoadOptions o;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(256 * 1024);
    private final EchoPattern pattern;
    private final List<EchoConnection> connections = new ArrayList<>();
    private long bytes;
    private long errors;

    StreamScenario(LoadOptions options) {
        this.o = options;
        this.pattern = new EchoPattern(Math.max(readBuffer.capacity(), options.chunk()));
    }

    Result run() throws IOException {
        InetSocketAddress server = new InetSocketAddress(o.host(), o.port());
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < o.connections(); i++) {
                EchoConnection c = EchoConnection.open(selector, server, i, 1);
                connections.add(c);
                top(c);
            }
            long measureStart = System.nanoTime() + (long) (o.warmupSeconds() * 1e9);
            long end = measureStart + (long) (o.seconds() * 1e9);
            boolean measuring = false;
            CpuMeter cpuMeter = null;
            long now;
            while ((now = System.nanoTime()) < end) {
                if (!measuring && now >= measureStart) {
                    measuring = true;
                    bytes = 0;
                    measureStart = now;
                    cpuMeter = CpuMeter.start(o.serverPid());
                }
                selector.select(this::ready, 100);
            }
            double elapsed = (System.nanoTime() - measureStart) / 1e9;
            if (cpuMeter != null) {
                cpuMeter.stop();
            }
            for (EchoConnection c : connections) {
                c.kill();
            }
            return CpuMeter.addTo(cpuMeter, new Result().put("MB/s", Math.round(bytes / elapsed / 1e5) / 10.0),
                    elapsed).errors(errors);
        }
    }

    /** Owes the socket enough to keep {@link #WINDOW} bytes unacknowledged. */
    private void top(EchoConnection c) throws IOException {
        long room = WINDOW - (c.sent + c.owed - c.received);
        if (room > 0) {
            c.owed += room;
        }
        c.flush(pattern, o.chunk());
    }

    private void ready(SelectionKey key) {
        EchoConnection c = (EchoConnection) key.attachment();
        try {
            if (key.isReadable()) {
                int n = c.readChecked(readBuffer, pattern);
                if (n < 0) {
                    fail(c);
                    return;
                }
                bytes += n;
            }
            if (!c.dead && key.isValid()) {
                top(c);
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
