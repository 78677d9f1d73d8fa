package dev.asyncio.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/**
 * The shared fixture of the core tests: a running collection ({@link WaitStateCollection#createAndRun}) per test,
 * named after the test, plus helpers that connect a state to a blocking {@link Peer} over loopback on an ephemeral
 * port. Everything a test opens through the helpers (and every collection made by {@link #newCollection}) is closed
 * after the test, the collection last.
 */
abstract class LoopTestSupport {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    static final Duration WAIT = Duration.ofSeconds(10);

    static {
        Awaitility.setDefaultTimeout(WAIT);
        Awaitility.setDefaultPollInterval(Duration.ofMillis(5));
        Awaitility.setDefaultPollDelay(Duration.ZERO);
    }

    /** The collection of the test, its loop running on thread {@code Loop Collection <collectionName>}. */
    protected WaitStateCollection collection;
    /** The collection's name: the test method's name. */
    protected String collectionName;

    private final Deque<AutoCloseable> toClose = new ArrayDeque<>();

    @BeforeEach
    void startCollection(TestInfo info) {
        collectionName = info.getTestMethod().map(m -> m.getName()).orElse("test");
        collection = WaitStateCollection.createAndRun(collectionName);
    }

    @AfterEach
    void closeEverything() throws Exception {
        Exception first = null;
        while (!toClose.isEmpty()) {
            try {
                toClose.pop().close();
            } catch (Exception e) {
                first = first == null ? e : first;
            }
        }
        if (collection != null) {
            collection.close();
        }
        if (first != null) {
            throw first;
        }
    }

    /** Closes {@code c} after the test (before the collection), in reverse order of registration. */
    protected <T extends AutoCloseable> T track(T c) {
        toClose.push(c);
        return c;
    }

    /** @return a further running collection with its own policy, closed after the test */
    protected WaitStateCollection newCollection(String name, CallbackErrorPolicy policy) {
        return track(WaitStateCollection.createAndRun(name, policy));
    }

    /** @return the thread name the fixture's collection runs its callbacks on */
    protected String loopThreadName() {
        return "Loop Collection " + collectionName;
    }

    /** @return a loopback listening socket on an ephemeral port, closed after the test */
    protected ServerSocket listen() throws IOException {
        return track(new ServerSocket(0, 50, LOOPBACK));
    }

    /** A state of the fixture's collection and the blocking peer at the other end of its connection. */
    record Connection(AsyncIoState state, Peer peer, SocketChannel channel) {
    }

    protected Connection connect() throws IOException {
        return connect(collection, StateOptions.DEFAULTS, 0);
    }

    protected Connection connect(StateOptions options) throws IOException {
        return connect(collection, options, 0);
    }

    /**
     * Connects a state to a peer over loopback.
     *
     * @param socketBuffers if positive, the state's send buffer and the peer's receive buffer get this size, so that
     *                      a peer that does not read makes writes back up quickly
     */
    protected Connection connect(WaitStateCollection in, StateOptions options, int socketBuffers) throws IOException {
        ServerSocket server = new ServerSocket();
        try (server) {
            if (socketBuffers > 0) {
                server.setReceiveBufferSize(socketBuffers);
            }
            server.bind(new InetSocketAddress(LOOPBACK, 0), 50);
            SocketChannel channel = SocketChannel.open();
            if (socketBuffers > 0) {
                channel.setOption(StandardSocketOptions.SO_SNDBUF, socketBuffers);
            }
            channel.connect(server.getLocalSocketAddress());
            Socket accepted = server.accept();
            Peer peer = track(new Peer(accepted));
            track(channel);
            AsyncIoState state = in.createState(channel, options);
            return new Connection(state, peer, channel);
        }
    }

    /**
     * Runs {@code work} on the loop thread (through {@link WaitStateCollection#apply}) and returns its result.
     * Also a barrier: everything queued to the loop before it has run when it returns.
     */
    protected <T> T onLoop(WaitStateCollection in, Supplier<T> work) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        in.apply(() -> {
            try {
                result.complete(work.get());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    protected <T> T onLoop(Supplier<T> work) throws Exception {
        return onLoop(collection, work);
    }

    /** Waits until the fixture's loop has run everything queued so far. */
    protected void roundTrip() throws Exception {
        onLoop(() -> null);
    }

    protected static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    protected static String text(byte[] b, int from, int to) {
        return new String(b, from, to - from, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    protected static void assertOnLoop(Call call, String loopThread) {
        assertThat(call.thread()).as("callback thread").isEqualTo(loopThread);
    }
}
