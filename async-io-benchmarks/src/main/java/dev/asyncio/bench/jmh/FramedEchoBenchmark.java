package dev.asyncio.bench.jmh;

import dev.asyncio.bench.framed.AsyncIoFramedEcho;
import dev.asyncio.core.AcceptOptions;
import dev.asyncio.core.AcceptingHandle;
import dev.asyncio.core.WaitStateCollection;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Framed echo end to end over a real loopback connection: 64-byte frames (a 4-byte big-endian length and 60 bytes
 * of payload) through {@link AsyncIoFramedEcho} ({@code FrameReader}, a copy into a pooled direct buffer,
 * {@code FrameWriter}), driven by a blocking client in the benchmark thread that uses direct buffers and so allocates
 * nothing itself. With {@code -prof gc}, {@code gc.alloc.rate.norm} is what one frame costs the server: target 0 B.
 *
 * <p>{@code split=true} sends each batch in two writes cut inside a frame, so the server sees a partial frame at the
 * end of an arrival and keeps it in the state's input buffer until the rest comes: the read-with-checking path with
 * input left over. {@link #oneFrame} is one frame per round trip, {@link #sixteenFrames} sixteen (counted per frame).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class FramedEchoBenchmark {

    /** Bytes of one frame on the wire, header included. */
    static final int FRAME = 64;

    /** Whether each batch goes out in two writes cut inside a frame. */
    @Param({"false", "true"})
    public boolean split;

    private WaitStateCollection collection;
    private SocketChannel client;
    private ByteBuffer one;
    private ByteBuffer sixteen;
    private ByteBuffer in;

    /** Starts the collection, the framed echo handle and the client connection. */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        collection = WaitStateCollection.builder("jmh-framed").daemon(true).createAndRun();
        AcceptingHandle handle = collection.acceptTcpConnections(0, (h, state) -> AsyncIoFramedEcho.start(state),
                AcceptOptions.builder().address("127.0.0.1").queueOutput(true).initTimeout(Duration.ZERO).build());
        client = SocketChannel.open(new InetSocketAddress("127.0.0.1", handle.localPort()));
        client.setOption(StandardSocketOptions.TCP_NODELAY, true);
        one = frames(1);
        sixteen = frames(16);
        in = ByteBuffer.allocateDirect(16 * FRAME);
    }

    static ByteBuffer frames(int count) {
        ByteBuffer b = ByteBuffer.allocateDirect(count * FRAME);
        for (int i = 0; i < count; i++) {
            b.putInt(FRAME - 4);
            for (int j = 4; j < FRAME; j++) {
                b.put((byte) (i + j));
            }
        }
        return b.flip();
    }

    /** Closes everything. */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        client.close();
        collection.close();
    }

    /**
     * One frame out and its echo back.
     *
     * @return a byte of the echo, so the JIT cannot drop the read
     */
    @Benchmark
    public byte oneFrame() throws IOException {
        return roundTrip(one);
    }

    /**
     * Sixteen frames out in one batch and their echoes back; figures are per frame.
     *
     * @return a byte of the echo
     */
    @Benchmark
    @OperationsPerInvocation(16)
    public byte sixteenFrames() throws IOException {
        return roundTrip(sixteen);
    }

    private byte roundTrip(ByteBuffer out) throws IOException {
        int total = out.capacity();
        if (split) {
            // Cut 30 bytes into the last frame: the server gets the head of a frame, then its rest.
            send(out, 0, total - FRAME + 30);
            send(out, total - FRAME + 30, total);
        } else {
            send(out, 0, total);
        }
        in.clear().limit(total);
        while (in.hasRemaining()) {
            if (client.read(in) < 0) {
                throw new IOException("framed echo server closed the connection");
            }
        }
        return in.get(total - 1);
    }

    private void send(ByteBuffer out, int from, int to) throws IOException {
        out.limit(to).position(from);
        while (out.hasRemaining()) {
            client.write(out);
        }
    }
}
