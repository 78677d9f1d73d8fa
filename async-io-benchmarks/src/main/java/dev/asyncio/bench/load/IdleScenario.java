package dev.asyncio.bench.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Memory per idle connection: measures the server's heap after GC (through its control port) and RSS (from
 * {@code /proc}), opens {@code conns} connections that each complete one 16-byte echo (so the server has really set
 * them up), measures again, and reports the difference per connection. At most 512 connections are in their set-up at
 * once, so the listen backlog never overflows. {@code --source-ips} spreads the client ends over several loopback
 * addresses (each has its own ~28,000 ephemeral ports).
 */
final class IdleScenario {

    private static final int MESSAGE = 16;
    private static final int SETTING_UP = 512;

    private final LoadOptions o;
    private final EchoPattern pattern = new EchoPattern(1024);
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(1024);
    private final List<SocketChannel> open = new ArrayList<>();
    private long errors;
    private int established;

    IdleScenario(LoadOptions options) {
        this.o = options;
    }

    Result run() throws IOException, InterruptedException {
        long heapBase = heap();
        long rssBase = ProcessCpu.rssBytes(o.serverPid());
        long t0 = System.nanoTime();
        InetSocketAddress server = new InetSocketAddress(o.host(), o.port());
        int started = 0;
        int inSetUp = 0;
        try (Selector selector = Selector.open()) {
            while (established + errors < o.connections()) {
                while (inSetUp < SETTING_UP && started < o.connections()) {
                    start(selector, server, started++);
                    inSetUp++;
                }
                int before = established + (int) errors;
                selector.select(key -> ready(key), 1000);
                inSetUp -= established + (int) errors - before;
                if (System.nanoTime() - t0 > 300_000_000_000L) {
                    throw new IOException("gave up: only " + established + " of " + o.connections()
                            + " connections set up in 5 minutes");
                }
            }
            double setUpSeconds = (System.nanoTime() - t0) / 1e9;
            long heapIdle = heap();
            long rssIdle = ProcessCpu.rssBytes(o.serverPid());
            Result r = new Result().put("conns", established).put("setup_s", Math.round(setUpSeconds * 10) / 10.0);
            if (heapBase >= 0 && heapIdle >= 0) {
                r.put("heap_base", heapBase).put("heap_idle", heapIdle)
                        .put("heap_per_conn", Math.round((heapIdle - heapBase) / (double) Math.max(1, established)));
            }
            if (rssBase >= 0 && rssIdle >= 0) {
                r.put("rss_base", rssBase).put("rss_idle", rssIdle)
                        .put("rss_per_conn", Math.round((rssIdle - rssBase) / (double) Math.max(1, established)));
            }
            if (o.histogram() != null && o.controlPort() > 0) {
                java.nio.file.Files.writeString(java.nio.file.Path.of(o.histogram()), control("histo", "END"));
            }
            for (SocketChannel ch : open) {
                // Reset rather than FIN: tens of thousands of client-side TIME_WAIT sockets would otherwise hold
                // the ephemeral ports the next server's run needs.
                ch.setOption(StandardSocketOptions.SO_LINGER, 0);
                ch.close();
            }
            return r.errors(errors);
        }
    }

    private void start(Selector selector, InetSocketAddress server, int index) {
        try {
            SocketChannel ch = SocketChannel.open();
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (!o.sourceIps().isEmpty()) {
                ch.bind(new InetSocketAddress(o.sourceIps().get(index % o.sourceIps().size()), 0));
            }
            open.add(ch);
            long[] progress = {EchoPattern.shift(index), 0};
            if (ch.connect(server)) {
                ch.register(selector, SelectionKey.OP_READ, progress);
                send(ch, progress);
            } else {
                ch.register(selector, SelectionKey.OP_CONNECT, progress);
            }
        } catch (IOException e) {
            errors++;
        }
    }

    private void send(SocketChannel ch, long[] progress) throws IOException {
        if (pattern.write(ch, 0, (int) progress[0], MESSAGE) != MESSAGE) {
            throw new IOException("a fresh socket took less than " + MESSAGE + " bytes");
        }
    }

    private void ready(SelectionKey key) {
        SocketChannel ch = (SocketChannel) key.channel();
        long[] progress = (long[]) key.attachment();
        try {
            if (key.isConnectable()) {
                ch.finishConnect();
                key.interestOps(SelectionKey.OP_READ);
                send(ch, progress);
                return;
            }
            readBuffer.clear();
            int n = ch.read(readBuffer);
            readBuffer.flip();
            if (n < 0 || !pattern.matches(readBuffer, progress[1], (int) progress[0])) {
                throw new IOException("bad echo");
            }
            progress[1] += n;
            if (progress[1] >= MESSAGE) {
                key.cancel(); // idle from now on: nothing more to select
                established++;
            }
        } catch (IOException e) {
            key.cancel();
            errors++;
        }
    }

    /** @return the server's heap after GC via its control port, or -1 without one */
    private long heap() throws IOException {
        if (o.controlPort() <= 0) {
            return -1;
        }
        String line = control("heap", null).strip();
        if (!line.startsWith("heap_used ")) {
            throw new IOException("unexpected control reply: " + line);
        }
        return Long.parseLong(line.substring("heap_used ".length()).trim());
    }

    /** Sends one command to the server's control port; reads one line, or up to the line {@code until}. */
    private String control(String command, String until) throws IOException {
        try (Socket s = new Socket(o.host(), o.controlPort())) {
            OutputStream out = s.getOutputStream();
            out.write((command + "\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(
                    new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            StringBuilder sb = new StringBuilder();
            String line;
            while ((line = in.readLine()) != null && !line.equals(until)) {
                sb.append(line).append('\n');
                if (until == null) {
                    break;
                }
            }
            return sb.toString();
        }
    }
}
