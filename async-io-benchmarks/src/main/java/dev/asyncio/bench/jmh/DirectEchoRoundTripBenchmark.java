package dev.asyncio.bench.jmh;

import dev.asyncio.bench.server.AsyncIoDirectEcho;
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
 * One client round trip through the direct-buffer echo ({@code readPooled} into a pooled direct buffer, written from
 * it without a copy): with {@code -prof gc} it shows whether the direct path allocates per message (issue 11 asks
 * for 0 B/op in a steady state).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DirectEchoRoundTripBenchmark {

    /** Message size in bytes. */
    @Param({"64", "4096"})
    public int size;

    private WaitStateCollection collection;
    private AcceptingHandle handle;
    private SocketChannel client;
    private ByteBuffer out;
    private ByteBuffer in;

    /** Starts the collection, the echo handle and the client connection. */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        collection = WaitStateCollection.builder("jmh-direct-echo").daemon(true).createAndRun();
        handle = collection.acceptTcpConnections(0, (h, state) -> AsyncIoDirectEcho.start(state),
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
