package dev.asyncio.core.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncio.core.AcceptOptions;
import dev.asyncio.core.AcceptingHandle;
import dev.asyncio.core.AsyncIoState;
import dev.asyncio.core.StateCallback;
import dev.asyncio.core.TlsOptions;
import dev.asyncio.core.WaitStateCollection;
import dev.asyncio.core.testing.ConnectFutures;
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
        collection.connectTcp("127.0.0.1", handle.localPort(), ConnectFutures.into(connected));
        PlainPair pair = new PlainPair(accepted.get(WAIT_SECONDS, TimeUnit.SECONDS),
                connected.get(WAIT_SECONDS, TimeUnit.SECONDS));
        handle.close();
        return pair;
    }

    /**
     * Attaches TLS to both ends ({@link TlsTestOptions#serverSide()}, {@link TlsTestOptions#clientSide()}) at once,
     * since each handshake needs the other, and asserts that both succeed.
     *
     * @return this pair, now talking TLS
     */
    PlainPair withTls() throws Exception {
        CompletableFuture<Throwable> s = attach(server, TlsTestOptions.serverSide());
        CompletableFuture<Throwable> c = attach(client, TlsTestOptions.clientSide());
        assertThat(c.get(WAIT_SECONDS, TimeUnit.SECONDS)).isSameAs(ConnectFutures.SUCCESS);
        assertThat(s.get(WAIT_SECONDS, TimeUnit.SECONDS)).isSameAs(ConnectFutures.SUCCESS);
        return this;
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

    /** Writes {@code text} from {@code client} to a peer that echoes, and returns what came back. */
    static String echo(AsyncIoState client, String text) throws Exception {
        return transfer(client, client, text);
    }

    /** Starts an attach on {@code state}; the future completes with the failure, or {@link ConnectFutures#SUCCESS}. */
    static CompletableFuture<Throwable> attach(AsyncIoState state, TlsOptions options) {
        CompletableFuture<Throwable> done = new CompletableFuture<>();
        state.attachTls(options, ConnectFutures.outcomeInto(done));
        return done;
    }

    /** Starts a handshake; the future completes as for {@link #attach}. */
    static CompletableFuture<Throwable> handshake(AsyncIoState state, Duration timeout) {
        CompletableFuture<Throwable> done = new CompletableFuture<>();
        state.handshake(ConnectFutures.outcomeInto(done), timeout);
        return done;
    }

    /** Starts a detach; the future completes when its callback ran. */
    static CompletableFuture<AsyncIoState> detach(AsyncIoState state) {
        CompletableFuture<AsyncIoState> done = new CompletableFuture<>();
        StateCallback cb = done::complete;
        state.detachTls(cb);
        return done;
    }
}
