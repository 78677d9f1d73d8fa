package dev.asyncio.core;

import java.io.IOException;

/**
 * A frame that could not be read: the failure a {@link FrameReader}'s end callback gets with
 * {@link IoStatus#ERROR}.
 */
public final class FrameException extends IOException {
    private static final long serialVersionUID = 1L;

    private final FrameError kind;
    private final long size;

    /**
     * @param kind what went wrong
     * @param size the announced length of a too-long or corrupt frame where a header gave one, the bytes seen so far
     *             otherwise (for {@link FrameError#TRUNCATED}: the partial frame's size, header included)
     * @param message the rule that was broken
     */
    public FrameException(FrameError kind, long size, String message) {
        super(message);
        this.kind = kind;
        this.size = size;
    }

    /** @return what went wrong */
    public FrameError kind() {
        return kind;
    }

    /** @return the announced or partial size in bytes (see the constructor) */
    public long size() {
        return size;
    }
}
