package dev.asyncio.core.client;

import dev.asyncio.core.AcceptOptions;
import dev.asyncio.core.AcceptingHandle;
import dev.asyncio.core.AsyncIoState;
import dev.asyncio.core.FrameReader;
import dev.asyncio.core.FrameWriter;
import dev.asyncio.core.Framing;
import dev.asyncio.core.WaitStateCollection;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A line server for the client tests, on a loop of its own: it answers each line with the same line, except
 * {@code hold...} (kept, with every line after it, until {@link #releaseHeld()}: answers stay in order),
 * {@code dup...} (answered twice), {@code drop...} (closes the connection at once, requests in
 * flight with it) and {@code silent...} (never answered). It can be stopped and started again on the same port.
 */
final class LineServer implements AutoCloseable {
    static final Framing FRAMING = Framing.lf();

    private final WaitStateCollection loop;
    private final String name;
    private final FrameWriter writer = new FrameWriter(FRAMING);
    private final List<AsyncIoState> connections = new CopyOnWriteArrayList<>();
    /** Held answers per connection (a closed connection's are dropped). */
    private final java.util.Map<AsyncIoState, Queue<Runnable>> held = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger lines = new AtomicInteger();
    private volatile AcceptingHandle handle;
    private volatile int port;

    LineServer(String name) {
        this.name = name;
        this.loop = WaitStateCollection.createAndRun("server-" + name);
        bind(0);
    }

    private void bind(int onPort) {
        handle = loop.acceptTcpConnections(onPort, (h, state) -> {
            accepted.incrementAndGet();
            connections.add(state);
            FrameReader.start(state, FRAMING, this::line, (s, status, failure) -> s.close());
        }, AcceptOptions.builder().queueOutput(true).initTimeout(Duration.ofSeconds(10)).build());
        port = handle.localPort();
    }

    private void line(AsyncIoState s, ByteBuffer frame) {
        lines.incrementAndGet();
        byte[] b = new byte[frame.remaining()];
        frame.get(b);
        String text = new String(b, StandardCharsets.UTF_8);
        if (text.startsWith("drop")) {
            s.close();
        } else if (text.startsWith("silent")) {
            return;
        } else if (text.startsWith("dup")) {
            writer.write(s, b, null);
            writer.write(s, b, null);
        } else if (text.startsWith("hold") || !held.getOrDefault(s, new ConcurrentLinkedQueue<>()).isEmpty()) {
            // Behind a held line every answer waits too: the server answers in order, as FIFO correlation needs.
            held.computeIfAbsent(s, k -> new ConcurrentLinkedQueue<>()).add(() -> {
                if (s.isOpen()) {
                    writer.write(s, b, null);
                }
            });
        } else {
            writer.write(s, b, null);
        }
    }

    /** Answers the held lines, in order, on the server's loop. */
    void releaseHeld() {
        loop.execute(() -> {
            for (Queue<Runnable> q : held.values()) {
                Runnable r;
                while ((r = q.poll()) != null) {
                    r.run();
                }
            }
        });
    }

    /** @return answers held for open connections */
    int heldCount() {
        held.keySet().removeIf(s -> !s.isOpen());
        return held.values().stream().mapToInt(Queue::size).sum();
    }

    int port() {
        return port;
    }

    String address() {
        return "127.0.0.1:" + port;
    }

    int accepted() {
        return accepted.get();
    }

    int lines() {
        return lines.get();
    }

    /** Stops listening and drops every connection (the port is free). */
    void stop() {
        java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
        handle.close(c -> closed.countDown());
        try {
            if (!closed.await(10, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new AssertionError(this + ": the listening socket did not close");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        for (AsyncIoState s : connections) {
            if (s.isOpen()) {
                s.close();
            }
        }
        connections.clear();
        held.clear();
    }

    /** Listens again on the same port. */
    void restart() {
        bind(port);
    }

    /** Drops every connection but keeps listening. */
    void dropConnections() {
        for (AsyncIoState s : connections) {
            if (s.isOpen()) {
                s.close();
            }
        }
        connections.clear();
    }

    @Override
    public void close() {
        loop.close();
    }

    @Override
    public String toString() {
        return "LineServer[" + name + " :" + port + "]";
    }
}
