package dev.asyncio.core;

/**
 * Why a frame could not be read: the kind carried by a {@link FrameException}, and the kinds a {@link FrameReader}
 * counts.
 */
public enum FrameError {
    /** The frame's payload is longer than {@link Framing#maxFrameSize()}: known from its length header at once,
     *  or for a delimited framing when more than the limit arrived without a delimiter. */
    TOO_LONG,
    /** The bytes cannot be a frame of this framing: a length header that is negative, below the header's own
     *  size or not decimal digits, a missing STX, bytes to strip beyond the frame. */
    CORRUPT,
    /** The peer ended the stream (EOF) inside a frame; {@link FrameException#size()} is the partial size. */
    TRUNCATED
}
