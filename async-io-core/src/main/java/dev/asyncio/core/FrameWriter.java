package dev.asyncio.core;

import dev.asyncio.core.internal.codec.FrameEncoder;
import dev.asyncio.core.internal.codec.FrameWrite;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Writes frames: each payload goes out with its header, delimiter or STX/ETX as ONE gathering write
 * ({@link AsyncIoState#writeBuffers}): one place in the output queue, one callback, and on plain TCP one system
 * call per flush; the payload itself is not copied. The payload is checked first: one the framing cannot carry (a
 * delimiter inside a delimited payload, ETX inside an STX/ETX payload, a length beyond the header's range or
 * beyond {@link Framing#maxFrameSize()}, a fixed frame of another size) is refused with
 * {@link IllegalArgumentException} naming the rule, before anything is queued. For {@link Framing.Kind#RAW} the
 * frame is the payload as it is; end it by shutting the output down.
 *
 * <p>Allocation-free in a steady state: the header, the trailer and the array of each write come from a small pool
 * of the writing thread and return to the loop thread's when the write completes, so frames written from the loop
 * thread (in a frame callback, the usual echo or request-reply) reuse the same few records. The {@code byte[]} forms
 * wrap the array (one small object per write); {@link #encode} makes fresh buffers.
 *
 * <p>Thread-safe: one writer may serve every state with the same framing. Each write follows the
 * state's own rules ({@code queueOutput}, output limits, write timeout), as {@link AsyncIoState#writeBuffers} says.
 */
public final class FrameWriter {
    private final Framing framing;
    private final FrameEncoder encoder;

    /**
     * @param framing how frames are cut
     * @throws IllegalStateException for a length prefix with an offset, or not stripped whole: such frames can be
     *     read but the bytes before the field are the writer's business
     */
    public FrameWriter(Framing framing) {
        this.framing = Objects.requireNonNull(framing, "framing");
        this.encoder = framing.newEncoder();
    }

    /** @return the framing */
    public Framing framing() {
        return framing;
    }

    /**
     * Writes one frame carrying {@code payload} (from its position to its limit).
     *
     * @param state where to
     * @param payload the payload; the state owns it until the callback (don't change it meanwhile), as
     *                {@link AsyncIoState#writeBuffer(ByteBuffer, ByteBufferCallback)} says; never a frame view
     *                handed to a {@link FrameCallback}
     * @param callback {@code (state, buffers, count)} on the loop thread once written: the buffers are the header,
     *                 the payload and the trailer as written, and {@code count} counts all their bytes; the array and
     *                 the header and trailer buffers are the writer's and reused once the callback returns (the
     *                 payload is yours again); {@code null} = none
     * @throws IllegalArgumentException if the framing cannot carry the payload
     * @throws IllegalStateException if the state is closed or UDP, or a write is active and {@code queueOutput} is
     *     off
     * @throws OutputLimitExceededException if the state's output limit is reached
     */
    public void write(AsyncIoState state, ByteBuffer payload, BuffersCallback callback) {
        Objects.requireNonNull(state, "state");
        FrameWrite frame = encoder.take(Objects.requireNonNull(payload, "payload"), callback);
        try {
            state.writeBuffers(frame.buffers(), frame);
        } catch (RuntimeException e) {
            frame.release();
            throw e;
        }
    }

    /**
     * Writes one frame carrying all of {@code payload}; as {@link #write(AsyncIoState, ByteBuffer, BuffersCallback)}.
     *
     * @param state where to
     * @param payload the payload; the state owns it until the callback
     * @param callback {@code (state, buffers, count)} on the loop thread once written; {@code null} = none
     */
    public void write(AsyncIoState state, byte[] payload, BuffersCallback callback) {
        write(state, ByteBuffer.wrap(payload), callback);
    }

    /**
     * Writes one frame carrying {@code payload[start, end)}; as
     * {@link #write(AsyncIoState, ByteBuffer, BuffersCallback)}.
     *
     * @param state where to
     * @param payload the bytes; the state owns them until the callback
     * @param start the first payload byte
     * @param end the index after the last
     * @param callback {@code (state, buffers, count)} on the loop thread once written; {@code null} = none
     */
    public void write(AsyncIoState state, byte[] payload, int start, int end, BuffersCallback callback) {
        Objects.checkFromToIndex(start, end, payload.length);
        write(state, ByteBuffer.wrap(payload, start, end - start), callback);
    }

    /**
     * @param payload the payload, from its position to its limit
     * @throws IllegalArgumentException naming the rule if the framing cannot carry it
     */
    public void check(ByteBuffer payload) {
        encoder.check(payload);
    }

    /**
     * The buffers one frame is made of, for a caller that writes them itself (or to a blocking channel).
     *
     * @param payload the payload, from its position to its limit; one of the buffers returned, not copied
     * @return the header (if any), the payload and the trailer (if any), in order
     * @throws IllegalArgumentException if the framing cannot carry the payload
     */
    public ByteBuffer[] encode(ByteBuffer payload) {
        return encoder.encode(payload);
    }

    @Override
    public String toString() {
        return "FrameWriter[" + framing + "]";
    }
}
