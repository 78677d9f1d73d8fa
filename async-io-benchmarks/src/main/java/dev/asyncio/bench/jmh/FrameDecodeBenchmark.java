package dev.asyncio.bench.jmh;

import dev.asyncio.core.FrameErrorPolicy;
import dev.asyncio.core.internal.codec.DecodeLoop;
import dev.asyncio.core.internal.codec.LengthFieldDecoder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The frame decoder alone, without a socket: the {@link DecodeLoop} of a {@code FrameReader} with the 4-byte
 * length-prefix decoder over one arrival of sixteen 64-byte frames (4-byte header, 60 bytes of payload) in a direct
 * buffer, each frame handed to a sink as a view of the input. Figures are per frame; {@code gc.alloc.rate.norm}
 * must be 0 B.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FrameDecodeBenchmark {

    private static final int FRAMES = 16;

    private final LengthFieldDecoder decoder = new LengthFieldDecoder(0, 4, false, ByteOrder.BIG_ENDIAN, 0, 4,
            1 << 20, FrameErrorPolicy.CLOSE, 16L << 20);
    private final DecodeLoop loop = new DecodeLoop(decoder);
    private final Sum sink = new Sum();
    private ByteBuffer input;

    /** The sink: adds up one byte of each payload, so the JIT cannot drop the frames. */
    static final class Sum implements DecodeLoop.Sink {
        long sum;

        @Override
        public boolean frame(ByteBuffer payload) {
            sum += payload.get(payload.position()) + payload.remaining();
            return true;
        }

        @Override
        public void discarded() {
            sum--;
        }
    }

    /** Builds the input, read-only as a {@code FrameReader} sees it. */
    @Setup
    public void setUp() {
        input = FramedEchoBenchmark.frames(FRAMES).asReadOnlyBuffer();
    }

    /**
     * Decodes sixteen frames.
     *
     * @return the sink's sum
     */
    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public long decode() {
        int r = loop.run(input, input.capacity(), sink);
        if (r != DecodeLoop.NEED_MORE || loop.consumed() != input.capacity()) {
            throw new IllegalStateException("decoded " + loop.consumed() + " of " + input.capacity() + ", result " + r);
        }
        return sink.sum;
    }
}
