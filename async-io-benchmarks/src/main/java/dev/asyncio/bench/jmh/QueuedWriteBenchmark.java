package dev.asyncio.bench.jmh;

import dev.asyncio.core.AcceptOptions;
import dev.asyncio.core.AcceptingHandle;
import dev.asyncio.core.AsyncIoState;
import dev.asyncio.core.BufferCallback;
import dev.asyncio.core.IoStatus;
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
 * Queued writes: for every 1-byte request the server answers with {@code writes} separate 64-byte
 * {@code writeBuffer} calls from one read-with-checking callback (the state has {@code queueOutput} on), which the
 * core gathers into one socket write. The client sends the request and reads the whole answer. With
 * {@code -prof gc}, {@code gc.alloc.rate.norm} shows what queuing costs per batch (write operations beyond the one
 * the state keeps spare, queue growth).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class QueuedWriteBenchmark {

    /** Writes queued per request. */
    @Param({"1", "16"})
    public int writes;

    private WaitStateCollection collection;
    private AcceptingHandle handle;
    private SocketChannel client;
    private final ByteBuffer request = ByteBuffer.allocateDirect(1);
    private ByteBuffer answer;

    /** Starts the collection, the answering handle and the client connection. */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        byte[] chunk = new byte[64];
        int n = writes;
        BufferCallback onRequest = new BufferCallback() {
            @Override
            public void call(AsyncIoState state, byte[] buffer, int end) {
                if (state.readStatus() != IoStatus.OK) {
                    state.close();
                    return;
                }
                for (int r = 0; r < end; r++) {
                    for (int i = 0; i < n; i++) {
                        state.writeBuffer(chunk, 0, chunk.length, null);
                    }
                }
                state.discard(end);
            }
        };
        collection = WaitStateCollection.builder("jmh-queued").daemon(true).createAndRun();
        handle = collection.acceptTcpConnections(0, (h, state) -> state.readWithChecking(onRequest),
                AcceptOptions.builder().address("127.0.0.1").queueOutput(true).initTimeout(Duration.ZERO).build());
        client = SocketChannel.open(new InetSocketAddress("127.0.0.1", handle.localPort()));
        client.setOption(StandardSocketOptions.TCP_NODELAY, true);
        answer = ByteBuffer.allocateDirect(64 * writes);
    }

    /** Closes everything. */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        client.close();
        collection.close();
    }

    /**
     * One request and its {@code writes} queued answers.
     *
     * @return the number of answer bytes
     */
    @Benchmark
    public int requestAndQueuedAnswers() throws IOException {
        request.clear();
        client.write(request);
        answer.clear();
        while (answer.hasRemaining()) {
            if (client.read(answer) < 0) {
                throw new IOException("server closed the connection");
            }
        }
        return answer.position();
    }
}
