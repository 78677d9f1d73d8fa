package dev.asyncio.core.internal.codec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The encoder matching each {@link FrameDecoder}: turns a payload into the buffers of one gathering write (a
 * header, the payload itself, not copied, and a trailer), after checking that the framing can carry it. Thread-safe:
 * one encoder serves every state with its framing.
 *
 * <p>{@link #take} is the allocation-free form a {@code FrameWriter} uses: the header, trailer and the array of
 * buffers live in a {@link FrameWrite} record that comes from a small pool of the calling thread and goes back to the
 * pool of the thread that completes the write (the loop's), so a steady stream of writes from the loop thread
 * allocates nothing. {@link #encode} makes fresh buffers each time, for callers that keep them.
 */
public abstract class FrameEncoder {

    /** Free records kept per thread: enough for a burst of pipelined frames, small enough not to matter. */
    static final int POOLED_PER_THREAD = 256;

    protected final int maxFrameSize;

    /** Free records of each thread; a record is taken on the writing thread and returned on the completing one. */
    private final ThreadLocal<FrameWrite.Pool> pools = ThreadLocal.withInitial(FrameWrite.Pool::new);

    /** @param maxFrameSize the most payload bytes a frame may carry */
    protected FrameEncoder(int maxFrameSize) {
        this.maxFrameSize = maxFrameSize;
    }

    /**
     * @param payload the payload, from its position to its limit; not changed and not copied
     * @return fresh buffers to write, in order, as one gathering write; the payload is one of them
     * @throws IllegalArgumentException if this framing cannot carry the payload
     */
    public final ByteBuffer[] encode(ByteBuffer payload) {
        check(payload);
        FrameWrite w = new FrameWrite(this, false);
        w.fill(payload, null);
        return w.buffers();
    }

    /**
     * The allocation-free form: a pooled record holding the frame's buffers, to hand to
     * {@code writeBuffers(record.buffers(), record)}; the record is its own callback, calls {@code callback} and
     * then returns to the pool (so the array and the header are valid only during {@code callback}).
     *
     * @param payload the payload, from its position to its limit; not changed and not copied
     * @param callback told once the write completed, or {@code null}
     * @return the record
     * @throws IllegalArgumentException if this framing cannot carry the payload (nothing is taken from the pool)
     */
    public final FrameWrite take(ByteBuffer payload, dev.asyncio.core.BuffersCallback callback) {
        check(payload);
        FrameWrite w = pools.get().poll();
        if (w == null) {
            w = new FrameWrite(this, true);
        }
        w.fill(payload, callback);
        return w;
    }

    /** @param w a record done with, into the current thread's pool */
    final void recycle(FrameWrite w) {
        pools.get().offer(w);
    }

    /**
     * @param payload the payload, from its position to its limit
     * @throws IllegalArgumentException naming the rule if this framing cannot carry it
     */
    public void check(ByteBuffer payload) {
        if (payload.remaining() > maxFrameSize) {
            throw new IllegalArgumentException("a frame of " + payload.remaining()
                    + " payload bytes is over maxFrameSize (" + maxFrameSize + ")");
        }
    }

    /** @return the bytes of every header (0 = none) */
    protected int headerLength() {
        return 0;
    }

    /**
     * Writes the header of a payload of {@code size} bytes into {@code header[0, headerLength())} with absolute puts.
     *
     * @param header the record's header buffer
     * @param size the payload's bytes
     */
    protected void putHeader(ByteBuffer header, int size) {
    }

    /** @return the bytes after every payload, as a read-only buffer the records duplicate once, or {@code null} */
    protected ByteBuffer trailer() {
        return null;
    }

    /** Payload then delimiter; {@code line} also refuses a payload ending in CR (its decoder would drop it). */
    public static final class Delimited extends FrameEncoder {
        private final byte[] delimiter;
        /** Read-only: the buffers go back to the caller with the write's callback, and this array is shared. */
        private final ByteBuffer delimiterView;
        private final boolean line;

        /**
         * @param delimiter the bytes after each payload
         * @param line whether the decoder drops a CR before the delimiter
         * @param maxFrameSize the most payload bytes
         */
        public Delimited(byte[] delimiter, boolean line, int maxFrameSize) {
            super(maxFrameSize);
            this.delimiter = delimiter.clone();
            this.delimiterView = ByteBuffer.wrap(this.delimiter).asReadOnlyBuffer();
            this.line = line;
        }

        @Override
        public void check(ByteBuffer payload) {
            super.check(payload);
            int p = payload.position();
            int n = payload.remaining();
            // The decoder ends the frame at the first delimiter in payload + delimiter: it must be the appended one.
            for (int i = 0; i < n; i++) {
                if (matchesAt(payload, p, n, i)) {
                    throw new IllegalArgumentException("the payload holds the delimiter (at byte " + i
                            + ", or it starts there and ends in the appended one): a delimited frame cannot carry it");
                }
            }
            if (line && n > 0 && payload.get(p + n - 1) == '\r') {
                throw new IllegalArgumentException("a line payload cannot end with CR: the line decoder drops a CR "
                        + "before LF");
            }
        }

        private boolean matchesAt(ByteBuffer payload, int p, int n, int i) {
            for (int j = 0; j < delimiter.length; j++) {
                int k = i + j;
                byte b = k < n ? payload.get(p + k) : delimiter[k - n];
                if (b != delimiter[j]) {
                    return false;
                }
            }
            return true;
        }

        @Override
        protected ByteBuffer trailer() {
            return delimiterView;
        }
    }

    /** STX, payload, ETX; refuses a payload holding ETX. */
    public static final class StxEtx extends FrameEncoder {
        private static final ByteBuffer ETX_VIEW = ByteBuffer.wrap(new byte[] {StxEtxDecoder.ETX}).asReadOnlyBuffer();

        /** @param maxFrameSize the most payload bytes */
        public StxEtx(int maxFrameSize) {
            super(maxFrameSize);
        }

        @Override
        public void check(ByteBuffer payload) {
            super.check(payload);
            for (int i = payload.position(); i < payload.limit(); i++) {
                if (payload.get(i) == StxEtxDecoder.ETX) {
                    throw new IllegalArgumentException("the payload holds ETX (0x03) at byte "
                            + (i - payload.position()) + ": an STX/ETX frame cannot carry it");
                }
            }
        }

        @Override
        protected int headerLength() {
            return 1;
        }

        @Override
        protected void putHeader(ByteBuffer header, int size) {
            header.put(0, StxEtxDecoder.STX);
        }

        @Override
        protected ByteBuffer trailer() {
            return ETX_VIEW;
        }
    }

    /**
     * A length header then the payload, as Netty's {@code LengthFieldPrepender}: the field holds
     * {@code payload - adjustment} (so an adjustment of minus the header's size writes a length that includes the
     * header), binary or as zero-padded ASCII digits.
     */
    public static final class LengthField extends FrameEncoder {
        private final int fieldLength;
        private final boolean ascii;
        private final ByteOrder order;
        private final long adjustment;
        private final long maxValue;

        /**
         * @param fieldLength 1, 2, 3, 4 or 8 bytes, or 1..18 digits
         * @param ascii whether the field is ASCII decimal digits
         * @param order the binary field's byte order
         * @param adjustment as the decoder's: the field holds {@code payload - adjustment}
         * @param maxFrameSize the most payload bytes
         */
        public LengthField(int fieldLength, boolean ascii, ByteOrder order, long adjustment, int maxFrameSize) {
            super(maxFrameSize);
            this.fieldLength = fieldLength;
            this.ascii = ascii;
            this.order = order;
            this.adjustment = adjustment;
            long max = Long.MAX_VALUE;
            if (ascii) {
                max = 1;
                for (int i = 0; i < fieldLength; i++) {
                    max *= 10;
                }
                max -= 1;
            } else if (fieldLength < 8) {
                max = (1L << (8 * fieldLength)) - 1;
            }
            this.maxValue = max;
        }

        @Override
        public void check(ByteBuffer payload) {
            super.check(payload);
            long value = payload.remaining() - adjustment;
            if (value < 0 || value > maxValue) {
                throw new IllegalArgumentException("a payload of " + payload.remaining() + " bytes needs a length "
                        + "field of " + value + ", outside what " + fieldLength + (ascii ? " digits" : " bytes")
                        + " can hold (0.." + maxValue + ")");
            }
        }

        @Override
        protected int headerLength() {
            return fieldLength;
        }

        @Override
        protected void putHeader(ByteBuffer header, int size) {
            long value = size - adjustment;
            for (int i = fieldLength - 1; i >= 0; i--) {
                if (ascii) {
                    header.put(i, (byte) ('0' + value % 10));
                    value /= 10;
                } else {
                    header.put(order == ByteOrder.BIG_ENDIAN ? i : fieldLength - 1 - i, (byte) value);
                    value >>>= 8;
                }
            }
        }
    }

    /** The payload as it is, refused unless exactly {@code length} bytes. */
    public static final class Fixed extends FrameEncoder {
        /** @param length the bytes in every frame */
        public Fixed(int length) {
            super(length);
        }

        @Override
        public void check(ByteBuffer payload) {
            if (payload.remaining() != maxFrameSize) {
                throw new IllegalArgumentException("a fixed-length frame carries exactly " + maxFrameSize
                        + " bytes, got " + payload.remaining());
            }
        }
    }

    /** The payload as it is (raw: one frame per stream, ended by closing the output); bounded by the limit. */
    public static final class Raw extends FrameEncoder {
        /** @param maxFrameSize the most bytes */
        public Raw(int maxFrameSize) {
            super(maxFrameSize);
        }
    }
}
