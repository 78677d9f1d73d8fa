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
 * Many hostile or idle clients from one thread: opens {@code count} non-blocking connections (at most
 * {@value #IN_FLIGHT} connects pending at once, so the server's backlog is pressed but the harness never waits on
 * one socket), sends the first {@code atConnect} bytes of {@code opening} when a connection is up, then
 * {@code perTick} more bytes every {@code tick} until {@code opening} is used up (a slowloris trickle; an empty
 * {@code opening} makes idle clients). It never completes anything: it only counts what the server does to it, e.g.
 * closes it (a handshake timeout) and how long after connecting that happened.
 *
 * <p>The counters are written by the swarm's thread only and read by others.
 */
final class NioSwarm implements AutoCloseable {

    private static final int IN_FLIGHT = 512;

    private final InetSocketAddress target;
    private final int count;
    private final byte[] opening;
    private final int atConnect;
    private final int perTick;
    private final long tickNanos;
    private final boolean replace;
    private final Thread thread;
    private final List<Client> clients = new ArrayList<>();
    private final Latencies closedAfter = new Latencies();
    private volatile boolean stop;
    private volatile int started;
    private volatile int established;
    private volatile int failed;
    private volatile int closedByPeer;
    private volatile int resetByPeer;
    private volatile long bytesSent;
    private Selector selector;

    /** One client: its channel, where it is in {@code opening}, when it connected. */
    private static final class Client {
        final SocketChannel channel;
        int sent;
        long connectedAt;
        boolean done;

        Client(SocketChannel channel) {
            this.channel = channel;
        }
    }

    /**
     * @param target    where to connect
     * @param count     how many clients
     * @param opening   the bytes each client sends over time (may be empty)
     * @param atConnect how many of them at once when connected
     * @param perTick   how many more each tick
     * @param tick      how often
     * @param replace   whether a client the server closed (or that failed to connect) is replaced by a new one, so
     *                  that {@code count} clients press the server all the time instead of {@code count} in all
     */
    NioSwarm(InetSocketAddress target, int count, byte[] opening, int atConnect, int perTick, Duration tick,
            boolean replace) {
        this.target = target;
        this.count = count;
        this.opening = opening.clone();
        this.atConnect = Math.min(atConnect, opening.length);
        this.perTick = perTick;
        this.tickNanos = tick.toNanos();
        this.replace = replace;
        this.thread = new Thread(this::run, "chaos-swarm-" + target.getPort());
        this.thread.setDaemon(true);
    }

    /**
     * Starts connecting.
     *
     * @return this
     * @throws IOException when no selector can be opened
     */
    NioSwarm start() throws IOException {
        selector = Selector.open();
        thread.start();
        return this;
    }

    /**
     * Waits until every client connected or failed to, or the timeout passed (connects the server's full backlog
     * leaves pending may take the kernel's SYN retries, minutes).
     *
     * @param timeout the bound
     * @return whether all settled
     * @throws InterruptedException when interrupted
     */
    boolean awaitSettled(Duration timeout) throws InterruptedException {
        return Waits.until(() -> started == count && established + failed >= count, timeout);
    }

    private void run() {
        long nextTick = System.nanoTime() + tickNanos;
        try {
            while (!stop) {
                int pending = started - established - failed;
                while (started - gone() < count && pending < IN_FLIGHT && !stop) {
                    open();
                    pending++;
                }
                long wait = Math.max(1, (nextTick - System.nanoTime()) / 1_000_000);
                selector.select(this::ready, started - gone() < count ? Math.min(wait, 20) : wait);
                if (System.nanoTime() >= nextTick) {
                    nextTick = System.nanoTime() + tickNanos;
                    trickle();
                }
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("chaos swarm stopped: " + e);
        }
    }

    /** @return clients that need replacing: none unless {@code replace} */
    private int gone() {
        return replace ? failed + closedByPeer + resetByPeer : 0;
    }

    private void open() {
        started++;
        try {
            SocketChannel ch = SocketChannel.open();
            ch.configureBlocking(false);
            Client c = new Client(ch);
            clients.add(c);
            if (ch.connect(target)) {
                connected(c, ch.register(selector, SelectionKey.OP_READ, c));
            } else {
                ch.register(selector, SelectionKey.OP_CONNECT, c);
            }
        } catch (IOException e) {
            failed++;
        }
    }

    private void connected(Client c, SelectionKey key) throws IOException {
        c.connectedAt = System.nanoTime();
        established++;
        key.interestOps(SelectionKey.OP_READ);
        send(c, atConnect);
    }

    private void ready(SelectionKey key) {
        Client c = (Client) key.attachment();
        try {
            if (key.isConnectable()) {
                c.channel.finishConnect();
                connected(c, key);
                return;
            }
            ByteBuffer sink = ByteBuffer.allocate(4096);
            if (c.channel.read(sink) < 0) {
                peerClosed(c, key, false);
            }
        } catch (IOException e) {
            if (c.connectedAt == 0) {
                failed++;
                key.cancel();
                closeQuietly(c);
            } else {
                peerClosed(c, key, true);
            }
        }
    }

    private void peerClosed(Client c, SelectionKey key, boolean reset) {
        if (reset) {
            resetByPeer++;
        } else {
            closedByPeer++;
        }
        closedAfter.record(System.nanoTime() - c.connectedAt);
        key.cancel();
        closeQuietly(c);
    }

    private void trickle() {
        if (replace) {
            clients.removeIf(c -> c.done);
        }
        if (perTick <= 0) {
            return;
        }
        for (Client c : clients) {
            if (c.connectedAt != 0 && !c.done && c.sent < opening.length && c.channel.isOpen()) {
                try {
                    send(c, perTick);
                } catch (IOException e) {
                    // The read side sees the reset and counts it.
                }
            }
        }
    }

    private void send(Client c, int n) throws IOException {
        int len = Math.min(n, opening.length - c.sent);
        if (len > 0) {
            int w = c.channel.write(ByteBuffer.wrap(opening, c.sent, len));
            c.sent += w;
            bytesSent += w;
        }
    }

    private static void closeQuietly(Client c) {
        c.done = true;
        try {
            c.channel.close();
        } catch (IOException e) {
            // nothing left to do
        }
    }

    /** @return clients whose connect completed */
    int established() {
        return established;
    }

    /** @return clients whose connect failed */
    int failed() {
        return failed;
    }

    /** @return connects still pending */
    int pending() {
        return started - established - failed;
    }

    /** @return connections the server closed (EOF) */
    int closedByPeer() {
        return closedByPeer;
    }

    /** @return connections the server reset */
    int resetByPeer() {
        return resetByPeer;
    }

    /** @return established connections still open */
    int stillOpen() {
        return established - closedByPeer - resetByPeer;
    }

    /** @return bytes written so far */
    long bytesSent() {
        return bytesSent;
    }

    /**
     * @return time from connect to the server's close, per closed client; read only after {@link #close}
     */
    Latencies closedAfter() {
        return closedAfter;
    }

    /** Stops the thread and resets every connection (SO_LINGER 0: no TIME_WAIT left behind). */
    @Override
    public void close() throws InterruptedException {
        stop = true;
        if (selector != null) {
            selector.wakeup();
        }
        thread.join(30_000);
        for (Client c : clients) {
            try {
                if (c.channel.isOpen()) {
                    c.channel.setOption(StandardSocketOptions.SO_LINGER, 0);
                    c.channel.close();
                }
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
