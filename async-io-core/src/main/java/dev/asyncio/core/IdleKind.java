package dev.asyncio.core;

/**
 * Which direction of a state has been idle, as told to an {@link IdleCallback}: the counterpart of Netty's
 * {@code IdleState} ({@code READER_IDLE}, {@code WRITER_IDLE}, {@code ALL_IDLE}) and of Vert.x's
 * {@code readIdleTimeout}, {@code writeIdleTimeout} and {@code idleTimeout}. See {@link IdleOptions} for what counts
 * as activity in each direction. Beyond LispWorks.
 */
public enum IdleKind {
    /** No byte was read for {@link IdleOptions#readerIdle()}. */
    READER,
    /** No byte was written to the socket for {@link IdleOptions#writerIdle()}. */
    WRITER,
    /** Neither a byte read nor a byte written for {@link IdleOptions#allIdle()}. */
    ALL
}
