package dev.asyncio.core.tls;

import dev.asyncio.core.testing.TlsFixtures;
import static dev.asyncio.core.tls.PlainPair.WAIT_SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncio.core.AcceptOptions;
import dev.asyncio.core.AcceptingHandle;
import dev.asyncio.core.TlsOptions;
import dev.asyncio.core.WaitStateCollection;
import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ByteBuffer operations and {@code sendFile} over TLS: the same bytes as over plain TCP. */
class TlsBufferOpsTest {

    private WaitStateCollection collection;

    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        collection = WaitStateCollection.builder("tls-buffers").daemon(true).createAndRun();
    }

    @AfterEach
    void stop() {
        collection.close();
    }

    private AcceptingHandle server(dev.asyncio.core.ConnectionFunction fn) {
        return collection.acceptTcpConnections(0, fn, AcceptOptions.builder().address("127.0.0.1").queueOutput(true)
                .tls(TlsOptions.builder().context(TlsFixtures.server()).build()).build());
    }

    private static SSLSocket client(AcceptingHandle handle) throws Exception {
        SSLSocket socket = (SSLSocket) TlsFixtures.trustingClient().getSocketFactory()
                .createSocket("localhost", handle.localPort());
        socket.setSoTimeout(10_000);
        return socket;
    }

    @Test
    void sendFileOverTlsArrivesByteForByte() throws Exception {
        byte[] content = TlsEchoTest.randomBytes(3 * 1024 * 1024 + 77, 9);
        Path p = dir.resolve("payload");
        Files.write(p, content);
        CompletableFuture<String> done = new CompletableFuture<>();
        try (FileChannel f = FileChannel.open(p, StandardOpenOption.READ)) {
            AcceptingHandle handle = server((h, st) -> {
                st.sendFile(f, 100, content.length - 100, (s, file, n) -> done.complete(n + " " + s.writeStatus()));
                st.closeGracefully(Duration.ofSeconds(10), null);
            });
            try (SSLSocket socket = client(handle)) {
                byte[] back = new byte[content.length - 100];
                InputStream in = socket.getInputStream();
                new DataInputStream(in).readFully(back);
                assertThat(back).isEqualTo(java.util.Arrays.copyOfRange(content, 100, content.length));
                assertThat(in.read()).isEqualTo(-1);
            }
            assertThat(done.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo((content.length - 100) + " OK");
        }
    }

    @Test
    void aPooledDirectBufferEchoWorksOverTls() throws Exception {
        AcceptingHandle handle = server((h, st) -> dev.asyncio.core.testing.PooledBufferEcho.read(st));
        byte[] data = TlsEchoTest.randomBytes(700_000, 4);
        try (SSLSocket socket = client(handle)) {
            OutputStream out = socket.getOutputStream();
            Thread writer = new Thread(() -> {
                try {
                    out.write(data);
                    out.flush();
                } catch (Exception ignored) {
                    // The read below fails if the bytes do not come back.
                }
            });
            writer.start();
            byte[] back = new byte[data.length];
            new DataInputStream(socket.getInputStream()).readFully(back);
            writer.join(10_000);
            assertThat(back).isEqualTo(data);
        }
    }

    @Test
    void theReadWithCheckingViewSeesDecryptedInput() throws Exception {
        CompletableFuture<String> line = new CompletableFuture<>();
        AcceptingHandle handle = server((h, st) -> st.readWithCheckingView((s, view, end) -> {
            for (int i = 0; i < end; i++) {
                if (view.get(i) == '\n') {
                    byte[] b = new byte[i];
                    view.get(0, b);
                    line.complete(new String(b, java.nio.charset.StandardCharsets.US_ASCII));
                    s.finish(i + 1);
                    return;
                }
            }
        }));
        try (SSLSocket socket = client(handle)) {
            socket.getOutputStream().write("over tls\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            assertThat(line.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("over tls");
        }
    }
}
