package dev.asyncio.core.tls;

import dev.asyncio.core.AcceptOptions;
import dev.asyncio.core.AcceptingHandle;
import dev.asyncio.core.AsyncIoState;
import dev.asyncio.core.ConnectCallback;
import dev.asyncio.core.StateCallback;
import dev.asyncio.core.TlsOptions;
import dev.asyncio.core.WaitStateCollection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Two ends of one plain loopback TCP connection, both async states of the same collection, with blocking helpers
 * that start an operation and wait for its callback, for tests that script a conversation step by step.
 */
record PlainPair(AsyncIoState server, AsyncIoState client) {

    static final long WAIT_SECONDS = 10;

    /** Connects a plain client to a plain listener of {@code collection}; the listener is closed again. */
    static PlainPair open(WaitStateCollection collection) throws Exception {
        CompletableFuture<AsyncIoState> accepted = new CompletableFuture<>();
        AcceptingHandle handle = collection.acceptTcpConnections(0, (h, s) -> accepted.complete(s),
                AcceptOptions.builder().address("127.0.0.1").build());
        CompletableFuture<AsyncIoState> connected = new CompletableFuture<>();
        collection.connectTcp("127.0.0.1", handle.localPort(), (s, f) -> {
            if (f != null) {
                connected.completeExceptionally(f);
            } else {
                connected.complete(s);
            }
        });
        PlainPair pair = new PlainPair(accepted.get(WAIT_SECONDS, TimeUnit.SECONDS),
                connected.get(WAIT_SECONDS, TimeUnit.SECONDS));
        handle.close();
        return pair;
    }

    /** Writes {@code data} from {@code from} and reads exactly as many bytes at {@code to}; returns what arrived. */
    static byte[] transfer(AsyncIoState from, AsyncIoState to, byte[] data) throws Exception {
        CompletableFuture<byte[]> got = new CompletableFuture<>();
        to.readBuffer(new byte[data.length], (s, b, n) -> got.complete(Arrays.copyOf(b, n)));
        from.writeBuffer(data, null);
        return got.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** As {@link #transfer(AsyncIoState, AsyncIoState, byte[])} for text. */
    static String transfer(AsyncIoState from, AsyncIoState to, String text) throws Exception {
        return new String(transfer(from, to, text.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    /** Starts an attach on {@code state}; the future completes with the failure, or an empty message on success. */
    static CompletableFuture<Throwable> attach(AsyncIoState state, TlsOptions options) {
        CompletableFuture<Throwable> done = new CompletableFuture<>();
        state.attachTls(options, outcome(done));
        return done;
    }

    /** Starts a handshake; the future completes as for {@link #attach}. */
    static CompletableFuture<Throwable> handshake(AsyncIoState state, Duration timeout) {
        CompletableFuture<Throwable> done = new CompletableFuture<>();
        state.handshake(outcome(done), timeout);
        return done;
    }

    /** Starts a detach; the future completes when its callback ran. */
    static CompletableFuture<AsyncIoState> detach(AsyncIoState state) {
        CompletableFuture<AsyncIoState> done = new CompletableFuture<>();
        StateCallback cb = done::complete;
        state.detachTls(cb);
        return done;
    }

    /** A success marker: futures cannot hold {@code null} usefully in an {@code isEqualTo} chain. */
    static final Throwable SUCCESS = new Throwable("success");

    private static ConnectCallback outcome(CompletableFuture<Throwable> done) {
        return (s, f) -> done.complete(f == null ? SUCCESS : f);
    }
}
