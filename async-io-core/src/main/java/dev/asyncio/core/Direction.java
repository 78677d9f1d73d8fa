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

    /** @return whether this direction covers reading */
    public boolean includesInput() {
        return this != OUTPUT;
    }

    /** @return whether this direction covers writing */
    public boolean includesOutput() {
        return this != INPUT;
    }
}
