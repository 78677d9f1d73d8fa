package dev.asyncio.core.internal.memory;

/** A collection that acts on its states when the shared budget crosses a mark. Called from any thread. */
public interface PressureListener {
    /** Usage rose over the soft mark: stop reading from the biggest holders. */
    void overSoftMark();

    /** Usage rose over the hard mark: close the biggest holders. */
    void overHardMark();

    /** Usage fell under the resume mark: read from everything again. */
    void relieved();
}
