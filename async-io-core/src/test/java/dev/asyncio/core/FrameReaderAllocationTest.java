package dev.asyncio.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/**
 * Reading frames copies nothing in the steady state: the loop thread's allocation while it decodes a stream of
 * 64-byte length-prefixed frames stays far below one frame's copy per frame. A bound on bytes, never on time.
 */
class FrameReaderAllocationTest extends LoopTestSupport {
    private static final int FRAMES = 200_000;

    @Test
    void decodingFramesAllocatesLessThanACopyPerFrame() throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long loopThread = onLoop(() -> Thread.currentThread().getId());
        Connection c = connect();
        AtomicLong frames = new AtomicLong();
        AtomicLong sum = new AtomicLong();
        FrameReader.start(c.state(), Framing.lengthPrefix(4), (s, f) -> {
            sum.addAndGet(f.get(f.position()));
            frames.incrementAndGet();
        }, null);
        ByteBuffer chunk = ByteBuffer.allocate(1000 * 68);
        for (int i = 0; i < 1000; i++) {
            chunk.putInt(64).put(new byte[64]);
        }
        // Warm up (JIT, the state's buffer), then measure.
        for (int i = 0; i < 20; i++) {
            c.peer().send(chunk.array());
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> frames.get() == 20_000);
        long before = threads.getThreadAllocatedBytes(loopThread);
        long start = frames.get();
        for (int i = 0; i < FRAMES / 1000; i++) {
            c.peer().send(chunk.array());
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> frames.get() == start + FRAMES);
        long perFrame = (threads.getThreadAllocatedBytes(loopThread) - before) / FRAMES;
        System.out.println("FrameReaderAllocationTest: " + perFrame + " bytes allocated per 64-byte frame read");
        // A copy of each frame would be at least 80 bytes (64 + an array header). What is measured (about 12 bytes
        // a frame) is the state's input buffer, which drops its array whenever a read ends on a frame boundary
        // (idle states hold none) and regrows it when the next read leaves a partial frame.
        assertThat(perFrame).as("bytes allocated on the loop thread per frame").isLessThan(48);
    }

    @Test
    void writingAFrameAllocatesABoundedAmount() throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Connection c = connect(StateOptions.builder().queueOutput(true).build());
        FrameWriter writer = new FrameWriter(Framing.lengthPrefix(4));
        ByteBuffer payload = ByteBuffer.allocateDirect(64);
        AtomicLong written = new AtomicLong();
        BuffersCallback done = (s, buffers, count) -> {
            written.incrementAndGet();
            payload.clear();
        };
        Thread drain = new Thread(() -> {
            try {
                c.peer().drainToEof();
            } catch (java.io.IOException ignored) {
                // the test is over
            }
        });
        drain.setDaemon(true);
        drain.start();
        long perFrame = onLoop(() -> {
            // One frame at a time, each written from its own callback's turn: measures the loop thread alone.
            long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
            for (int i = 0; i < 10_000; i++) {
                payload.clear();
                writer.write(c.state(), payload.duplicate(), done);
            }
            return (threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before) / 10_000;
        });
        System.out.println("FrameReaderAllocationTest: " + perFrame + " bytes allocated per FrameWriter.write "
                + "(queueing, before the flush)");
        assertThat(perFrame).isLessThan(1024);
    }
}
