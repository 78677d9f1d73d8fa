package dev.asyncio.nativeio.internal;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The native reads and writes keep the contract of SocketChannel.read/write for non-blocking sockets. */
class NativeSocketIoTest {

    private final NativeSocketIo io = new NativeSocketIo();

    private static SocketChannel[] pair() throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open()
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            SocketChannel client = SocketChannel.open(server.getLocalAddress());
            SocketChannel accepted = server.accept();
            accepted.configureBlocking(false);
            return new SocketChannel[] {client, accepted};
        }
    }

    @Test
    void readsWhatIsThereZeroWhenNothingIsAndMinusOneAtEndOfInput() throws Exception {
        SocketChannel[] p = pair();
        try {
            ByteBuffer dst = ByteBuffer.allocateDirect(64);
            assertThat(io.read(p[1], dst)).isZero();
            p[0].write(ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII)));
            int n = 0;
            while (n == 0) {
                n = io.read(p[1], dst);
            }
            assertThat(n).isEqualTo(5);
            assertThat(dst.position()).isEqualTo(5);
            // A second buffer at another position: the cached address of the first must not be used for it.
            ByteBuffer other = ByteBuffer.allocateDirect(16).position(3);
            p[0].write(ByteBuffer.wrap("!".getBytes(StandardCharsets.US_ASCII)));
            while (io.read(p[1], other) == 0) {
                Thread.onSpinWait();
            }
            assertThat(other.get(3)).isEqualTo((byte) '!');
            dst.flip();
            byte[] got = new byte[5];
            dst.get(got);
            assertThat(new String(got, StandardCharsets.US_ASCII)).isEqualTo("hello");
            p[0].shutdownOutput();
            ByteBuffer more = ByteBuffer.allocateDirect(8);
            int r;
            while ((r = io.read(p[1], more)) == 0) {
                Thread.onSpinWait();
            }
            assertThat(r).isEqualTo(-1);
        } finally {
            p[0].close();
            p[1].close();
        }
    }

    @Test
    void writesFromThePositionAndAdvancesIt() throws Exception {
        SocketChannel[] p = pair();
        try {
            ByteBuffer src = ByteBuffer.allocateDirect(16);
            src.put("xxabc".getBytes(StandardCharsets.US_ASCII)).flip().position(2);
            assertThat(io.write(p[1], src)).isEqualTo(3);
            assertThat(src.hasRemaining()).isFalse();
            ByteBuffer got = ByteBuffer.allocate(3);
            while (got.hasRemaining()) {
                p[0].read(got);
            }
            assertThat(new String(got.array(), StandardCharsets.US_ASCII)).isEqualTo("abc");
        } finally {
            p[0].close();
            p[1].close();
        }
    }

    @Test
    void aFullSocketBufferTakesZero() throws Exception {
        SocketChannel[] p = pair();
        try {
            ByteBuffer src = ByteBuffer.allocateDirect(1 << 20);
            int n;
            do {
                src.clear();
                n = io.write(p[1], src);
            } while (n > 0);
            assertThat(n).isZero();
        } finally {
            p[0].close();
            p[1].close();
        }
    }

    @Test
    void failsAsNioDoesOnAClosedChannelAResetAndAReadOnlyBuffer() throws Exception {
        SocketChannel[] p = pair();
        p[0].setOption(StandardSocketOptions.SO_LINGER, 0);
        p[0].close(); // RST
        ByteBuffer dst = ByteBuffer.allocateDirect(8);
        IOException reset = null;
        for (int i = 0; i < 1000 && reset == null; i++) {
            try {
                io.read(p[1], dst);
            } catch (IOException e) {
                reset = e;
            }
        }
        assertThat(reset).isInstanceOf(SocketException.class).hasMessage("Connection reset");
        assertThatThrownBy(() -> io.read(p[1], ByteBuffer.allocateDirect(8).asReadOnlyBuffer()))
                .isInstanceOf(IllegalArgumentException.class);
        p[1].close();
        assertThatThrownBy(() -> io.read(p[1], dst)).isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(() -> io.write(p[1], ByteBuffer.allocateDirect(8))).isInstanceOf(ClosedChannelException.class);
    }
}
