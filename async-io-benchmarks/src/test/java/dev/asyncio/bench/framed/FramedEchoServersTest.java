package dev.asyncio.bench.framed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncio.core.AcceptingHandle;
import io.netty.channel.Channel;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Both framed echo servers answer every frame with the same frame, whatever the frame sizes and however the client's
 * writes cut them (inside a header, inside a payload, many frames in one write: the pause and resume path of the
 * async-io echo included), and the async-io server refuses a frame over its limit by closing.
 */
class FramedEchoServersTest {

    @Test
    void asyncIoEchoesEveryFrameAcrossSplits() throws Exception {
        AcceptingHandle handle = AsyncIoFramedEchoServer.start(new FramedOptions("127.0.0.1", 0, "nio"));
        try {
            echoRandomFrames(handle.localPort());
        } finally {
            handle.collection().close();
        }
    }

    @Test
    void nettyEchoesEveryFrameAcrossSplits() throws Exception {
        Channel server = NettyFramedEchoServer.start(new FramedOptions("127.0.0.1", 0, "nio"));
        try {
            echoRandomFrames(((InetSocketAddress) server.localAddress()).getPort());
        } finally {
            server.close().sync();
            server.eventLoop().parent().shutdownGracefully().sync();
        }
    }

    @Test
    void asyncIoClosesOnAnOversizedFrame() throws Exception {
        AcceptingHandle handle = AsyncIoFramedEchoServer.start(new FramedOptions("127.0.0.1", 0, "nio"));
        try (Socket s = new Socket("127.0.0.1", handle.localPort())) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write(new byte[] {0x00, 0x10, 0x00, 0x01}); // 1 MiB + 1
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        } finally {
            handle.collection().close();
        }
    }

    private static void echoRandomFrames(int port) throws IOException {
        Random random = new Random(19);
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            s.setTcpNoDelay(true);
            OutputStream out = s.getOutputStream();
            DataInputStream in = new DataInputStream(s.getInputStream());
            for (int batch = 0; batch < 40; batch++) {
                // Up to 200 frames a batch: more than the async-io echo's writes in flight, so it pauses and resumes.
                int frames = 1 + random.nextInt(200);
                java.io.ByteArrayOutputStream wire = new java.io.ByteArrayOutputStream();
                for (int f = 0; f < frames; f++) {
                    int size = random.nextInt(10) == 0 ? random.nextInt(70_000) : random.nextInt(100);
                    byte[] payload = new byte[size];
                    random.nextBytes(payload);
                    wire.write(size >>> 24);
                    wire.write(size >>> 16);
                    wire.write(size >>> 8);
                    wire.write(size);
                    wire.write(payload);
                }
                byte[] bytes = wire.toByteArray();
                for (int at = 0; at < bytes.length; ) {
                    int n = Math.min(bytes.length - at, 1 + random.nextInt(random.nextBoolean() ? 7 : 5000));
                    out.write(bytes, at, n);
                    out.flush();
                    at += n;
                }
                byte[] echo = new byte[bytes.length];
                in.readFully(echo);
                assertThat(echo).as("batch %d of %d frames", batch, frames).isEqualTo(bytes);
            }
        }
    }
}
