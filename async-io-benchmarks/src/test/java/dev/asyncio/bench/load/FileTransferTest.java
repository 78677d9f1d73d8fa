package dev.asyncio.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.asyncio.bench.server.AsyncIoFileSend;
import dev.asyncio.bench.server.AsyncIoFileServer;
import dev.asyncio.bench.server.BenchTls;
import dev.asyncio.bench.server.NettyFileServer;
import dev.asyncio.core.AcceptOptions;
import dev.asyncio.core.AcceptingHandle;
import dev.asyncio.core.TlsOptions;
import dev.asyncio.core.WaitStateCollection;
import io.netty.channel.Channel;
import io.netty.channel.epoll.Epoll;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sendFile benchmark's servers send the benchmark file byte for byte (checked in full by the download client),
 * twice in a row on fresh connections, and the client flags what a broken server sends: a flipped byte, a short file.
 * A file of a few MiB that is not a whole number of blocks, ephemeral ports, the client's own per-transfer timeout
 * as the bound; no sleeps.
 */
class FileTransferTest {

    /** 3 MiB and a bit: more than one block, a partial last block, and more than one socket buffer. */
    private static final long SIZE = 3L * BenchFile.BLOCK + 12_345;

    @TempDir
    static Path dir;

    private static Path file;

    private WaitStateCollection collection;
    private Channel netty;

    @BeforeAll
    static void createFile() throws IOException {
        file = dir.resolve("bench.bin");
        assertThat(BenchFile.ensure(file, SIZE)).isTrue();
        assertThat(BenchFile.ensure(file, SIZE)).as("reused when present").isFalse();
        assertThat(Files.size(file)).isEqualTo(SIZE);
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (collection != null) {
            collection.close();
        }
        if (netty != null) {
            netty.close().sync();
            netty.eventLoop().parent().shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void asyncIoSendFileSendsEveryByte() throws Exception {
        assertCorrect(asyncIo("sendfile", null), null);
    }

    @Test
    void asyncIoSendFileInSeveralCallsSendsEveryByte() throws Exception {
        // The chain of sendFile calls a file larger than one call takes (2 GiB) needs, with a small piece size.
        collection = WaitStateCollection.builder("file-test").daemon(true).createAndRun();
        AcceptingHandle h = collection.acceptTcpConnections(0,
                (handle, state) -> AsyncIoFileSend.start(state, file, 1_000_003),
                AcceptOptions.builder().address("127.0.0.1").queueOutput(true).initTimeout(Duration.ZERO).build());
        assertCorrect(h.localPort(), null);
    }

    @Test
    void asyncIoCopySendsEveryByte() throws Exception {
        assertCorrect(asyncIo("copy", null), null);
    }

    @Test
    void asyncIoSendFileOverTlsSendsEveryByte() throws Exception {
        Path store = keyStore();
        TlsOptions tls = TlsOptions.builder().context(BenchTls.server(store)).build();
        assertCorrect(asyncIo("tls", tls), store.toString());
    }

    @Test
    void nettyNioSendsEveryByte() throws Exception {
        netty = NettyFileServer.bind("nio", 1, "127.0.0.1", 0, file);
        assertCorrect(((InetSocketAddress) netty.localAddress()).getPort(), null);
    }

    @Test
    void nettyEpollSendsEveryByte() throws Exception {
        assumeTrue(Epoll.isAvailable(), "native epoll is not available here");
        netty = NettyFileServer.bind("epoll", 1, "127.0.0.1", 0, file);
        assertCorrect(((InetSocketAddress) netty.localAddress()).getPort(), null);
    }

    @Test
    void flippedByteIsAnErrorInBothVerifyModes() throws Exception {
        long at = 500L * FileDownload.STRIDE; // a sampled position, so the cheap check must see it too
        for (String verify : new String[] {"full", "sampled"}) {
            try (ServerSocket server = brokenServer(at, SIZE)) {
                Result r = download(server.getLocalPort(), verify, null);
                assertThat(r.errors()).as(verify + ": " + r.format()).isEqualTo(2);
            }
        }
    }

    @Test
    void shortFileIsAnError() throws Exception {
        try (ServerSocket server = brokenServer(-1, SIZE - 1)) {
            Result r = download(server.getLocalPort(), "full", null);
            assertThat(r.errors()).as(r.format()).isEqualTo(2);
        }
    }

    @Test
    void correctBlockingServerHasNoErrors() throws Exception {
        // The baseline of the two fault tests: the same hand-made server without a fault passes.
        try (ServerSocket server = brokenServer(-1, SIZE)) {
            assertThat(download(server.getLocalPort(), "full", null).errors()).isZero();
        }
    }

    private int asyncIo(String mode, TlsOptions tls) {
        collection = WaitStateCollection.builder("file-test").daemon(true).createAndRun();
        return AsyncIoFileServer.bind(collection, "127.0.0.1", 0, mode, file, tls).localPort();
    }

    private static void assertCorrect(int port, String keystore) throws Exception {
        Result r = download(port, "full", keystore);
        assertThat(r.errors()).as(r.format()).isZero();
        assertThat(r.format()).contains("bytes " + SIZE + " ", "transfers 2 ");
    }

    private static Result download(int port, String verify, String keystore) throws Exception {
        String args = "download --port " + port + " --bytes " + SIZE + " --transfers 2 --warmup 0 --seconds 0"
                + " --verify " + verify + " --timeout 20" + (keystore == null ? "" : " --keystore " + keystore);
        return new FileDownload(LoadOptions.parse(args.split(" "))).run();
    }

    /**
     * A blocking server that sends {@code length} bytes of the file to each of two connections, with the byte at
     * {@code flip} changed (-1: none), then closes.
     */
    private static ServerSocket brokenServer(long flip, long length) throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        byte[] bytes = Files.readAllBytes(file);
        if (flip >= 0) {
            bytes[(int) flip] ^= 0x5a;
        }
        Thread t = new Thread(() -> {
            for (int i = 0; i < 2; i++) {
                try (Socket s = server.accept(); OutputStream out = s.getOutputStream()) {
                    out.write(bytes, 0, (int) length);
                } catch (IOException e) {
                    return; // the test closed the server
                }
            }
        }, "broken-file-server");
        t.setDaemon(true);
        t.start();
        return server;
    }

    /** A fresh PKCS#12 store made by the JDK's keytool, as run.sh makes it; the test is skipped without keytool. */
    private static Path keyStore() throws Exception {
        Path store = dir.resolve("tls.p12");
        if (Files.exists(store)) {
            return store;
        }
        File keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toFile();
        assumeTrue(keytool.canExecute(), "no keytool in " + keytool.getParent());
        Process p = new ProcessBuilder(keytool.getPath(), "-genkeypair", "-alias", "bench", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=localhost", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", BenchTls.PASSWORD, "-keypass", BenchTls.PASSWORD)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("keytool finished").isTrue();
        assertThat(p.exitValue()).as("keytool exit code").isZero();
        return store;
    }
}
