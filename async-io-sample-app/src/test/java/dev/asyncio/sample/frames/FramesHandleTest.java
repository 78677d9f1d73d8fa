package dev.asyncio.sample.frames;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import dev.asyncio.spring.actuate.endpoint.AsyncIoEndpoint;
import dev.asyncio.spring.test.LocalAsyncIoPort;

/**
 * The sample's {@code frames} handle, configured as in {@code application.yml}: each 4-byte big-endian
 * length-prefixed frame (at most 1 MiB) comes back as it was; a longer one closes the connection.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "async-io.handles.echo.address=127.0.0.1", "async-io.handles.kv.address=127.0.0.1",
        "async-io.handles.tls-echo.address=127.0.0.1", "async-io.handles.frames.address=127.0.0.1",
        "sample.udp-echo.port=0", "sample.udp-echo.address=127.0.0.1", "spring.main.banner-mode=off"})
class FramesHandleTest {

    private static final int MAX = 1024 * 1024;

    @LocalAsyncIoPort("frames")
    private int port;

    @Autowired
    private AsyncIoEndpoint endpoint;

    private Socket connect() throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        s.setSoTimeout(30_000);
        return s;
    }

    @Test
    void framesOfZeroOneAndTheLimitComeBackInOneWriteAndByteByByte() throws Exception {
        byte[] big = new byte[MAX];
        new Random(19).nextBytes(big);
        try (Socket s = connect()) {
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            DataInputStream in = new DataInputStream(s.getInputStream());
            // Three frames in one write: 0 bytes, 1 byte, the limit.
            out.writeInt(0);
            out.writeInt(1);
            out.write('x');
            out.writeInt(MAX);
            out.write(big);
            out.flush();
            assertThat(in.readInt()).isZero();
            assertThat(in.readInt()).isEqualTo(1);
            assertThat(in.read()).isEqualTo('x');
            assertThat(in.readInt()).isEqualTo(MAX);
            assertThat(in.readNBytes(MAX)).isEqualTo(big);
            // One frame a byte at a time.
            for (byte b : new byte[] {0, 0, 0, 3, 'a', 'b', 'c'}) {
                out.write(b);
                out.flush();
            }
            assertThat(in.readInt()).isEqualTo(3);
            assertThat(in.readNBytes(3)).containsExactly('a', 'b', 'c');
            s.shutdownOutput();
            assertThat(in.read()).as("EOF between frames closes after the replies").isEqualTo(-1);
        }
    }

    @Test
    void aFrameOverOneMebibyteClosesTheConnectionAtItsHeader() throws Exception {
        try (Socket s = connect()) {
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            out.writeInt(MAX + 1);
            out.flush();
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void theEndpointShowsTheFraming() {
        AsyncIoEndpoint.HandleDescriptor handle = endpoint.handle("frames", 1).handle();
        assertThat(handle.framing()).isEqualTo(new AsyncIoEndpoint.FramingDescriptor("length-prefix", MAX, "close"));
    }
}
