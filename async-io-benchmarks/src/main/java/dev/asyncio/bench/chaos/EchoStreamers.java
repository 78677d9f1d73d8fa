package dev.asyncio.bench.chaos;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Echo clients that stream from one thread: each writes {@value #CHUNK} bytes every {@value #TICK_MILLIS} ms (a
 * steady, moderate load: the point is to be mid-transfer when the server is told to stop, not to saturate it) and
 * checks every echoed byte against what it sent. After {@link #stopSending()} they only read, until the server
 * closes: each then ended cleanly with everything back, cleanly (EOF) short of some bytes, with a reset, or not at all.
 *
 * <p>Each client's bytes are a pattern of its index and offset, so a byte from the wrong place counts as corrupt.
 */
final class EchoStreamers implements AutoCloseable {

    private static final int CHUNK = 1024;
    private static final long TICK_MILLIS = 10;

    private final InetSocketAddress target;
    private final List<Stream> streams = new ArrayList<>();
    private final Thread thread;
    private final int count;
    private volatile boolean sending = true;
    private volatile boolean quiet;
    private volatile boolean stop;
    private Selector selector;

    /** One client's progress. Touched by the streamers' thread only, read by others after it settled. */
    private static final class Stream {
        final int index;
        final SocketChannel channel;
        volatile long sent;
        volatile long received;
        volatile boolean connected;
        volatile boolean eof;
        volatile boolean reset;
        volatile boolean corrupt;

        Stream(int index, SocketChannel channel) {
            this.index = index;
            this.channel = channel;
        }
    }

    /**
     * @param target the echo
     * @param count  how many clients
     */
    EchoStreamers(InetSocketAddress target, int count) {
        this.target = target;
        this.count = count;
        this.thread = new Thread(this::run, "chaos-streamers");
        this.thread.setDaemon(true);
    }

    /**
     * Connects every client (blocking connects, before the thread starts) and starts streaming.
     *
     * @return this
     * @throws IOException when a client cannot connect
     */
    EchoStreamers start() throws IOException {
        selector = Selector.open();
        for (int i = 0; i < count; i++) {
            SocketChannel ch = SocketChannel.open(target);
            ch.configureBlocking(false);
            Stream s = new Stream(i, ch);
            s.connected = true;
            streams.add(s);
            ch.register(selector, SelectionKey.OP_READ, s);
        }
        thread.start();
        return this;
    }

    /**
     * @param index  a client's index
     * @param offset a position in its stream
     * @return the byte it sends there
     */
    static byte expected(int index, long offset) {
        return (byte) (index * 31 + offset * 7 + (offset >>> 8));
    }

    private void run() {
        ByteBuffer out = ByteBuffer.allocate(CHUNK);
        ByteBuffer in = ByteBuffer.allocate(64 * 1024);
        long nextTick = System.nanoTime();
        try {
            while (!stop) {
                if (!sending) {
                    quiet = true; // no write is in progress from here on
                }
                long wait = Math.max(1, (nextTick - System.nanoTime()) / 1_000_000);
                selector.select(key -> read((Stream) key.attachment(), key, in), wait);
                if (sending && System.nanoTime() >= nextTick) {
                    nextTick = Math.max(nextTick + TICK_MILLIS * 1_000_000, System.nanoTime());
                    for (Stream s : streams) {
                        write(s, out);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("chaos streamers stopped: " + e);
        }
    }

    private void write(Stream s, ByteBuffer out) {
        if (!sending || s.eof || s.reset) {
            return;
        }
        out.clear();
        for (int i = 0; i < CHUNK; i++) {
            out.put(expected(s.index, s.sent + i));
        }
        out.flip();
        try {
            s.sent += s.channel.write(out); // a full socket buffer takes less: the pattern continues from there
        } catch (IOException e) {
            s.reset = true;
        }
    }

    private void read(Stream s, SelectionKey key, ByteBuffer in) {
        try {
            in.clear();
            int n = s.channel.read(in);
            if (n < 0) {
                s.eof = true;
                key.cancel();
                return;
            }
            for (int i = 0; i < n; i++) {
                if (in.get(i) != expected(s.index, s.received + i)) {
                    s.corrupt = true;
                }
            }
            s.received += n;
        } catch (IOException e) {
            s.reset = true;
            key.cancel();
        }
    }

    /**
     * Stops writing and waits until no write is in progress; the clients go on reading until the server closes.
     *
     * @throws InterruptedException when interrupted
     */
    void stopSending() throws InterruptedException {
        sending = false;
        selector.wakeup();
        Waits.until(() -> quiet || !thread.isAlive(), Duration.ofSeconds(10));
    }

    /**
     * @param timeout the bound
     * @return whether every client saw its end (EOF or reset) in time
     * @throws InterruptedException when interrupted
     */
    boolean awaitEnded(Duration timeout) throws InterruptedException {
        return Waits.until(() -> streams.stream().allMatch(s -> s.eof || s.reset), timeout);
    }

    /**
     * @param timeout the bound
     * @return whether every client had some echo back in time
     * @throws InterruptedException when interrupted
     */
    boolean awaitFlowing(Duration timeout) throws InterruptedException {
        return Waits.until(() -> streams.stream().allMatch(s -> s.received > 0), timeout);
    }

    /** @return bytes sent by all clients */
    long sent() {
        return streams.stream().mapToLong(s -> s.sent).sum();
    }

    /** @return bytes echoed to all clients */
    long received() {
        return streams.stream().mapToLong(s -> s.received).sum();
    }

    /** @return clients that got every byte back, then EOF */
    long complete() {
        return streams.stream().filter(s -> s.eof && !s.reset && s.received == s.sent).count();
    }

    /** @return clients that got a clean EOF short of some of their bytes */
    long shortEof() {
        return streams.stream().filter(s -> s.eof && !s.reset && s.received < s.sent).count();
    }

    /** @return clients reset by the server */
    long reset() {
        return streams.stream().filter(s -> s.reset).count();
    }

    /** @return clients that got a byte that was not theirs or not in order */
    long corrupt() {
        return streams.stream().filter(s -> s.corrupt).count();
    }

    /** @return clients that saw neither EOF nor reset */
    long hung() {
        return streams.stream().filter(s -> !s.eof && !s.reset).count();
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        if (selector != null) {
            selector.wakeup();
        }
        thread.join(30_000);
        for (Stream s : streams) {
            try {
                s.channel.setOption(StandardSocketOptions.SO_LINGER, 0);
                s.channel.close();
            } catch (IOException e) {
                // best effort
            }
        }
        if (selector != null) {
            try {
                selector.close();
            } catch (IOException e) {
                // best effort
            }
        }
    }
}
