package dev.asyncio.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 19, fuzzing through the whole stack (the codecs alone are fuzzed by {@code CodecFuzzTest}): a
 * {@link FrameReader} on a real loopback connection. Random splits of valid streams, written by a peer in random
 * chunks, decode to the frames they were made of; random bytes, randomly split, never make a callback throw or the
 * loop fail, end the reading only with EOF or a {@link FrameException}, and never leave the state holding more
 * input than the limit, a header or delimiter, and one read. Seeded, so a failure repeats.
 */
class FrameReaderSocketFuzzTest extends LoopTestSupport {
    private static final int MAX = 64;
    /** The most a kind here holds beyond the limit between reads: an 8-byte header, a 2-byte delimiter and a CR. */
    private static final int OVERHEAD = 8;

    record Kind(String name, Framing framing) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Kind> kinds() {
        return Stream.of(
                new Kind("crlf", Framing.crlf()), new Kind("lf", Framing.lf()), new Kind("line", Framing.line()),
                new Kind("delimiter", Framing.delimiter((byte) '|', (byte) '|')), new Kind("stx-etx", Framing.stxEtx()),
                new Kind("length-1", Framing.lengthPrefix(1)), new Kind("length-2", Framing.lengthPrefix(2)),
                new Kind("length-4", Framing.lengthPrefix(4)), new Kind("length-8", Framing.lengthPrefix(8)),
                new Kind("ascii-4", Framing.asciiLength(4)), new Kind("fixed-16", Framing.fixed(16)))
                .map(k -> new Kind(k.name(), k.framing().kind() == Framing.Kind.FIXED ? k.framing()
                        : k.framing().toBuilder().maxFrameSize(MAX).build()));
    }

    /** Frames a connection read, and how its reading ended. */
    private record Reading(AsyncIoState state, LinkedBlockingQueue<byte[]> frames,
                           CompletableFuture<Throwable> ended) {
    }

    private Reading read(Connection c, Framing framing) {
        LinkedBlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();
        CompletableFuture<Throwable> ended = new CompletableFuture<>();
        FrameReader.start(c.state(), framing, (s, f) -> {
            byte[] b = new byte[f.remaining()];
            f.get(b);
            frames.add(b);
        }, (s, status, failure) -> ended.complete(failure != null ? failure
                : new java.io.EOFException(status.toString())));
        return new Reading(c.state(), frames, ended);
    }

    /** A payload the writer accepts: random bytes, drawn again while it refuses them (a delimiter inside). */
    private static byte[] payload(Random random, Framing framing) {
        while (true) {
            int n = framing.kind() == Framing.Kind.FIXED ? framing.maxFrameSize() : random.nextInt(MAX + 1);
            byte[] p = new byte[n];
            random.nextBytes(p);
            try {
                new FrameWriter(framing).check(ByteBuffer.wrap(p));
                return p;
            } catch (IllegalArgumentException refused) {
                // Draw again.
            }
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void randomSplitsOfValidStreamsOverASocketDecodeToTheSameFrames(Kind kind) throws Exception {
        Random random = new Random(19L * kind.name().hashCode());
        Connection c = connect(StateOptions.builder().queueOutput(true).build());
        c.peer().socket().setTcpNoDelay(true);
        Reading r = read(c, kind.framing());
        FrameWriter writer = new FrameWriter(kind.framing());
        OutputStream out = c.peer().socket().getOutputStream();
        for (int round = 0; round < 20; round++) {
            List<byte[]> payloads = new ArrayList<>();
            ByteArrayOutputStream stream = new ByteArrayOutputStream();
            for (int i = 1 + random.nextInt(6); i > 0; i--) {
                byte[] p = payload(random, kind.framing());
                payloads.add(p);
                for (ByteBuffer b : writer.encode(ByteBuffer.wrap(p))) {
                    byte[] a = new byte[b.remaining()];
                    b.get(a);
                    stream.writeBytes(a);
                }
            }
            byte[] bytes = stream.toByteArray();
            for (int at = 0; at < bytes.length; ) {
                int n = Math.min(bytes.length - at, 1 + random.nextInt(1 + random.nextInt(40)));
                out.write(bytes, at, n);
                out.flush();
                at += n;
            }
            for (byte[] p : payloads) {
                assertThat(r.frames().poll(10, TimeUnit.SECONDS)).as("round %d", round).isEqualTo(p);
            }
        }
        assertThat(r.ended()).isNotDone();
        assertThat(collection.statistics().callbackFailures()).isZero();
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void randomBytesNeverFailTheLoopAndNeverHoldMoreThanTheLimitPlusOneRead(Kind kind) throws Exception {
        Random random = new Random(7L * kind.name().hashCode());
        int mostHeldOverall = 0;
        for (FrameErrorPolicy policy : FrameErrorPolicy.values()) {
            for (int round = 0; round < 6; round++) {
                Framing framing = kind.framing().toBuilder().errorPolicy(policy).build();
                Connection c = connect(StateOptions.builder().queueOutput(true).build());
                c.peer().socket().setTcpNoDelay(true);
                Reading r = read(c, framing);
                OutputStream out = c.peer().socket().getOutputStream();
                long sent = 0;
                int mostHeld = 0;
                int largestChunk = 0;
                for (int i = 0; i < 12 && !r.ended().isDone(); i++) {
                    byte[] chunk = new byte[1 + random.nextInt(random.nextBoolean() ? 8 : 120)];
                    random.nextBytes(chunk);
                    if (random.nextBoolean()) {
                        // Mostly small values, so that some headers announce frames that can be whole.
                        for (int j = 0; j < chunk.length; j += 1 + random.nextInt(6)) {
                            chunk[j] = (byte) random.nextInt(4);
                        }
                    }
                    try {
                        out.write(chunk);
                        out.flush();
                    } catch (java.io.IOException closedByUs) {
                        break;
                    }
                    sent += chunk.length;
                    largestChunk = Math.max(largestChunk, chunk.length);
                    long target = sent;
                    // Each chunk is read before the next is sent: a read takes at most one chunk.
                    await().until(() -> r.state().bytesRead() >= target || r.ended().isDone() || !r.state().isOpen());
                    mostHeld = Math.max(mostHeld, onLoop(() -> r.state().engine().read().input().length()));
                }
                mostHeldOverall = Math.max(mostHeldOverall, mostHeld);
                assertThat(mostHeld).as("%s %s round %d: input held", kind, policy, round)
                        .isLessThanOrEqualTo(MAX + OVERHEAD + largestChunk);
                c.peer().socket().shutdownOutput();
                Throwable end = r.ended().get(10, TimeUnit.SECONDS);
                assertThat(end).as("%s %s round %d: how the reading ended", kind, policy, round)
                        .isInstanceOfAny(FrameException.class, java.io.EOFException.class);
                assertThat(r.frames()).allSatisfy(f -> assertThat(f.length).isLessThanOrEqualTo(MAX));
                c.state().close();
            }
        }
        assertThat(collection.statistics().callbackFailures()).as("no callback threw").isZero();
        assertThat(collection.isAlive()).isTrue();
        assertThat(mostHeldOverall).as("the probe saw partial frames held (else it measures nothing)").isPositive();
    }
}
