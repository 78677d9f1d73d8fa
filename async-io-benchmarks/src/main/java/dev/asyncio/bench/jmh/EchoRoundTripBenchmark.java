package dev.asyncio.bench.jmh;

import dev.asyncio.bench.server.AsyncIoDirectEcho;
import dev.asyncio.bench.server.AsyncIoEcho;
import dev.asyncio.bench.server.EchoBufferPool;
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
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The read-with-checking hot path: one echo round trip through an async-io collection ({@link AsyncIoEcho}:
 * {@code readWithChecking}, copy, {@code discard}, queued {@code writeBuffer}), driven by a blocking client in the
 * benchmark thread that uses direct buffers and so allocates nothing itself. With {@code -prof gc},
 * {@code gc.alloc.rate.norm} is what one echoed message costs the server side: the target is 0 B/op.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class EchoRoundTripBenchmark {

    /** Message size in bytes. */
    @Param({"64", "4096"})
    public int size;

    /**
     * Which echo serves: {@code array} copies each arrival into a pooled {@code byte[]} (the LispWorks API),
     * {@code direct} reads into a pooled direct buffer and writes it without a copy (issue 11).
     */
    @Param({"array", "direct"})
    public String echo;

    private WaitStateCollection collection;
    private AcceptingHandle handle;
    private SocketChannel client;
    private ByteBuffer out;
    private ByteBuffer in;

    /** Starts the collection, the echo handle and the client connection. */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        collection = WaitStateCollection.builder("jmh-echo").daemon(true).createAndRun();
        EchoBufferPool pool = new EchoBufferPool();
        boolean direct = echo.equals("direct");
        handle = collection.acceptTcpConnections(0, (h, state) -> {
            if (direct) {
                AsyncIoDirectEcho.start(state);
            } else {
                AsyncIoEcho.start(state, pool);
            }
        },
                AcceptOptions.builder().address("127.0.0.1").queueOutput(true).initTimeout(Duration.ZERO).build());
        client = SocketChannel.open(new InetSocketAddress("127.0.0.1", handle.localPort()));
        client.setOption(StandardSocketOptions.TCP_NODELAY, true);
        out = ByteBuffer.allocateDirect(size);
        in = ByteBuffer.allocateDirect(size);
        while (out.hasRemaining()) {
            out.put((byte) out.position());
        }
    }

    /** Closes everything. */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        client.close();
        collection.close();
    }

    /**
     * One message out and its echo back.
     *
     * @return a byte of the echo, so the JIT cannot drop the read
     */
    @Benchmark
    public byte roundTrip() throws IOException {
        out.clear();
        while (out.hasRemaining()) {
            client.write(out);
        }
        in.clear();
        while (in.hasRemaining()) {
            if (client.read(in) < 0) {
                throw new IOException("echo server closed the connection");
            }
        }
        return in.get(size - 1);
    }
}
