package dev.asyncio.core.tls;

import dev.asyncio.core.testing.TlsFixtures;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.asyncio.core.AcceptOptions;
import dev.asyncio.core.AcceptingHandle;
import dev.asyncio.core.AsyncIoState;
import dev.asyncio.core.BindFailedException;
import dev.asyncio.core.ConnectOptions;
import dev.asyncio.core.IoStatus;
import dev.asyncio.core.TlsOptions;
import dev.asyncio.core.TlsSide;
import dev.asyncio.core.WaitStateCollection;
import java.io.ByteArrayOutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unix domain sockets: accept on a path and connect to one, the state operations on them (TLS too), their
 * addresses, the socket file removed on close, a stale file replaced and a live one refused at bind.
 */
class UnixSocketTest {

    private static final long WAIT = 10;

    private WaitStateCollection collection;

    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        collection = WaitStateCollection.builder("unix").daemon(true).createAndRun();
    }

    @AfterEach
    void stop() {
        collection.close();
    }

    private static AcceptOptions echoOptions(TlsOptions tls) {
        return AcceptOptions.builder().queueOutput(true).handleName("unix-echo").tls(tls).build();
    }

    /** Connects, writes {@code data}, reads it all back through a read-with-checking, and closes. */
    private byte[] roundTrip(Path path, ConnectOptions options, byte[] data) throws Exception {
        CompletableFuture<byte[]> back = new CompletableFuture<>();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        collection.connectUnix(path, (state, failure) -> {
            if (failure != null) {
                back.completeExceptionally(failure);
                return;
            }
            state.writeBuffer(data, null);
            state.readWithChecking((s, buf, end) -> {
                received.write(buf, 0, end);
                if (end > 0) {
                    s.discard(end);
                }
                if (received.size() >= data.length || s.readStatus() != IoStatus.OK) {
                    s.finish();
                    s.close();
                    back.complete(received.toByteArray());
                }
            });
        }, options);
        return back.get(WAIT, TimeUnit.SECONDS);
    }

    @Test
    void echoesOverAUnixSocketWithTheAddressesOfTheFamily() throws Exception {
        Path path = dir.resolve("echo.sock");
        LinkedBlockingQueue<String> serverSide = new LinkedBlockingQueue<>();
        AcceptingHandle handle = collection.acceptUnixConnections(path, (h, st) -> {
            serverSide.add(st.localSocketAddress() + " " + st.localAddress() + " " + st.peerAddress() + " "
                    + (st.peerSocketAddress() instanceof UnixDomainSocketAddress));
            EchoHandler.start(st);
        }, echoOptions(null));
        assertThat(handle.unixSocketPath()).isEqualTo(path);
        assertThat(handle.localPort()).isEqualTo(-1);
        assertThat(handle.localAddress()).isNull();
        assertThat(handle.toString()).contains("unix:" + path);
        assertThat(Files.exists(path)).isTrue();

        byte[] data = TlsEchoTest.randomBytes(300_000, 21);
        ConnectOptions plain = ConnectOptions.builder().stateOptions(
                dev.asyncio.core.StateOptions.builder().queueOutput(true).build()).build();
        assertThat(roundTrip(path, plain, data)).isEqualTo(data);
        assertThat(serverSide.poll(WAIT, TimeUnit.SECONDS)).isEqualTo(UnixDomainSocketAddress.of(path)
                + " null null true");
    }

    @Test
    void theClientStateNamesTheServerPathAndByteBufferOperationsWork() throws Exception {
        Path path = dir.resolve("bb.sock");
        collection.acceptUnixConnections(path, (h, st) -> EchoHandler.start(st), echoOptions(null));
        CompletableFuture<String> result = new CompletableFuture<>();
        AsyncIoState client = collection.connectUnix(path, (state, failure) -> {
            ByteBuffer out = ByteBuffer.allocateDirect(5).put(new byte[] {'h', 'e', 'l', 'l', 'o'}).flip();
            state.writeBuffer(out, null);
            state.readBuffer(ByteBuffer.allocateDirect(5), (s, b, n) ->
                    result.complete(n + " " + s.peerSocketAddress()));
        }, ConnectOptions.DEFAULTS);
        assertThat(result.get(WAIT, TimeUnit.SECONDS)).isEqualTo("5 " + UnixDomainSocketAddress.of(path));
        assertThat(client.peerAddress()).isNull();
        client.close();
    }

    @Test
    void tlsWorksOverAUnixSocket() throws Exception {
        Path path = dir.resolve("tls.sock");
        LinkedBlockingQueue<TlsSide> sides = new LinkedBlockingQueue<>();
        collection.acceptUnixConnections(path, (h, st) -> {
            sides.add(st.tlsSide());
            EchoHandler.start(st);
        }, echoOptions(TlsOptions.builder().context(TlsFixtures.server()).build()));
        ConnectOptions tls = ConnectOptions.builder()
                .tls(TlsOptions.builder().context(TlsFixtures.trustingClient()).sniHostName("localhost").build())
                .stateOptions(dev.asyncio.core.StateOptions.builder().queueOutput(true).build()).build();
        assertThatThrownBy(() -> collection.connectUnix(path, (s, f) -> { }, ConnectOptions.builder()
                .tls(TlsOptions.builder().context(TlsFixtures.trustingClient()).build()).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sniHostName");
        byte[] data = TlsEchoTest.randomBytes(500_000, 22);
        assertThat(roundTrip(path, tls, data)).isEqualTo(data);
        assertThat(sides.poll(WAIT, TimeUnit.SECONDS)).isEqualTo(TlsSide.SERVER);
    }

    @Test
    void sendFileWorksOverAUnixSocket() throws Exception {
        Path path = dir.resolve("file.sock");
        byte[] content = TlsEchoTest.randomBytes(2_000_000, 23);
        Path file = dir.resolve("content");
        Files.write(file, content);
        try (FileChannel f = FileChannel.open(file, StandardOpenOption.READ)) {
            collection.acceptUnixConnections(path, (h, st) -> {
                st.sendFile(f, 0, content.length, null);
                st.closeGracefully(Duration.ofSeconds(10), null);
            }, echoOptions(null));
            CompletableFuture<byte[]> back = new CompletableFuture<>();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            collection.connectUnix(path, (state, failure) -> state.readWithChecking((s, buf, end) -> {
                received.write(buf, 0, end);
                if (end > 0) {
                    s.discard(end);
                }
                if (s.readStatus() != IoStatus.OK) {
                    s.close();
                    back.complete(received.toByteArray());
                }
            }), ConnectOptions.DEFAULTS);
            assertThat(back.get(WAIT, TimeUnit.SECONDS)).isEqualTo(content);
        }
    }

    @Test
    void theSocketFileIsRemovedWhenTheHandleCloses() throws Exception {
        Path path = dir.resolve("gone.sock");
        AcceptingHandle handle = collection.acceptUnixConnections(path, (h, st) -> st.close(), echoOptions(null));
        assertThat(Files.exists(path)).isTrue();
        CompletableFuture<Void> closed = new CompletableFuture<>();
        handle.close(c -> closed.complete(null));
        closed.get(WAIT, TimeUnit.SECONDS);
        assertThat(Files.exists(path)).isFalse();
        // The path can be bound again at once.
        AcceptingHandle again = collection.acceptUnixConnections(path, (h, st) -> st.close(), echoOptions(null));
        assertThat(again.isOpen()).isTrue();
    }

    @Test
    void aStaleSocketFileIsReplacedAtBind() throws Exception {
        Path path = dir.resolve("stale.sock");
        // A server that died without removing its socket file: the JDK leaves the file behind on close.
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(path));
        }
        assertThat(Files.exists(path)).isTrue();
        collection.acceptUnixConnections(path, (h, st) -> EchoHandler.start(st), echoOptions(null));
        byte[] data = {1, 2, 3};
        ConnectOptions queued = ConnectOptions.builder().stateOptions(
                dev.asyncio.core.StateOptions.builder().queueOutput(true).build()).build();
        assertThat(roundTrip(path, queued, data)).isEqualTo(data);
    }

    @Test
    void aLiveSocketAndAnOrdinaryFileAreRefusedAtBind() throws Exception {
        Path path = dir.resolve("live.sock");
        AcceptingHandle live = collection.acceptUnixConnections(path, (h, st) -> st.close(), echoOptions(null));
        assertThatThrownBy(() -> collection.acceptUnixConnections(path, (h, st) -> st.close(), echoOptions(null)))
                .isInstanceOf(BindFailedException.class).hasMessageContaining("live server")
                .satisfies(e -> assertThat(((BindFailedException) e).path()).isEqualTo(path));
        assertThat(live.isOpen()).isTrue();
        assertThat(Files.exists(path)).as("the live server's file is kept").isTrue();

        Path ordinary = dir.resolve("data.txt");
        Files.writeString(ordinary, "keep me");
        assertThatThrownBy(() -> collection.acceptUnixConnections(ordinary, (h, st) -> st.close(),
                echoOptions(null))).isInstanceOf(BindFailedException.class).hasMessageContaining("not a socket");
        assertThat(Files.readString(ordinary)).isEqualTo("keep me");
    }

    @Test
    void aUnixListeningSocketMadeByTheCallerServesConnections() throws Exception {
        Path path = dir.resolve("own.sock");
        ServerSocketChannel own = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        own.bind(UnixDomainSocketAddress.of(path));
        AcceptingHandle handle = collection.acceptTcpConnections(own, (h, st) -> EchoHandler.start(st),
                AcceptOptions.builder().queueOutput(true).nodelay(true).build());
        assertThat(handle.unixSocketPath()).isEqualTo(path);
        byte[] data = {9, 8, 7};
        ConnectOptions queued = ConnectOptions.builder().stateOptions(
                dev.asyncio.core.StateOptions.builder().queueOutput(true).build()).build();
        assertThat(roundTrip(path, queued, data)).isEqualTo(data);
    }

    @Test
    void connectingToAMissingPathFailsAndClosesTheState() throws Exception {
        CompletableFuture<Throwable> failed = new CompletableFuture<>();
        AsyncIoState state = collection.connectUnix(dir.resolve("nobody.sock"), (s, failure) ->
                failed.complete(failure), ConnectOptions.DEFAULTS);
        assertThat(failed.get(WAIT, TimeUnit.SECONDS)).isNotNull().hasMessageContaining("nobody.sock");
        await().until(() -> !state.isOpen());
    }
}
