package dev.asyncio.core;

/**
 * Which side of a state an abort or a shutdown applies to: LispWorks' {@code :input}, {@code :output} and
 * {@code :io}.
 */
public enum Direction {
    /** The read direction (LispWorks {@code :input}). */
    INPUT,
    /** The write direction (LispWorks {@code :output}). */
    OUTPUT,
    /** Both directions (LispWorks {@code :io}). */
    IO;

    boolean includesInput() {
        return this != OUTPUT;
    }

    boolean includesOutput() {
        return this != INPUT;
    }
}
