package dev.asyncio.core;

/**
 * What a {@link FrameReader} does at an oversized or corrupt frame ({@link Framing#errorPolicy()}; the starter's
 * {@code framing.on-too-long}).
 */
public enum FrameErrorPolicy {
    /**
     * The default, as Spring Integration's deserializers do: the read ends with {@link IoStatus#ERROR} and a
     * {@link FrameException}, the end callback runs, and the reader closes the state.
     */
    CLOSE,
    /**
     * As Netty's frame decoders do: the bad frame is skipped up to the next boundary without buffering it (a
     * delimiter or ETX; for a length header, the length it announced, up to {@link Framing#maxSkip()}), counted in
     * {@link FrameReader#framesDiscarded()}, and reading goes on. Where there is no boundary to skip to (a length
     * header that is not a length at all, a length beyond {@code maxSkip}), it closes as {@link #CLOSE} does.
     */
    DISCARD
}
