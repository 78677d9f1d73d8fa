package dev.asyncio.core.internal.codec;

import dev.asyncio.core.FrameError;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Plays the state's read-with-checking buffer for a decoder, without sockets: appends each chunk to the undiscarded
 * bytes, presents them as a read-only view from index 0 (as the engine does), runs the {@link DecodeLoop} and drops
 * what it consumed, like one {@code discard} per arrival. Records the frames, the skipped frames, the error and the
 * most bytes ever held.
 */
public final class CodecHarness implements DecodeLoop.Sink {
    /** What a stream decoded to. */
    public record Outcome(List<String> frames, int discarded, FrameError error, long errorSize, int maxHeld,
                          int left) {
    }

    private final DecodeLoop loop;
    private final List<String> frames = new ArrayList<>();
    private byte[] held = new byte[0];
    private int discarded;
    private int maxHeld;
    private FrameError error;
    private long errorSize;

    /** @param decoder the decoder under test */
    public CodecHarness(FrameDecoder decoder) {
        this.loop = new DecodeLoop(decoder);
    }

    /**
     * @param decoder a fresh decoder
     * @param stream the bytes
     * @param chunks where to cut (sizes, used in turn and repeated; the last chunk may be shorter)
     * @param eof whether the stream ends after them
     * @return what it decoded to
     */
    public static Outcome decode(FrameDecoder decoder, byte[] stream, int[] chunks, boolean eof) {
        CodecHarness h = new CodecHarness(decoder);
        int at = 0;
        int i = 0;
        while (at < stream.length && h.error == null) {
            int n = Math.min(Math.max(1, chunks[i++ % chunks.length]), stream.length - at);
            h.arrive(Arrays.copyOfRange(stream, at, at + n));
            at += n;
        }
        if (eof && h.error == null) {
            h.end();
        }
        return h.outcome();
    }

    /** @return the stream cut at {@code cuts} (ascending indexes) */
    public static Outcome decodeCut(FrameDecoder decoder, byte[] stream, int[] cuts, boolean eof) {
        int[] sizes = new int[cuts.length + 1];
        int prev = 0;
        for (int i = 0; i < cuts.length; i++) {
            sizes[i] = cuts[i] - prev;
            prev = cuts[i];
        }
        sizes[cuts.length] = Math.max(1, stream.length - prev);
        if (Arrays.stream(sizes).anyMatch(s -> s <= 0)) {
            throw new IllegalArgumentException("cuts must ascend: " + Arrays.toString(cuts));
        }
        return decode(decoder, stream, sizes, eof);
    }

    /** One arrival. */
    public void arrive(byte[] chunk) {
        byte[] all = Arrays.copyOf(held, held.length + chunk.length);
        System.arraycopy(chunk, 0, all, held.length, chunk.length);
        held = all;
        maxHeld = Math.max(maxHeld, held.length);
        ByteBuffer view = ByteBuffer.wrap(held).asReadOnlyBuffer();
        int r = loop.run(view, held.length, this);
        drop(loop.consumed());
        if (r == DecodeLoop.ERROR) {
            error = loop.decoder().error();
            errorSize = loop.decoder().errorSize();
        }
    }

    /** The end of the stream. */
    public void end() {
        ByteBuffer view = ByteBuffer.wrap(held).asReadOnlyBuffer();
        if (loop.endOfInput(view, 0, held.length, this) == DecodeLoop.ERROR) {
            error = loop.decoder().error();
            errorSize = loop.decoder().errorSize();
        }
    }

    private void drop(int n) {
        held = Arrays.copyOfRange(held, n, held.length);
    }

    /** @return what was decoded so far */
    public Outcome outcome() {
        return new Outcome(List.copyOf(frames), discarded, error, errorSize, maxHeld, held.length);
    }

    @Override
    public boolean frame(ByteBuffer payload) {
        if (!payload.isReadOnly()) {
            throw new AssertionError("the frame view must be read-only");
        }
        byte[] b = new byte[payload.remaining()];
        payload.get(b);
        frames.add(new String(b, java.nio.charset.StandardCharsets.ISO_8859_1));
        return true;
    }

    @Override
    public void discarded() {
        discarded++;
    }

    /** @return the concatenation of the encoder's buffers for each payload */
    public static byte[] encodeAll(FrameEncoder encoder, String... payloads) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String p : payloads) {
            for (ByteBuffer b : encoder.encode(ByteBuffer.wrap(latin1(p)))) {
                byte[] a = new byte[b.remaining()];
                b.duplicate().get(a);
                out.writeBytes(a);
            }
        }
        return out.toByteArray();
    }

    /** @return the ISO-8859-1 bytes of {@code s} */
    public static byte[] latin1(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** @return {@code n} letters */
    public static String letters(int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append((char) ('a' + i % 26));
        }
        return b.toString();
    }

    /** @return the concatenation */
    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
