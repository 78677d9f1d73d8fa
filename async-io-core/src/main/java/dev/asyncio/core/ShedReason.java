package dev.asyncio.core;

/**
 * Why the memory budget closed a state ({@link MemoryBudget}): what most of the bytes it held were. Beyond
 * LispWorks, which has no memory budget.
 */
public enum ShedReason {
    /** Output accepted by {@code writeBuffer} that the peer does not read (a slow or silent reader). */
    QUEUED_OUTPUT,
    /** Input read and not yet consumed (a read-with-checking that never completes a message). */
    BUFFERED_INPUT,
    /** The buffers of its TLS engine. */
    TLS_BUFFERS
}
